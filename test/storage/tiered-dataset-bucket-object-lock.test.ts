import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  TieredDatasetBucket,
  TieredDatasetBucketProps,
} from '../../constructs/storage/tiered-dataset-bucket';
import { findingLines, testStack } from '../support/nag';

function template(props: TieredDatasetBucketProps = {}): Template {
  const stack = testStack();
  new TieredDatasetBucket(stack, 'Datasets', props);
  return Template.fromStack(stack);
}

function buckets(t: Template): [string, Record<string, unknown>][] {
  return Object.entries(t.findResources('AWS::S3::Bucket'))
    .filter(([id]) => id.startsWith('Datasets'))
    .map(([id, r]) => [id, (r as { Properties: Record<string, unknown> }).Properties]);
}

// Object Lock without a default retention: legal holds only, so every version that is not held can
// still be erased. https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
describe('TieredDatasetBucket Object Lock (objectLockEnabled)', () => {
  it('activates Object Lock on the bucket and its replica, with no default retention', () => {
    const t = template();
    const found = buckets(t);
    expect(found).toHaveLength(2);
    for (const [, props] of found) {
      expect(props.ObjectLockEnabled).toBe(true);
      expect(props.ObjectLockConfiguration).toBeUndefined();
      // Object Lock needs versioning: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    }
  });

  it('objectLockEnabled: false leaves ObjectLockEnabled out (a bucket deployed without Object Lock)', () => {
    for (const [, props] of buckets(template({ objectLockEnabled: false }))) {
      expect(props.ObjectLockEnabled).toBeUndefined();
    }
  });

  it('offers no default retention: an objectLock option is refused, naming the field', () => {
    expect(() =>
      template({ objectLock: { mode: 'GOVERNANCE' } } as unknown as TieredDatasetBucketProps),
    ).toThrow(/^Test\/Datasets: .*objectLock/m);
  });

  it('refuses a non-boolean objectLockEnabled', () => {
    expect(() => template({ objectLockEnabled: 'yes' } as unknown as TieredDatasetBucketProps)).toThrow(
      /^Test\/Datasets: objectLockEnabled: /m,
    );
  });

  // AWS::S3::Bucket ObjectLockEnabled is "Update requires: Replacement" (the resource
  // specification cloudformation-diff reads says the same), unlike ObjectLockConfiguration ("No
  // interruption"):
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html#cfn-s3-bucket-objectlockenabled
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-objectlockconfiguration.html
  it.each([
    ['turning it off', {}, { objectLockEnabled: false }],
    ['turning it on for a bucket deployed without it', { objectLockEnabled: false }, {}],
  ])('%s replaces the bucket and its replica: the option is create-time only', (_what, before, after) => {
    const diff = fullDiff(template(before).toJSON(), template(after).toJSON());
    const replaced = Object.entries(diff.resources.changes)
      .filter(
        ([, c]) => c.resourceType === 'AWS::S3::Bucket' && c.changeImpact === ResourceImpact.WILL_REPLACE,
      )
      .map(([id]) => id);
    expect(replaced.filter((id) => id.startsWith('Datasets')).sort()).toEqual(
      buckets(template())
        .map(([id]) => id)
        .sort(),
    );
  });

  it('changing a tier does not replace the bucket (the diff tells the two apart)', () => {
    const diff = fullDiff(template().toJSON(), template({ expireAfter: Duration.days(3650) }).toJSON());
    expect(
      Object.values(diff.resources.changes).some((c) => c.changeImpact === ResourceImpact.WILL_REPLACE),
    ).toBe(false);
  });

  it('passes every pack with and without Object Lock', () => {
    for (const objectLockEnabled of [true, false]) {
      const stack = testStack();
      new TieredDatasetBucket(stack, 'Datasets', { objectLockEnabled });
      expect(findingLines(stack)).toEqual([]);
    }
  });
});
