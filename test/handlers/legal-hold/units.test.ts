import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/handlers/legal-hold/config';
import { ENV, LINEAGE_KEYS } from '../../../lib/handlers/legal-hold/contract';
import {
  digestProblem,
  holdTargets,
  manifestRef,
  releasable,
  versionKey,
} from '../../../lib/handlers/legal-hold/holds';
import type { DatasetManifest } from '../../../lib/lineage/manifest';

const CONFIG = {
  datasetBucket: 'datasets',
  datasetsPrefix: 'datasets/',
  manifestBucket: 'artifacts',
  manifestPrefix: 'lineage/',
};
const SHA = 'a'.repeat(64);
const m = (objects: { key: string; versionId: string | null }[]): DatasetManifest => ({
  schemaVersion: 1,
  objects: objects.map((o) => ({ ...o, size: 1, sha256: SHA })),
  provenance: [],
});

describe('manifestRef', () => {
  it('reads the manifest key and digest under the manifest prefix', () => {
    expect(
      manifestRef(
        {
          [LINEAGE_KEYS.datasetManifest]: 's3://artifacts/lineage/p/e/dataset-manifest.json',
          [LINEAGE_KEYS.datasetManifestSha256]: SHA,
        },
        CONFIG,
      ),
    ).toEqual({ kind: 'manifest', key: 'lineage/p/e/dataset-manifest.json', sha256: SHA });
  });

  it('is none without the key', () => {
    expect(manifestRef(undefined, CONFIG)).toEqual({ kind: 'none' });
    expect(manifestRef({ [LINEAGE_KEYS.datasetManifest]: ' ' }, CONFIG)).toEqual({ kind: 'none' });
  });

  it.each([
    ['another bucket', 's3://other/lineage/m.json'],
    ['outside the prefix', 's3://artifacts/models/m.json'],
    ['the prefix itself', 's3://artifacts/lineage/'],
    ['a relative segment', 's3://artifacts/lineage/../models/m.json'],
  ])('refuses a manifest in %s', (_what, uri) => {
    expect(manifestRef({ [LINEAGE_KEYS.datasetManifest]: uri }, CONFIG).kind).toBe('refused');
  });

  it('refuses a malformed digest', () => {
    const ref = manifestRef(
      {
        [LINEAGE_KEYS.datasetManifest]: 's3://artifacts/lineage/m.json',
        [LINEAGE_KEYS.datasetManifestSha256]: 'ABC',
      },
      CONFIG,
    );
    expect(ref).toMatchObject({ kind: 'refused', problem: expect.stringContaining('sha256') });
  });
});

describe('digestProblem', () => {
  it('accepts matching bytes and names both digests otherwise', () => {
    const bytes = Buffer.from('{}');
    const hex = createHash('sha256').update(bytes).digest('hex');
    expect(digestProblem(bytes, hex)).toBeUndefined();
    expect(digestProblem(bytes, undefined)).toBeUndefined();
    expect(digestProblem(bytes, SHA)).toContain(hex);
  });
});

describe('holdTargets', () => {
  it('accepts relative keys and s3:// URIs of the dataset bucket, dropping duplicates', () => {
    const t = holdTargets(
      m([
        { key: 'datasets/a', versionId: '1' },
        { key: 's3://datasets/datasets/a', versionId: '1' },
        { key: 's3://datasets/datasets/b', versionId: '2' },
      ]),
      undefined,
      CONFIG,
    );
    expect(t).toEqual({
      versions: [
        { key: 'datasets/a', versionId: '1' },
        { key: 'datasets/b', versionId: '2' },
      ],
      problems: [],
    });
  });

  it('refuses other buckets, other prefixes and unversioned objects, one problem each', () => {
    const t = holdTargets(
      m([
        { key: 's3://other/datasets/a', versionId: '1' },
        { key: 'archive/a', versionId: '1' },
        { key: 'datasets/c', versionId: null },
      ]),
      undefined,
      CONFIG,
    );
    expect(t.versions).toEqual([]);
    expect(t.problems).toHaveLength(3);
  });

  it('holds nothing when lineage:dataset-bucket names another bucket', () => {
    const t = holdTargets(
      m([{ key: 'datasets/a', versionId: '1' }]),
      { [LINEAGE_KEYS.datasetBucket]: 'x' },
      CONFIG,
    );
    expect(t.versions).toEqual([]);
    expect(t.problems[0]).toContain('"x"');
  });
});

describe('releasable', () => {
  const a = { key: 'datasets/a', versionId: '1' };
  const b = { key: 'datasets/b', versionId: '2' };
  it('keeps versions another approved package references, releases the rest', () => {
    expect(releasable([a, b], new Set([versionKey(b)]))).toEqual({ release: [a], kept: [b] });
  });
  it('treats another version of the same key as a different object version', () => {
    const a2 = { key: a.key, versionId: '9' };
    expect(releasable([a], new Set([versionKey(a2)]))).toEqual({ release: [a], kept: [] });
  });
});

describe('parseConfig', () => {
  const env = {
    [ENV.groupName]: 'g',
    [ENV.datasetBucket]: 'd',
    [ENV.manifestBucket]: 'a',
    [ENV.manifestPrefix]: 'lineage/',
  };
  it('reads the settings with defaults', () => {
    expect(parseConfig(env)).toMatchObject({
      datasetsPrefix: '',
      manifestPrefix: 'lineage/',
      maxAttempts: 8,
    });
  });
  it('names a missing variable and a malformed prefix', () => {
    expect(() => parseConfig({ ...env, [ENV.datasetBucket]: '' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...env, [ENV.datasetsPrefix]: 'datasets' })).toThrow(
      /LEGAL_HOLD_DATASETS_PREFIX: is not a key prefix/,
    );
  });
});
