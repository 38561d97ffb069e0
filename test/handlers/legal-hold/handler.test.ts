import { createHash } from 'node:crypto';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type HoldResult } from '../../../lib/handlers/legal-hold';
import { ENV, LINEAGE_KEYS, METRIC_NAMESPACE } from '../../../lib/handlers/legal-hold/contract';
import { LEGAL_HOLD_SDK_CALLS } from '../../../lib/handlers/legal-hold/sdk-calls';
import { silentLogger } from '../../../lib/handlers/shared/log';
import { AwsFake, awsError, pageOutput, startAwsFake } from '../../support/aws-fake';

const GROUP = 'churn-model';
const arnOf = (n: number) => `arn:aws:sagemaker:eu-west-1:111111111111:model-package/${GROUP}/${n}`;
const DATASETS = 'platform-datasets';
const ARTIFACTS = 'platform-artifacts';
const ENVIRONMENT = {
  [ENV.groupName]: GROUP,
  [ENV.datasetBucket]: DATASETS,
  [ENV.datasetsPrefix]: 'datasets/',
  [ENV.manifestBucket]: ARTIFACTS,
  [ENV.manifestPrefix]: 'lineage/',
};
const SHA = 'a'.repeat(64);

/** A `SageMaker Model Package State Change` event as EventBridge delivers it to Lambda. */
function stateChange(n: number, status: string, group = GROUP): Record<string, unknown> {
  return {
    version: '0',
    id: `c2d3e4f5-0000-4000-8000-00000000000${n}`,
    'detail-type': 'SageMaker Model Package State Change',
    source: 'aws.sagemaker',
    account: '111111111111',
    time: '2026-12-01T09:59:58Z',
    region: 'eu-west-1',
    resources: [arnOf(n)],
    detail: {
      ModelPackageGroupName: group,
      ModelPackageVersion: n,
      ModelPackageArn: arnOf(n),
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: status,
    },
  };
}

let fake: AwsFake;
/** The fake's model packages by version number: status and customer metadata, as SageMaker keeps them. */
let packages: Map<number, { status: string; metadata: Record<string, string> }>;
/** Object versions that exist in the dataset bucket, and their legal hold (undefined: never set). */
let versions: Map<string, { hold?: 'ON' | 'OFF' }>;
let metrics: { name: string; value: number }[];
const vk = (key: string, versionId: string) => `${key}?versionId=${versionId}`;

