import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTemplates } from '../../lib/check/check';
import { loadInputs } from '../../lib/check/inputs';
import { holdSelfResolutionCache } from '../../lib/check/resolve-cache';

const loader = nodeModule.Module as unknown as { _resolveFilename: unknown };
const dir = mkdtempSync(join(tmpdir(), 'resolve-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the resolution cache for CfnInclude', () => {
  it("answers CfnInclude's require of an L1 module from the cache, and puts Node's resolver back when the last hold is released", () => {
    const files = [0, 1].map((i) => {
      const file = join(dir, `t${i}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          Resources: { [`B${i}`]: { Type: 'AWS::S3::Bucket' }, [`Q${i}`]: { Type: 'AWS::SQS::Queue' } },
        }),
      );
      return file;
    });
    const before = loader._resolveFilename;
    const hold = holdSelfResolutionCache();
    const hits = hold.hits();
    try {
      expect(loader._resolveFilename).not.toBe(before);
      const loaded = loadInputs(files, dir);
      const result = checkTemplates(loaded.templates, { cwd: dir, packs: ['AwsSolutions'] });
      expect(result.errors).toEqual([]);
      // The classes are the real ones: the second template's bucket is judged like the first's.
      expect(result.findings.filter((f) => f.ruleId === 'AwsSolutions-S1').map((f) => f.logicalId)).toEqual([
        'B0',
        'B1',
      ]);
      // At least the second template's bucket and queue came from the cache.
      expect(hold.hits() - hits).toBeGreaterThanOrEqual(2);
    } finally {
      hold.release();
    }
    expect(loader._resolveFilename).toBe(before);
  });
});
