import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** Builds the Lambda handler bundles once per test run: constructs reference them as assets. */
export default function setup(): void {
  execFileSync(
    process.execPath,
    [path.join(__dirname, '..', '..', 'scripts', 'bundle-handlers.mjs'), '--quiet'],
    {
      stdio: 'inherit',
    },
  );
}
