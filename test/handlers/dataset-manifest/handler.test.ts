import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/handlers/dataset-manifest/contract';
import { createHandler, type DatasetManifestResult } from '../../../lib/handlers/dataset-manifest';
import { DATASET_MANIFEST_SDK_CALLS } from '../../../lib/handlers/dataset-manifest/sdk-calls';
import { silentLogger } from '../../../lib/handlers/shared/log';
import { datasetDigest, parseDatasetManifest } from '../../../lib/lineage/manifest';
import { AwsFake, startAwsFake } from '../../support/aws-fake';

const DATA = 'datasets';
const ARTIFACTS = 'artifacts';
const DATASET_PREFIX = 'curated/churn/v';
const VERSION = `${DATASET_PREFIX}2024-06-01/`;
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const EXECUTION = 'abc123def456';
const EVENT = { datasetUri: `s3://${DATA}/${VERSION}`, executionId: EXECUTION };
const MANIFEST_KEY = `lineage/churn-training/${EXECUTION}/dataset-manifest.json`;

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

let fake: AwsFake;

function writer(extra: Record<string, string> = {}): (event: unknown) => Promise<DatasetManifestResult> {
  const config = fake.clientConfig();
  const handler = createHandler({
    clients: () => ({ s3: new S3Client(config) }),
    env: {
      [ENV.datasetBucket]: DATA,
      [ENV.datasetPrefix]: DATASET_PREFIX,
      [ENV.channels]: 'train,validation',
      [ENV.manifestBucket]: ARTIFACTS,
      [ENV.manifestPrefix]: 'lineage/churn-training/',
      [ENV.manifestKeyArn]: KEY_ARN,
      ...extra,
    },
    log: () => silentLogger,
  });
  return (event) => handler(event, { awsRequestId: 'test' });
}

function seedChannels(): void {
  fake.s3.putObject(DATA, `${VERSION}train/part-0.csv`, 'a,b\n1,2\n');
  fake.s3.putObject(DATA, `${VERSION}train/part-1.csv`, 'a,b\n3,4\n');
  fake.s3.putObject(DATA, `${VERSION}validation/part-0.csv`, 'a,b\n5,6\n');
  // Another version and the test channel are not this execution's training data.
  fake.s3.putObject(DATA, `${DATASET_PREFIX}2024-05-01/train/part-0.csv`, 'old');
  fake.s3.putObject(DATA, `${VERSION}test/part-0.csv`, 'held out');
}

function written(): ReturnType<typeof parseDatasetManifest> {
  return parseDatasetManifest(fake.s3.getText(ARTIFACTS, MANIFEST_KEY) ?? '');
}

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Every call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  const declared = new Set(DATASET_MANIFEST_SDK_CALLS.map((c) => `${c.service}.${c.operation}`));
  for (const c of fake.calls) expect(declared).toContain(`${c.service}.${c.operation}`);
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.s3.enableVersioning(DATA);
  fake.s3.createBucket(ARTIFACTS);
});

