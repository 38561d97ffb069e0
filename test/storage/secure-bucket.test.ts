import { describe, expect, it } from 'vitest';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { findingLines, testStack } from '../support/nag';

function build(props: ConstructorParameters<typeof SecureBucket>[2] = {}) {
  const stack = testStack();
  const keys = new EncryptionKeys(stack, 'Keys');
  const bucket = new SecureBucket(stack, 'Data', { encryptionKey: keys.data, ...props });
  return { stack, keys, bucket, t: Template.fromStack(stack) };
}

const dataBucket = (t: Template) =>
  Object.entries(t.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('Data') && !id.includes('Replica'))!;

describe('SecureBucket', () => {
  it('encrypts with the given CMK and a bucket key', () => {
    const { t } = build();
    const [, b] = dataBucket(t);
    expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^KeysDataKey/), 'Arn'] },
      },
    });
  });

  it('creates its own rotating key when none is given', () => {
    const stack = testStack();
    new SecureBucket(stack, 'Own');
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('is versioned, blocks public access, disables ACLs and is retained', () => {
    const { t } = build();
    const [, b] = dataBucket(t);
    expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(b.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(b.DeletionPolicy).toBe('Retain');
  });

  it('logs access to the shared access-log bucket', () => {
    const { t } = build();
    const [, b] = dataBucket(t);
    expect(b.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: expect.stringMatching(/^ComplianceAccessLogs/) });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'S3ServerAccessLogsPolicy', Principal: { Service: 'logging.s3.amazonaws.com' } })]),
      },
    });
  });

  it('denies non-TLS requests, TLS below 1.2, other encryption types and other keys', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^Data') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          Match.objectLike({
            Sid: 'DenyOtherEncryption',
            Effect: 'Deny',
            Action: 's3:PutObject',
            Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
          }),
          Match.objectLike({
            Sid: 'DenyOtherKeys',
            Effect: 'Deny',
            Condition: {
              StringNotEqualsIfExists: {
                's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysDataKey'), 'Arn'] },
              },
            },
          }),
        ]),
      },
    });
  });

  it('expires noncurrent versions and aborts incomplete uploads', () => {
    const { t } = build({ noncurrentVersionRetention: Duration.days(14) });
    const [, b] = dataBucket(t);
    expect(b.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({
      Id: 'expire-noncurrent-versions',
      NoncurrentVersionExpiration: { NoncurrentDays: 14 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    });
  });

  it('replicates to a Glacier Instant Retrieval replica under the same key through a scoped role', () => {
    const { t, bucket } = build();
    expect(bucket.replica).toBeDefined();
    const [, b] = dataBucket(t);
    const rule = b.Properties.ReplicationConfiguration.Rules[0];
    expect(rule).toMatchObject({
      Status: 'Enabled',
      Destination: { StorageClass: 'GLACIER_IR', EncryptionConfiguration: { ReplicaKmsKeyID: expect.anything() } },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('does not replicate when replication is off, which trips exactly the replication rules', () => {
    const { stack, bucket } = build({ replication: false });
    expect(bucket.replica).toBeUndefined();
    expect(findingLines(stack).map((l) => l.split(' @ ')[0]).sort()).toEqual([
      'HIPAA.Security-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'PCI.DSS.321-S3BucketReplicationEnabled',
    ]);
  });

  it('turns on Object Lock with default retention', () => {
    const { t } = build({ objectLock: { mode: 'COMPLIANCE', retention: Duration.days(365) } });
    const [, b] = dataBucket(t);
    expect(b.Properties.ObjectLockEnabled).toBe(true);
    expect(b.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
    });
  });

  it('gives the replica the same Object Lock, so replication of locked objects works', () => {
    const { t } = build({ objectLock: { mode: 'GOVERNANCE', retention: Duration.days(30) } });
    const [, replica] = Object.entries(t.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('DataReplica'))!;
    expect(replica.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
  });

  it('grants prefix-scoped object access in the bucket policy and key use in the identity policy', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const bucket = new SecureBucket(stack, 'Data', { encryptionKey: keys.data });
    const role = new ScopedRole(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    bucket.grantReadPrefix(role, 'datasets/');
    const t = Template.fromStack(stack);
    const [, policy] = Object.entries(t.findResources('AWS::S3::BucketPolicy')).find(([id]) => id.startsWith('DataPolicy'))!;
    const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
    const read = statements.find((st) => JSON.stringify(st.Action) === JSON.stringify(['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging']));
    expect(read).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^Reader/), 'Arn'] } },
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Data/), 'Arn'] }, '/datasets/*']] },
    });
    const list = statements.find((st) => JSON.stringify(st.Action) === JSON.stringify(['s3:ListBucket', 's3:GetBucketLocation']));
    expect(list).toMatchObject({ Condition: { StringLike: { 's3:prefix': ['datasets/*'] } } });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'] })]) },
    });
    expect(findingLines(stack)).toEqual([]);
  });

  it('rejects bad props naming path and field', () => {
    const stack = testStack();
    expect(() => new SecureBucket(stack, 'B', { objectLock: { mode: 'LEGAL' as 'GOVERNANCE', retention: Duration.days(1) } })).toThrow(
      /Test\/B: objectLock.mode: is not an allowed value \(got "LEGAL"; expected one of "GOVERNANCE", "COMPLIANCE"\)/,
    );
    expect(() => new SecureBucket(stack, 'C', { noncurrentVersionRetention: Duration.days(0) })).toThrow(/Test\/C: noncurrentVersionRetention: is out of range/);
  });

  it('passes every pack with default props, object lock included', () => {
    const { stack } = build({ objectLock: { mode: 'GOVERNANCE', retention: Duration.days(30) } });
    expect(findingLines(stack)).toEqual([]);
  });
});
