import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { PropsValidationError } from '../../constructs/core/validate';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { ISecureBucket, SecureBucket } from '../../constructs/storage/secure-bucket';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import { testStack } from '../support/nag';

/** Statements of the managed policies ScopedRole keeps its grants in. */
function identityStatements(t: Template): Record<string, unknown>[] {
  return Object.values(t.findResources('AWS::IAM::ManagedPolicy')).flatMap(
    (p) => (p.Properties.PolicyDocument.Statement as Record<string, unknown>[]) ?? [],
  );
}

describe('ISecureBucket', () => {
  it('is implemented by SecureBucket and TieredDatasetBucket, so either goes where a secure bucket is asked', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const accepts = (b: ISecureBucket) => b.s3UriForPrefix('x/');
    const secure = new SecureBucket(stack, 'Secure', { encryptionKey: keys.data });
    const tiered = new TieredDatasetBucket(stack, 'Tiered', { encryptionKey: keys.data });
    expect(stack.resolve(accepts(secure))).toEqual(stack.resolve(secure.s3UriForPrefix('x/')));
    expect(stack.resolve(accepts(tiered))).toEqual(stack.resolve(tiered.secureBucket.s3UriForPrefix('x/')));
    expect(stack.resolve(tiered.bucketArn)).toEqual(stack.resolve(tiered.bucket.bucketArn));
  });

  it('TieredDatasetBucket grants through its secure bucket (the bucket policy, prefix-scoped)', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const tiered = new TieredDatasetBucket(stack, 'Tiered', { encryptionKey: keys.data });
    const role = new ScopedRole(stack, 'Reader', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    tiered.grantReadPrefix(role, 'datasets/churn/');
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'))
      .map((p) => JSON.stringify(p.Properties.PolicyDocument))
      .join('\n');
    expect(policy).toContain('datasets/churn/*');
  });

  it('fromBucketAttributes grants an imported bucket through the identity policy, scoped to the prefix and key', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(
      stack,
      'Key',
      'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    const bucket = s3.Bucket.fromBucketName(stack, 'Theirs', 'their-compliant-bucket');
    const imported = SecureBucket.fromBucketAttributes(stack, 'Imported', { bucket, encryptionKey: key });
    const role = new ScopedRole(stack, 'Writer', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    imported.grantReadWritePrefix(role, 'models/');
    const t = Template.fromStack(stack);
    expect(t.findResources('AWS::S3::BucketPolicy')).toEqual({});
    const statements = JSON.stringify(stack.resolve(identityStatements(t)));
    expect(statements).toContain(':s3:::their-compliant-bucket/models/*');
    expect(statements).toContain('"s3:prefix":["models/*"]');
    expect(statements).toContain('key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(statements).not.toContain('"Resource":"*"');
    expect(imported.s3UriForPrefix('models/')).toBe('s3://their-compliant-bucket/models/');
  });

  it('fromBucketAttributes refuses a key that is not a kms.IKey, naming the path and field', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Theirs', 'their-compliant-bucket');
    expect(() =>
      SecureBucket.fromBucketAttributes(stack, 'Imported', {
        bucket,
        encryptionKey: 'alias/mine' as unknown as kms.IKey,
      }),
    ).toThrow(PropsValidationError);
    expect(() =>
      SecureBucket.fromBucketAttributes(stack, 'Imported2', {
        bucket,
        encryptionKey: 'alias/mine' as unknown as kms.IKey,
      }),
    ).toThrow(/Imported2: encryptionKey: /);
  });
});
