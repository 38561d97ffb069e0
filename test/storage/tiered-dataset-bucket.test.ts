import { describe, expect, it } from 'vitest';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import { findingLines, testStack } from '../support/nag';

function rules(t: Template) {
  const [, b] = Object.entries(t.findResources('AWS::S3::Bucket')).find(
    ([id]) => id.startsWith('Datasets') && !id.includes('Replica'),
  )!;
  return b.Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
}

describe('TieredDatasetBucket', () => {
  it('tiers working datasets to Intelligent-Tiering and expires them after the retention period', () => {
    const stack = testStack();
    new TieredDatasetBucket(stack, 'Datasets');
    const r = rules(Template.fromStack(stack)).find((x) => x.Id === 'tier-working-datasets');
    expect(r).toMatchObject({
      Prefix: 'datasets/',
      Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 0 }],
      ExpirationInDays: 2555,
    });
  });

  it('moves historical datasets to Glacier IR then Deep Archive', () => {
    const stack = testStack();
    new TieredDatasetBucket(stack, 'Datasets', {
      glacierInstantRetrievalAfter: Duration.days(30),
      deepArchiveAfter: Duration.days(200),
    });
    const r = rules(Template.fromStack(stack)).find((x) => x.Id === 'tier-historical-datasets');
    expect(r).toMatchObject({
      Prefix: 'archive/',
      Transitions: [
        { StorageClass: 'GLACIER_IR', TransitionInDays: 30 },
        { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 200 },
      ],
    });
  });

  it('expires noncurrent versions after 30 days and aborts incomplete uploads', () => {
    const stack = testStack();
    new TieredDatasetBucket(stack, 'Datasets');
    expect(rules(Template.fromStack(stack))[0]).toMatchObject({
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    });
  });

  it('rejects a tier after expiry and tiers out of order, all in one error', () => {
    const stack = testStack();
    let message = '';
    try {
      new TieredDatasetBucket(stack, 'Datasets', {
        expireAfter: Duration.days(100),
        deepArchiveAfter: Duration.days(120),
        glacierInstantRetrievalAfter: Duration.days(150),
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Test/Datasets: glacierInstantRetrievalAfter: must come before expireAfter (got Duration.days(150); expected less than Duration.days(100))',
      'Test/Datasets: deepArchiveAfter: must come before expireAfter (got Duration.days(120); expected less than Duration.days(100))',
      'Test/Datasets: glacierInstantRetrievalAfter: must come before deepArchiveAfter (got Duration.days(150); expected less than Duration.days(120))',
    ]);
  });

  it('rejects overlapping prefixes and malformed ones', () => {
    const stack = testStack();
    expect(
      () => new TieredDatasetBucket(stack, 'A', { datasetsPrefix: 'data/', archivePrefix: 'data/old/' }),
    ).toThrow(/Test\/A: archivePrefix: must not overlap datasetsPrefix/);
    expect(() => new TieredDatasetBucket(stack, 'B', { datasetsPrefix: '/abs' })).toThrow(
      /Test\/B: datasetsPrefix: has an invalid format/,
    );
  });

  it('names dataset versions for lineage', () => {
    const stack = testStack();
    const d = new TieredDatasetBucket(stack, 'Datasets');
    expect(d.datasetPrefix('churn', '3')).toBe('datasets/churn/v3/');
    expect(d.datasetUri('churn', '3')).toMatch(/^s3:\/\/.+\/datasets\/churn\/v3\/$/);
  });

  // Lifecycle actions are not replicated, so expired datasets would stay in the replica forever.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html
  it('expires datasets from the replica after the same retention period', () => {
    const stack = testStack();
    new TieredDatasetBucket(stack, 'Datasets', { expireAfter: Duration.days(400) });
    const [, replica] = Object.entries(Template.fromStack(stack).findResources('AWS::S3::Bucket')).find(
      ([id]) => id.includes('Replica'),
    )!;
    const rules = replica.Properties.LifecycleConfiguration.Rules as Record<string, unknown>[];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'datasets/', ExpirationInDays: 400 }),
        expect.objectContaining({ Prefix: 'archive/', ExpirationInDays: 400 }),
        expect.objectContaining({
          Id: 'expire-noncurrent-versions',
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        }),
      ]),
    );
  });

  it('passes every pack', () => {
    const stack = testStack();
    new TieredDatasetBucket(stack, 'Datasets');
    expect(findingLines(stack)).toEqual([]);
  });
});
