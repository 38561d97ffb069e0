import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findHandlerAsset } from '../../constructs/core/secure-function';
import { toolVersion } from '../../lib/check/version';
import { packageRoot } from '../../lib/shared/package-root';

describe('packageRoot', () => {
  const repo = path.join(__dirname, '..', '..');
  const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };

  it("finds this repository's root and version from the source tree", () => {
    expect(packageRoot()).toEqual({ root: repo, version: pkg.version });
    expect(toolVersion()).toBe(pkg.version);
  });

  it('locates handler bundles under <root>/assets/handlers and nothing else', () => {
    const bundled = path.join(repo, 'assets', 'handlers', 'auto-shutdown');
    expect(existsSync(bundled), 'npm run build bundles the handlers').toBe(true);
    expect(findHandlerAsset('auto-shutdown')).toBe(bundled);
    expect(findHandlerAsset('no-such-handler')).toBeUndefined();
  });
});