function world(): void {
  packages = new Map();
  versions = new Map();
  metrics = [];
  fake.on('sagemaker', 'DescribeModelPackage', (input: { ModelPackageName: string }) => {
    const n = Number(input.ModelPackageName.split('/')[2]);
    const pkg = packages.get(n);
    if (pkg === undefined || input.ModelPackageName !== arnOf(n))
      throw awsError(400, 'ValidationException', 'no such package');
    return {
      ModelPackageArn: arnOf(n),
      ModelPackageGroupName: GROUP,
      ModelPackageVersion: n,
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: pkg.status,
      CustomerMetadataProperties: pkg.metadata,
    };
  });
  fake.on(
    'sagemaker',
    'ListModelPackages',
    (input: { ModelPackageGroupName: string; ModelApprovalStatus?: string }) => {
      expect(input.ModelPackageGroupName).toBe(GROUP);
      const list = [...packages.entries()]
        .filter(([, p]) => input.ModelApprovalStatus === undefined || p.status === input.ModelApprovalStatus)
        .map(([n, p]) => ({
          ModelPackageArn: arnOf(n),
          ModelPackageGroupName: GROUP,
          ModelPackageVersion: n,
          ModelPackageStatus: 'Completed',
          ModelApprovalStatus: p.status,
          CreationTime: new Date('2026-12-01T08:00:00Z'),
        }));
      // Pages of one, so the handler must follow NextToken.
      return pageOutput('ModelPackageSummaryList', list, input, { pageSize: 1 });
    },
  );
  fake.on(
    's3',
    'PutObjectLegalHold',
    (input: { Bucket: string; Key: string; VersionId?: string; LegalHold?: { Status: 'ON' | 'OFF' } }) => {
      expect(input.Bucket).toBe(DATASETS);
      const v = versions.get(vk(input.Key, input.VersionId ?? ''));
      if (v === undefined) throw awsError(404, 'NoSuchVersion', 'The specified version does not exist.');
      v.hold = input.LegalHold?.Status;
      return {};
    },
  );
  fake.on('s3', 'GetObjectLegalHold', (input: { Bucket: string; Key: string; VersionId?: string }) => {
    const v = versions.get(vk(input.Key, input.VersionId ?? ''));
    if (v === undefined) throw awsError(404, 'NoSuchVersion', 'The specified version does not exist.');
    if (v.hold === undefined)
      throw awsError(
        404,
        'NoSuchObjectLockConfiguration',
        'The specified object does not have a ObjectLock configuration',
      );
    return { xml: { LegalHold: { Status: v.hold } } };
  });
  fake.on(
    'cloudwatch',
    'PutMetricData',
    (input: {
      Namespace: string;
      MetricData: { MetricName: string; Value: number; Dimensions: { Name: string; Value: string }[] }[];
    }) => {
      expect(input.Namespace).toBe(METRIC_NAMESPACE);
      for (const d of input.MetricData) {
        expect(d.Dimensions).toEqual([{ Name: 'ModelPackageGroupName', Value: GROUP }]);
        metrics.push({ name: d.MetricName, value: d.Value });
      }
      return {};
    },
  );
  fake.s3.createBucket(ARTIFACTS);
}

/** Seeds object versions and a manifest naming them; returns the package metadata that points at it. */
function manifest(
  n: number,
  objects: { key: string; versionId: string | null }[],
  opts: { seed?: boolean } = {},
): Record<string, string> {
  for (const o of objects)
    if (opts.seed !== false && o.versionId !== null) {
      if (!versions.has(vk(o.key, o.versionId))) versions.set(vk(o.key, o.versionId), {});
    }
  const doc = JSON.stringify({
    schemaVersion: 1,
    objects: objects.map((o) => ({ ...o, size: 10, sha256: SHA })),
    provenance: [],
  });
  const key = `lineage/churn-training/exec-${n}/dataset-manifest.json`;
  fake.s3.putObject(ARTIFACTS, key, doc, { contentType: 'application/json' });
  return {
    [LINEAGE_KEYS.datasetManifest]: `s3://${ARTIFACTS}/${key}`,
    [LINEAGE_KEYS.datasetManifestSha256]: createHash('sha256').update(doc).digest('hex'),
    [LINEAGE_KEYS.datasetBucket]: DATASETS,
  };
}

function handler(): (event: unknown) => Promise<HoldResult> {
  const config = fake.clientConfig({ maxAttempts: 4 });
  const h = createHandler({
    clients: () => ({
      sagemaker: new SageMakerClient(config),
      s3: new S3Client(config),
      cloudwatch: new CloudWatchClient(config),
    }),
    env: ENVIRONMENT,
    log: () => silentLogger,
  });
  return (event) => h(event, { awsRequestId: 'test' });
}

const hold = (key: string, versionId: string) => versions.get(vk(key, versionId))?.hold;
const metric = (name: string) => metrics.filter((m) => m.name === name).reduce((s, m) => s + m.value, 0);

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Every call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  const declared = new Set(LEGAL_HOLD_SDK_CALLS.map((c) => `${c.service}.${c.operation}`));
  for (const c of fake.calls) expect(declared).toContain(`${c.service}.${c.operation}`);
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  world();
});

const A = { key: 'datasets/churn/v1/part-0.csv', versionId: 'v1-a' };
const B = { key: 'datasets/churn/v1/part-1.csv', versionId: 'v1-b' };
const C = { key: 'datasets/churn/v2/part-0.csv', versionId: 'v2-a' };

