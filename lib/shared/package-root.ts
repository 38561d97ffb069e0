import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The name in this package's `package.json`. */
const PACKAGE_NAME = 'compliant-mlops';

let cached: { readonly root: string; readonly version: string } | null | undefined;

/**
 * The root of this package: the nearest directory above this file whose `package.json` is named
 * `compliant-mlops`. The source tree (`lib/shared/`), the build (`dist/lib/shared/`) and an
 * installed copy (`node_modules/compliant-mlops/dist/lib/shared/`) sit at different depths, so
 * the root is found by walking up rather than by a fixed `../..`. CDK-free: the CLI and the
 * constructs both use it.
 * @returns the root and the package's version, or `undefined` when no such `package.json` is found
 */
export function packageRoot(): { readonly root: string; readonly version: string } | undefined {
  if (cached !== undefined) return cached ?? undefined;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return (cached = { root: dir, version: pkg.version });
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  cached = null;
  return undefined;
}
