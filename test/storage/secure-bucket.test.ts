import { describe, expect, it } from 'vitest';
import { Duration, Lazy, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PropsValidationError } from '../../constructs/core/validate';
import { AccessLogBucket, SecureBucket } from '../../constructs/storage/secure-bucket';
import { findingLines, testStack } from '../support/nag';

function build(props: ConstructorParameters<typeof SecureBucket>[2] = {}) {
  const stack = testStack();
  const keys = new EncryptionKeys(stack, 'Keys');
  const bucket = new SecureBucket(stack, 'Data', { encryptionKey: keys.data, ...props });
  return { stack, keys, bucket, t: Template.fromStack(stack) };
}

const dataBucket = (t: Template) =>
  Object.entries(t.findResources('AWS::S3::Bucket')).find(
    ([id]) => id.startsWith('Data') && !id.includes('Replica'),
  )!;

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
    expect(b.Properties.LoggingConfiguration.DestinationBucketName).toEqual({
      Ref: expect.stringMatching(/^ComplianceAccessLogs/),
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'S3ServerAccessLogsPolicy',
            Principal: { Service: 'logging.s3.amazonaws.com' },
          }),
        ]),
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
            Condition: {
              StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
              Null: { 's3:x-amz-server-side-encryption': 'false' },
            },
          }),
          Match.objectLike({
            Sid: 'DenyOtherKeys',
            Effect: 'Deny',
            Condition: {
              StringNotEquals: {
                's3:x-amz-server-side-encryption-aws-kms-key-id': {
                  'Fn::GetAtt': [Match.stringLikeRegexp('^KeysDataKey'), 'Arn'],
                },
              },
              Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
            },
          }),
        ]),
      },
    });
  });

  // Uploads that rely on default encryption send no SSE header, and UploadPart never carries one:
  // a Deny must fire only on a header that is present and wrong, not on an absent one.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
  it('denies only an encryption header that is present and wrong, never an absent one (default encryption, UploadPart)', () => {
    const { t } = build();
    for (const policy of Object.values(t.findResources('AWS::S3::BucketPolicy'))) {
      for (const s of policy.Properties.PolicyDocument.Statement as {
        Effect: string;
        Sid?: string;
        Condition?: Record<string, Record<string, unknown>>;
      }[]) {
        if (s.Effect !== 'Deny') continue;
        expect(
          Object.keys(s.Condition ?? {}).filter((op) => op.endsWith('IfExists')),
          `statement ${s.Sid}`,
        ).toEqual([]);
        const sseKeys = Object.values(s.Condition ?? {})
          .flatMap((c) => Object.keys(c))
          .filter((k) => k.startsWith('s3:x-amz-server-side-encryption'));
        for (const k of sseKeys)
          expect(s.Condition?.Null?.[k], `statement ${s.Sid} guards ${k} with Null`).toBe('false');
      }
    }
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
      Destination: {
        StorageClass: 'GLACIER_IR',
        EncryptionConfiguration: { ReplicaKmsKeyID: expect.anything() },
      },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('does not replicate when replication is off, which trips exactly the replication rules', () => {
    const { stack, bucket } = build({ replication: false });
    expect(bucket.replica).toBeUndefined();
    expect(
      findingLines(stack)
        .map((l) => l.split(' @ ')[0])
        .sort(),
    ).toEqual([
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

  // Lifecycle actions are not replicated: the replica must expire what the source expires.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html
  it('gives the replica the expirations of the source, per filter, and its noncurrent expiration', () => {
    const { t } = build({
      noncurrentVersionRetention: Duration.days(20),
      lifecycleRules: [
        {
          id: 'pii',
          prefix: 'pii/',
          tagFilters: { class: 'pii' },
          expiration: Duration.days(30),
          transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(10) }],
        },
        { id: 'tmp', prefix: 'tmp/', noncurrentVersionExpiration: Duration.days(3) },
        {
          id: 'tier-only',
          prefix: 'x/',
          transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(10) }],
        },
      ],
    });
    const [, replica] = Object.entries(t.findResources('AWS::S3::Bucket')).find(([id]) =>
      id.startsWith('DataReplica'),
    )!;
    const rules = replica.Properties.LifecycleConfiguration.Rules as Record<string, unknown>[];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Id: 'expire-noncurrent-versions',
          NoncurrentVersionExpiration: { NoncurrentDays: 20 },
        }),
        expect.objectContaining({
          Id: 'pii',
          Status: 'Enabled',
          Prefix: 'pii/',
          TagFilters: [{ Key: 'class', Value: 'pii' }],
          ExpirationInDays: 30,
        }),
        expect.objectContaining({
          Id: 'tmp',
          Prefix: 'tmp/',
          NoncurrentVersionExpiration: { NoncurrentDays: 3 },
        }),
      ]),
    );
    // Transitions are not copied: the replica is already Glacier Instant Retrieval.
    expect(rules.find((r) => r.Id === 'pii')!.Transitions).toBeUndefined();
    expect(rules.find((r) => r.Id === 'tier-only')).toBeUndefined();
  });

  // Control Tower proactive control CT.S3.PR.4, "Require an Amazon S3 bucket to have event
  // notifications configured": https://docs.aws.amazon.com/controltower/latest/controlreference/s3-rules.html#ct-s3-pr-4-description
  it('sends EventBridge notifications from the bucket and the replica, on the L1, with no notifications Lambda', () => {
    const { t } = build();
    for (const [id, b] of Object.entries(t.findResources('AWS::S3::Bucket'))) {
      expect(b.Properties.NotificationConfiguration, id).toEqual({
        EventBridgeConfiguration: { EventBridgeEnabled: true },
      });
    }
    t.resourceCountIs('Custom::S3BucketNotifications', 0);
    t.resourceCountIs('AWS::Lambda::Function', 0);
  });

  // Control Tower proactive control CT.S3.PR.9, "Require that an Amazon S3 bucket has S3 Object Lock
  // activated": https://docs.aws.amazon.com/controltower/latest/controlreference/s3-rules.html#ct-s3-pr-9-description
  // Without a default retention nothing is locked until a legal hold or retention is placed on a version.
  it('activates Object Lock without a default retention on the bucket and the replica, so legal holds can be placed and erasure stays possible', () => {
    const { t } = build();
    for (const [id, b] of Object.entries(t.findResources('AWS::S3::Bucket'))) {
      if (id.startsWith('ComplianceAccessLogs')) continue;
      expect(b.Properties.ObjectLockEnabled, id).toBe(true);
      expect(b.Properties.ObjectLockConfiguration, id).toBeUndefined(); // no default retention
    }
  });

  it('refuses an SSE-S3 exception for something that is not a service principal', () => {
    const stack = testStack();
    expect(
      () => new SecureBucket(stack, 'Bad', { sseS3ServiceWrites: [{ servicePrincipal: '*', prefix: 'x/' }] }),
    ).toThrow(/^Test\/Bad: sseS3ServiceWrites\.0\.servicePrincipal: has an invalid format \(got "\*"/);
  });

  it('keeps Object Lock off with objectLockEnabled: false, and refuses it together with a retention', () => {
    const { t } = build({ objectLockEnabled: false });
    for (const [id, b] of Object.entries(t.findResources('AWS::S3::Bucket'))) {
      expect(b.Properties.ObjectLockEnabled, id).toBeUndefined();
      expect(b.Properties.ObjectLockConfiguration, id).toBeUndefined();
    }
    const stack = testStack();
    expect(
      () =>
        new SecureBucket(stack, 'Both', {
          objectLockEnabled: false,
          objectLock: { mode: 'GOVERNANCE', retention: Duration.days(1) },
        }),
    ).toThrow(
      /^Test\/Both: objectLockEnabled: cannot be false with an objectLock retention \(got false; expected true or omitted\)/,
    );
  });

  it('gives the replica the same Object Lock, so replication of locked objects works', () => {
    const { t } = build({ objectLock: { mode: 'GOVERNANCE', retention: Duration.days(30) } });
    const [, replica] = Object.entries(t.findResources('AWS::S3::Bucket')).find(([id]) =>
      id.startsWith('DataReplica'),
    )!;
    expect(replica.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
  });

  it('grants prefix-scoped object access in the bucket policy and key use in the identity policy', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const bucket = new SecureBucket(stack, 'Data', { encryptionKey: keys.data });
    const role = new ScopedRole(stack, 'Reader', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    bucket.grantReadPrefix(role, 'datasets/');
    const t = Template.fromStack(stack);
    const [, policy] = Object.entries(t.findResources('AWS::S3::BucketPolicy')).find(([id]) =>
      id.startsWith('DataPolicy'),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
    const read = statements.find(
      (st) =>
        JSON.stringify(st.Action) ===
        JSON.stringify(['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging']),
    );
    expect(read).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^Reader/), 'Arn'] } },
      Resource: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Data/), 'Arn'] }, '/datasets/*']],
      },
    });
    const list = statements.find(
      (st) => JSON.stringify(st.Action) === JSON.stringify(['s3:ListBucket', 's3:GetBucketLocation']),
    );
    expect(list).toMatchObject({ Condition: { StringLike: { 's3:prefix': ['datasets/*'] } } });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'] })]),
      },
    });
    expect(findingLines(stack)).toEqual([]);
  });

  it('rejects bad props naming path and field', () => {
    const stack = testStack();
    expect(
      () =>
        new SecureBucket(stack, 'B', {
          objectLock: { mode: 'LEGAL' as 'GOVERNANCE', retention: Duration.days(1) },
        }),
    ).toThrow(
      /Test\/B: objectLock.mode: is not an allowed value \(got "LEGAL"; expected one of "GOVERNANCE", "COMPLIANCE"\)/,
    );
    expect(() => new SecureBucket(stack, 'C', { noncurrentVersionRetention: Duration.days(0) })).toThrow(
      /Test\/C: noncurrentVersionRetention: is out of range/,
    );
  });

  it('passes every pack with default props, object lock included', () => {
    const { stack } = build({ objectLock: { mode: 'GOVERNANCE', retention: Duration.days(30) } });
    expect(findingLines(stack)).toEqual([]);
  });

  describe('props the fuzzer found unsafe', () => {
    const fieldsOf = (props: ConstructorParameters<typeof SecureBucket>[2]): string[] => {
      const stack = testStack();
      try {
        new SecureBucket(stack, 'B', props);
      } catch (e) {
        if (e instanceof PropsValidationError) {
          expect(e.constructPath).toBe('Test/B');
          return e.problems.map((p) => `${p.field}: ${p.problem}`);
        }
        throw e;
      }
      throw new Error('expected a PropsValidationError');
    };
    const daysToken = () => Duration.days(Token.asNumber(Lazy.number({ produce: () => 30 })));

    it('refuses partial days where S3 counts days', () => {
      expect(fieldsOf({ noncurrentVersionRetention: Duration.hours(25) })).toEqual([
        'noncurrentVersionRetention: must be a whole number of days',
      ]);
      expect(fieldsOf({ objectLock: { mode: 'GOVERNANCE', retention: Duration.hours(2200) } })).toEqual([
        'objectLock.retention: must be a whole number of days',
      ]);
    });

    it('refuses a token Object Lock retention (compared with one day at synth) and keeps a token noncurrent retention', () => {
      expect(fieldsOf({ objectLock: { mode: 'GOVERNANCE', retention: daysToken() } })[0]).toMatch(
        /^objectLock\.retention: must be a literal duration/,
      );
      const { t } = build({ noncurrentVersionRetention: daysToken() });
      const [, b] = dataBucket(t);
      expect(b.Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration.NoncurrentDays).toBe(
        30,
      );
    });

    it.each([
      ['an empty rule', {}, '0: has no action'],
      ['a number as expiration', { expiration: 5 }, '0.expiration: is not a Duration'],
      [
        'a partial-day expiration',
        { expiration: Duration.hours(25) },
        '0.expiration: must be a whole number of days',
      ],
      [
        'a prop S3 rules do not offer here',
        { expiration: Duration.days(1), expiredObjectDeleteMarker: true },
        '0.expiredObjectDeleteMarker: is not a known prop',
      ],
      [
        'a string storage class',
        { transitions: [{ storageClass: 'GLACIER', transitionAfter: Duration.days(30) }] },
        '0.transitions.0.storageClass: has the wrong type',
      ],
    ])('refuses a lifecycle rule with %s', (_name, rule, problem) => {
      expect(fieldsOf({ lifecycleRules: [rule as s3.LifecycleRule] })).toEqual([`lifecycleRules.${problem}`]);
    });

    it('adds valid lifecycle rules after its own', () => {
      const { t } = build({
        lifecycleRules: [
          {
            id: 'tmp',
            prefix: 'tmp/',
            expiration: Duration.days(7),
            transitions: [
              { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(1) },
            ],
          },
        ],
      });
      const [, b] = dataBucket(t);
      expect(b.Properties.LifecycleConfiguration.Rules[1]).toMatchObject({
        Id: 'tmp',
        Prefix: 'tmp/',
        ExpirationInDays: 7,
        Status: 'Enabled',
      });
    });

    it('logs to an app-created SSE-S3 bucket through its bucket policy, without the LogDeliveryWrite ACL', () => {
      const stack = testStack();
      const target = new s3.Bucket(stack, 'Logs', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      });
      const bucket = new SecureBucket(stack, 'B', { accessLogsBucket: target, replication: false });
      const t = Template.fromStack(stack);
      const logs = Object.entries(t.findResources('AWS::S3::Bucket')).find(([id]) =>
        id.startsWith('Logs'),
      )![1];
      expect(logs.Properties.AccessControl).toBeUndefined();
      expect(logs.Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^Logs') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: `S3ServerAccessLogs${bucket.node.addr}`,
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
            }),
          ]),
        },
      });
      const [, b] = Object.entries(t.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('B'))!;
      expect(b.Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: expect.stringMatching(/^Logs/) },
        LogFilePrefix: `${bucket.node.addr}/`,
      });
    });

    it('logs to the shared AccessLogBucket passed explicitly, whose policy already admits log delivery', () => {
      const stack = testStack();
      const shared = AccessLogBucket.of(stack);
      new SecureBucket(stack, 'B', { accessLogsBucket: shared.bucket });
      expect(() => Template.fromStack(stack)).not.toThrow();
      expect(findingLines(stack)).toEqual([]);
    });

    it('refuses a KMS-encrypted log target, to which S3 cannot deliver access logs', () => {
      const stack = testStack();
      const other = new SecureBucket(stack, 'Other');
      expect(() => new SecureBucket(stack, 'B', { accessLogsBucket: other.bucket })).toThrow(
        /^Test\/B: accessLogsBucket: is encrypted with a KMS key, and S3 delivers server access logs only to SSE-S3 buckets/,
      );
    });
  });
});