describe('legal holds through the real SDK', () => {
  it('places a legal hold on every object version of an approved package, on that version id', async () => {
    packages.set(3, { status: 'Approved', metadata: manifest(3, [A, B]) });
    const result = await handler()(stateChange(3, 'Approved'));
    expect(result).toMatchObject({ outcome: 'held', placed: 2, problems: [] });
    expect(hold(A.key, A.versionId)).toBe('ON');
    expect(hold(B.key, B.versionId)).toBe('ON');
    const puts = fake.callsTo('s3', 'PutObjectLegalHold').map((c) => c.input);
    expect(puts).toContainEqual({
      Bucket: DATASETS,
      Key: A.key,
      VersionId: A.versionId,
      LegalHold: { Status: 'ON' },
    });
    expect(metric('HoldsPlaced')).toBe(2);
    expect(metric('HoldFailures')).toBe(0);
    fake.assertAllHandled();
  });

  it('is idempotent: a redelivered approval sets the same holds again and changes nothing else', async () => {
    packages.set(3, { status: 'Approved', metadata: manifest(3, [A]) });
    const run = handler();
    await run(stateChange(3, 'Approved'));
    await run(stateChange(3, 'Approved'));
    expect(hold(A.key, A.versionId)).toBe('ON');
    expect(metric('HoldFailures')).toBe(0);
  });

  it('refuses objects of another bucket, outside the held prefix or without a version id, and counts each', async () => {
    packages.set(3, {
      status: 'Approved',
      metadata: manifest(3, [
        A,
        { key: 's3://someone-elses-bucket/datasets/x.csv', versionId: 'x1' },
        { key: 'models/churn/model.tar.gz', versionId: 'm1' },
        { key: 'datasets/churn/v1/unversioned.csv', versionId: null },
      ]),
    });
    const result = await handler()(stateChange(3, 'Approved'));
    expect(result.outcome).toBe('held');
    expect(result.placed).toBe(1);
    expect(result.problems).toEqual([
      's3://someone-elses-bucket/datasets/x.csv: is not in the held bucket platform-datasets (refused)',
      'models/churn/model.tar.gz: is outside the held prefix "datasets/" (refused)',
      'datasets/churn/v1/unversioned.csv: has no version id (an unversioned object cannot be held)',
    ]);
    // Refused objects never reach S3.
    expect(fake.callsTo('s3', 'PutObjectLegalHold')).toHaveLength(1);
    expect(metric('HoldFailures')).toBe(3);
  });

  it('reports a version that no longer exists (NoSuchVersion) instead of failing the whole event', async () => {
    packages.set(3, { status: 'Approved', metadata: manifest(3, [A, { key: B.key, versionId: 'gone' }]) });
    versions.delete(vk(B.key, 'gone'));
    const result = await handler()(stateChange(3, 'Approved'));
    expect(result.placed).toBe(1);
    expect(result.problems).toHaveLength(1);
    expect(result.problems![0]).toContain('NoSuchVersion');
    expect(metric('HoldFailures')).toBe(1);
  });

  it('logs and counts an approved package without a manifest, and holds nothing (no error loop)', async () => {
    packages.set(3, { status: 'Approved', metadata: {} });
    const result = await handler()(stateChange(3, 'Approved'));
    expect(result.outcome).toBe('no-manifest');
    expect(fake.count('s3')).toBe(0);
    expect(metric('ApprovedWithoutManifest')).toBe(1);
  });

  it('refuses a manifest outside the manifest prefix without reading it', async () => {
    packages.set(3, {
      status: 'Approved',
      metadata: { [LINEAGE_KEYS.datasetManifest]: `s3://${ARTIFACTS}/elsewhere/manifest.json` },
    });
    const result = await handler()(stateChange(3, 'Approved'));
    expect(result.outcome).toBe('manifest-refused');
    expect(fake.count('s3', 'GetObject')).toBe(0);
    expect(metric('HoldFailures')).toBe(1);
  });

  it('refuses a manifest whose bytes do not match lineage:dataset-manifest-sha256', async () => {
    const metadata = manifest(3, [A]);
    packages.set(3, {
      status: 'Approved',
      metadata: { ...metadata, [LINEAGE_KEYS.datasetManifestSha256]: 'b'.repeat(64) },
    });
    const result = await handler()(stateChange(3, 'Approved'));
    expect(result.outcome).toBe('manifest-refused');
    expect(result.problems![0]).toContain('not the recorded lineage:dataset-manifest-sha256');
    expect(fake.count('s3', 'PutObjectLegalHold')).toBe(0);
  });

  it('refuses a manifest that fails the schema, naming the field', async () => {
    const key = 'lineage/churn-training/exec-3/dataset-manifest.json';
    fake.s3.putObject(ARTIFACTS, key, JSON.stringify({ schemaVersion: 1, objects: [{ key: 'datasets/a' }] }));
    packages.set(3, {
      status: 'Approved',
      metadata: { [LINEAGE_KEYS.datasetManifest]: `s3://${ARTIFACTS}/${key}` },
    });
    const result = await handler()(stateChange(3, 'Approved'));
    expect(result.outcome).toBe('manifest-refused');
    expect(result.problems!.some((p) => p.includes('objects.0.versionId'))).toBe(true);
  });

  it('refuses a whole manifest whose lineage:dataset-bucket is another bucket', async () => {
    const metadata = manifest(3, [A]);
    packages.set(3, {
      status: 'Approved',
      metadata: { ...metadata, [LINEAGE_KEYS.datasetBucket]: 'other-bucket' },
    });
    const result = await handler()(stateChange(3, 'Approved'));
    expect(result.placed).toBe(0);
    expect(result.problems![0]).toContain('not the held bucket');
  });

  it('on retirement (Rejected) releases only the versions no other approved package references', async () => {
    // Version 3 was trained on A and B, version 4 (still approved) on B and C.
    packages.set(3, { status: 'Approved', metadata: manifest(3, [A, B]) });
    packages.set(4, { status: 'Approved', metadata: manifest(4, [B, C]) });
    const run = handler();
    await run(stateChange(3, 'Approved'));
    await run(stateChange(4, 'Approved'));
    expect([hold(A.key, A.versionId), hold(B.key, B.versionId), hold(C.key, C.versionId)]).toEqual([
      'ON',
      'ON',
      'ON',
    ]);

    packages.get(3)!.status = 'Rejected';
    const result = await run(stateChange(3, 'Rejected'));
    expect(result).toMatchObject({ outcome: 'released', released: 1, kept: 1, problems: [] });
    expect(hold(A.key, A.versionId)).toBe('OFF');
    expect(hold(B.key, B.versionId)).toBe('ON');
    expect(hold(C.key, C.versionId)).toBe('ON');
    // B was never switched off, not even for a moment: only A got an OFF request.
    const offs = fake
      .callsTo('s3', 'PutObjectLegalHold')
      .map((c) => c.input as { Key: string; LegalHold: { Status: string } })
      .filter((i) => i.LegalHold.Status === 'OFF');
    expect(offs.map((i) => i.Key)).toEqual([A.key]);
    expect(metric('HoldsReleased')).toBe(1);

    // Retiring the last model that needs B and C releases them too.
    packages.get(4)!.status = 'Rejected';
    const last = await run(stateChange(4, 'Rejected'));
    expect(last).toMatchObject({ released: 2, kept: 0 });
    expect(hold(B.key, B.versionId)).toBe('OFF');
  });

  it('decides on the current state: a redelivered approval event of a rejected version releases, never re-holds', async () => {
    packages.set(3, { status: 'Approved', metadata: manifest(3, [A]) });
    const run = handler();
    await run(stateChange(3, 'Approved'));
    packages.get(3)!.status = 'Rejected';
    const result = await run(stateChange(3, 'Approved'));
    expect(result.outcome).toBe('released');
    expect(hold(A.key, A.versionId)).toBe('OFF');
    // And again: nothing left to release, no PutObjectLegalHold sent.
    const before = fake.count('s3', 'PutObjectLegalHold');
    expect((await run(stateChange(3, 'Rejected'))).released).toBe(0);
    expect(fake.count('s3', 'PutObjectLegalHold')).toBe(before);
  });

  it('puts a hold back when a version referencing it is approved while the release runs', async () => {
    packages.set(3, { status: 'Rejected', metadata: manifest(3, [A]) });
    versions.get(vk(A.key, A.versionId))!.hold = 'ON';
    packages.set(4, { status: 'PendingManualApproval', metadata: manifest(4, [A]) });
    // Version 4 is approved just as the release of version 3 switches A off.
    fake.on(
      's3',
      'PutObjectLegalHold',
      (input: { Key: string; VersionId?: string; LegalHold?: { Status: 'ON' | 'OFF' } }) => {
        versions.get(vk(input.Key, input.VersionId ?? ''))!.hold = input.LegalHold?.Status;
        if (input.LegalHold?.Status === 'OFF') packages.get(4)!.status = 'Approved';
        return {};
      },
    );
    const result = await handler()(stateChange(3, 'Rejected'));
    expect(result).toMatchObject({ outcome: 'released', released: 0, kept: 1 });
    expect(hold(A.key, A.versionId)).toBe('ON');
  });

  it('releases nothing while another approved package has an unreadable manifest', async () => {
    packages.set(3, { status: 'Rejected', metadata: manifest(3, [A]) });
    versions.get(vk(A.key, A.versionId))!.hold = 'ON';
    packages.set(4, {
      status: 'Approved',
      metadata: { [LINEAGE_KEYS.datasetManifest]: `s3://${ARTIFACTS}/lineage/churn-training/missing.json` },
    });
    const result = await handler()(stateChange(3, 'Rejected'));
    expect(result.outcome).toBe('release-deferred');
    expect(hold(A.key, A.versionId)).toBe('ON');
    expect(metric('HoldFailures')).toBe(1);
  });

  it('a version never held (a new pending registration) releases nothing and sets no hold', async () => {
    packages.set(5, { status: 'PendingManualApproval', metadata: manifest(5, [A]) });
    const result = await handler()(stateChange(5, 'PendingManualApproval'));
    expect(result).toMatchObject({ outcome: 'released', released: 0 });
    expect(hold(A.key, A.versionId)).toBeUndefined();
    expect(fake.count('s3', 'PutObjectLegalHold')).toBe(0);
  });

  it('ignores other groups without any call, and counts a malformed event', async () => {
    const run = handler();
    expect((await run(stateChange(3, 'Approved', 'fraud-model'))).outcome).toBe('other-group');
    expect(fake.count('sagemaker')).toBe(0);
    expect((await run({ source: 'aws.s3' })).outcome).toBe('malformed');
    expect(metric('HoldFailures')).toBe(1);
  });

  it('survives throttling of the legal-hold calls (the SDK retries)', async () => {
    packages.set(3, { status: 'Approved', metadata: manifest(3, [A, B]) });
    fake.failNext('s3', 'PutObjectLegalHold', { status: 503, code: 'SlowDown' });
    const result = await handler()(stateChange(3, 'Approved'));
    expect(result.placed).toBe(2);
    expect(hold(A.key, A.versionId)).toBe('ON');
  });

  it('throws on a persistent server error, so Lambda retries the event and then dead-letters it', async () => {
    packages.set(3, { status: 'Approved', metadata: manifest(3, [A]) });
    for (let i = 0; i < 4; i++)
      fake.failNext('s3', 'PutObjectLegalHold', { status: 500, code: 'InternalError' });
    await expect(handler()(stateChange(3, 'Approved'))).rejects.toThrow();
  });
});
