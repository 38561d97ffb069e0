import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Builds the Lambda handler bundles once per test run (constructs reference them as assets), and
 * gives the run a temporary directory of its own: every `App` without an `outdir` stages its
 * assembly and assets in a fresh `cdk.out*` directory under the system one and never removes it
 * (about 0.5 MB each, thousands per run), so the run's directory is removed when it ends.
 * Workers and their child processes inherit `TMPDIR`, which `os.tmpdir()` reads on every call.
 */
export default function setup(): () => void {
  execFileSync(
    process.execPath,
    [path.join(__dirname, '..', '..', 'scripts', 'bundle-handlers.mjs'), '--quiet'],
    {
      stdio: 'inherit',
    },
  );
  const previous = process.env.TMPDIR;
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'compliant-mlops-test-'));
  // Like /tmp itself (sticky, everyone may create): a test's child process that runs as another
  // user (the hostile-input runner drops to `nobody` as root) needs its own temp files too.
  chmodSync(runDir, 0o1777);
  process.env.TMPDIR = runDir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(runDir, { recursive: true, force: true });
  };
}
