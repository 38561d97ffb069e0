import { packageRoot } from '../shared/package-root';

/**
 * The version of this package, from its `package.json` (see {@link packageRoot}); `0.0.0` when
 * that file cannot be found.
 */
export function toolVersion(): string {
  return packageRoot()?.version ?? '0.0.0';
}