// GetObject answers the version id of the bytes it serves (x-amz-version-id), so the step reads the
// current version and records exactly that one:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
// A bucket whose versioning was never enabled answers no version id (objects have version null):
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html
// ListObjectsV2 returns at most 1,000 keys a page, with NextContinuationToken while IsTruncated:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
describe('dataset-manifest handler (WriteManifest step), through the S3 SDK', () => {
  it('lists every training channel object, pins its version and sha256, writes the manifest SSE-KMS and returns its uri and hash', async () => {
    seedChannels();
    const result = await writer()(EVENT);
    expect(result).toEqual({
      manifestUri: `s3://${ARTIFACTS}/${MANIFEST_KEY}`,
      manifestSha256: sha(fake.s3.getObject(ARTIFACTS, MANIFEST_KEY)!.body),
    });
    const r = written();
    expect(r.ok).toBe(true);
    const m = r.ok ? r.manifest : undefined;
    expect(m?.schemaVersion).toBe(1);
    expect(m?.provenance).toEqual([]);
    expect(m?.objects).toEqual([
      {
        key: `${VERSION}train/part-0.csv`,
        versionId: fake.s3.getObject(DATA, `${VERSION}train/part-0.csv`)!.versionId,
        size: 8,
        sha256: sha('a,b\n1,2\n'),
      },
      expect.objectContaining({ key: `${VERSION}train/part-1.csv`, sha256: sha('a,b\n3,4\n') }),
      expect.objectContaining({ key: `${VERSION}validation/part-0.csv`, size: 8 }),
    ]);
    expect(m?.objects.every((o) => typeof o.versionId === 'string')).toBe(true);
    const put = fake.callsTo('s3', 'PutObject').find((c) => c.status === 200);
    expect(put?.input).toMatchObject({
      Bucket: ARTIFACTS,
      Key: MANIFEST_KEY,
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KEY_ARN,
    });
    fake.assertAllHandled();
  });

  it('follows every ListObjectsV2 page (continuation tokens)', async () => {
    seedChannels();
    // S3 pages at 1000 keys; here a page holds one key, so the train channel takes two pages.
    fake.on('s3', 'ListObjectsV2', (input: Record<string, unknown>) => {
      const prefix = String(input.Prefix);
      const keys = fake.s3.keys(DATA).filter((k) => k.startsWith(prefix));
      const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const o = fake.s3.getObject(DATA, keys[start])!;
      const more = start + 1 < keys.length;
      return {
        xml: {
          ListBucketResult: {
            Name: DATA,
            Prefix: prefix,
            KeyCount: 1,
            IsTruncated: more,
            ...(more ? { NextContinuationToken: String(start + 1) } : {}),
            Contents: [{ Key: keys[start], Size: o.body.length, ETag: o.etag }],
          },
        },
      };
    });
    await writer()(EVENT);
    const r = written();
    expect(r.ok && r.manifest.objects.map((o) => o.key)).toEqual([
      `${VERSION}train/part-0.csv`,
      `${VERSION}train/part-1.csv`,
      `${VERSION}validation/part-0.csv`,
    ]);
    const trainLists = fake
      .callsTo('s3', 'ListObjectsV2')
      .filter((c) => c.status === 200 && String(c.input.Prefix).endsWith('/train/'));
    expect(trainLists.map((c) => c.input.ContinuationToken)).toEqual([undefined, '1']);
  });

  it('records versionId null for an unversioned bucket', async () => {
    fake.reset();
    fake.s3.createBucket(ARTIFACTS);
    seedChannels();
    await writer()(EVENT);
    const r = written();
    expect(r.ok && r.manifest.objects.map((o) => o.versionId)).toEqual([null, null, null]);
  });

  it('fails with a clear message on an empty channel (nothing to train on)', async () => {
    fake.s3.putObject(DATA, `${VERSION}train/part-0.csv`, 'x');
    await expect(writer()(EVENT)).rejects.toThrow(
      `channel validation: no object under s3://${DATA}/${VERSION}validation/`,
    );
    expect(fake.s3.getObject(ARTIFACTS, MANIFEST_KEY)).toBeUndefined();
  });

  it('refuses a dataset above the size cap before reading any object', async () => {
    seedChannels();
    await expect(writer({ [ENV.maxBytes]: '20' })(EVENT)).rejects.toThrow(
      /holds 24 bytes in 3 object\(s\), above the manifest's cap of 20 bytes/,
    );
    expect(fake.callsTo('s3', 'GetObject')).toHaveLength(0);
  });

  it('refuses a datasetUri outside the configured dataset, whatever the caller passes', async () => {
    await expect(writer()({ ...EVENT, datasetUri: `s3://${DATA}/curated/other/v1/` })).rejects.toThrow(
      /^datasetUri: is not a version of the dataset/,
    );
    await expect(writer()({ ...EVENT, executionId: '../x' })).rejects.toThrow(/^executionId: /);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('dataset-manifest handler: third-party provenance', () => {
  const PROVENANCE = { [ENV.provenanceKey]: 'provenance.json' };
  function record(checksum: string): Record<string, unknown> {
    return {
      source: 'Acme Data Ltd',
      licence: 'CC-BY-4.0',
      acquisitionDate: '2026-03-01',
      checksum: { algorithm: 'sha256', value: checksum },
      piiClasses: ['email'],
      agreementReference: 'DSA-2026-017',
    };
  }

  it('copies a record whose checksum is the dataset digest into the manifest', async () => {
    seedChannels();
    // The digest over the objects as the step will list them.
    const objects = [
      { key: `${VERSION}train/part-0.csv`, sha256: sha('a,b\n1,2\n') },
      { key: `${VERSION}train/part-1.csv`, sha256: sha('a,b\n3,4\n') },
      { key: `${VERSION}validation/part-0.csv`, sha256: sha('a,b\n5,6\n') },
    ].map((o) => ({ ...o, versionId: null, size: 8 }));
    const rec = record(datasetDigest(objects, VERSION));
    fake.s3.putObject(DATA, `${VERSION}provenance.json`, JSON.stringify(rec));
    await writer(PROVENANCE)(EVENT);
    const r = written();
    expect(r.ok && r.manifest.provenance).toEqual([rec]);
  });

  it('accepts an array of records each matching one object (one file per supplier)', async () => {
    seedChannels();
    const recs = [record(sha('a,b\n1,2\n')), { ...record(sha('a,b\n5,6\n')), source: 'Beta Corp' }];
    fake.s3.putObject(DATA, `${VERSION}provenance.json`, JSON.stringify(recs));
    await writer(PROVENANCE)(EVENT);
    const r = written();
    expect(r.ok && r.manifest.provenance.map((p) => p.source)).toEqual(['Acme Data Ltd', 'Beta Corp']);
  });

  it('fails the step when the provenance record is missing (training refused)', async () => {
    seedChannels();
    await expect(writer(PROVENANCE)(EVENT)).rejects.toThrow(
      `third-party dataset without a provenance record: s3://${DATA}/${VERSION}provenance.json does not exist`,
    );
    expect(fake.s3.getObject(ARTIFACTS, MANIFEST_KEY)).toBeUndefined();
  });

  it('fails the step when the record is invalid, naming the field', async () => {
    seedChannels();
    const { licence: _l, ...noLicence } = record(sha('a,b\n1,2\n'));
    fake.s3.putObject(DATA, `${VERSION}provenance.json`, JSON.stringify(noLicence));
    await expect(writer(PROVENANCE)(EVENT)).rejects.toThrow(/invalid provenance record .*: licence: /);
  });

  it('fails the step when the checksum matches neither the dataset digest nor an object', async () => {
    seedChannels();
    fake.s3.putObject(DATA, `${VERSION}provenance.json`, JSON.stringify(record('f'.repeat(64))));
    await expect(writer(PROVENANCE)(EVENT)).rejects.toThrow(
      /provenance record 0 of .* \(Acme Data Ltd\) does not match the data \(training refused\)/,
    );
    expect(fake.s3.getObject(ARTIFACTS, MANIFEST_KEY)).toBeUndefined();
  });

  it('a first-party dataset needs no record (no provenance read)', async () => {
    seedChannels();
    await writer()(EVENT);
    expect(fake.callsTo('s3', 'GetObject').some((c) => String(c.input.Key).endsWith('provenance.json'))).toBe(
      false,
    );
  });
});
