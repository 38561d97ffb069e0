import { CfnParameter, Duration, Lazy, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, test } from 'vitest';
import { AuditTrail, MAX_SELECTOR_VALUES, SENSITIVE_EVENTS } from '../../constructs/audit';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import * as sns from 'aws-cdk-lib/aws-sns';
import { findingLines, testStack } from '../support/nag';

const FG_ARN = 'arn:aws:sagemaker:eu-west-1:111111111111:feature-group/churn-v1';

/** A compliant bucket of the team's, wrapped as an ISecureBucket. */
function theirs(stack: import('aws-cdk-lib').Stack, id: string, name: string) {
  return SecureBucket.fromBucketAttributes(stack, id, {
    bucket: s3.Bucket.fromBucketName(stack, `${id}Bucket`, name),
    encryptionKey: kms.Key.fromKeyArn(
      stack,
      `${id}Key`,
      'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555',
    ),
  });
}

function build(props: ConstructorParameters<typeof AuditTrail>[2] = {}) {
  const stack = testStack();
  const trail = new AuditTrail(stack, 'Audit', props);
  return { stack, trail, template: () => Template.fromStack(stack) };
}

function trailProps(t: Template): Record<string, unknown> {
  const trails = t.findResources('AWS::CloudTrail::Trail');
  const values = Object.values(trails);
  expect(values).toHaveLength(1);
  return (values[0] as { Properties: Record<string, unknown> }).Properties;
}

describe('AuditTrail defaults', () => {
  test('multi-region trail with global service events, logging on', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      IsLogging: true,
    });
  });

  test('log file validation on', () => {
    build().template().hasResourceProperties('AWS::CloudTrail::Trail', { EnableLogFileValidation: true });
  });

  test('encrypted with a dedicated audit key with rotation', () => {
    const { template } = build();
    const t = template();
    const keys = t.findResources('AWS::KMS::Key');
    const [keyId] = Object.entries(keys).find(([, k]) =>
      String((k as { Properties: { Description: string } }).Properties.Description).includes('audit key'),
    )!;
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: Match.stringLikeRegexp('audit key'),
    });
    t.hasResourceProperties('AWS::CloudTrail::Trail', { KMSKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  test('uses the given key for trail, bucket and log group', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    new AuditTrail(stack, 'Audit', { encryptionKey: keys.audit });
    const t = Template.fromStack(stack);
    const auditKeyArn = stack.resolve(keys.audit.keyArn) as Record<string, unknown>;
    t.hasResourceProperties('AWS::CloudTrail::Trail', { KMSKeyId: auditKeyArn });
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: auditKeyArn });
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: auditKeyArn },
          }),
        ],
      },
    });
    // No key of its own.
    expect(JSON.stringify(t.findResources('AWS::KMS::Key'))).not.toContain('Test/Audit/Key');
  });

  test('CloudWatch Logs delivery to an encrypted log group with one-year retention', () => {
    const { template } = build();
    const t = template();
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
    const props = trailProps(t);
    expect(JSON.stringify(props.CloudWatchLogsLogGroupArn)).toMatch(/AuditLogGroup.*Arn/);
    expect(JSON.stringify(props.CloudWatchLogsRoleArn)).toMatch(/AuditLogsRole.*Arn/);
  });

  test('log group retained on stack deletion', () => {
    build()
      .template()
      .hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('CloudWatch role: trust scoped to this trail, permissions in a managed policy on the log group only', () => {
    const { template, trail } = build();
    const t = template();
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ],
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'DeliverTrailEvents',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditLogGroup'), 'Arn'] },
          },
        ],
      },
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
    expect(trail.logsRole.policy).toBeDefined();
  });

  test('trail depends on the bucket policy and the role policy', () => {
    const t = build().template();
    t.hasResource('AWS::CloudTrail::Trail', {
      DependsOn: Match.arrayWith([
        Match.stringLikeRegexp('AuditBucketPolicy'),
        Match.stringLikeRegexp('AuditLogsRolePolicy'),
      ]),
    });
  });

  test('bucket: Object Lock in COMPLIANCE mode for 365 days', () => {
    build()
      .template()
      .hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
        },
      });
  });

  test('bucket: GOVERNANCE mode and a custom retention', () => {
    build({ objectLockMode: 'GOVERNANCE', objectLockRetention: Duration.days(30) })
      .template()
      .hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
        },
      });
  });

  test('bucket: access logs and log files expire after seven years', () => {
    const t = build().template();
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'expire-log-files', ExpirationInDays: 2555, Status: 'Enabled' }),
        ]),
      },
    });
  });

  test('bucket policy: CloudTrail may check the ACL and write, only for this trail', () => {
    const { template } = build();
    const t = template();
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudTrailAclCheck',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:GetBucketAcl',
            Condition: { StringEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
          Match.objectLike({
            Sid: 'CloudTrailWrite',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [Match.anyValue(), '/AWSLogs/111111111111/*']] },
            Condition: {
              StringEquals: {
                'aws:SourceArn': Match.anyValue(),
                's3:x-amz-acl': 'bucket-owner-full-control',
              },
            },
          }),
        ]),
      },
    });
  });

  // Digest files are encrypted with SSE-S3 even when the trail uses SSE-KMS, and go to
  // AWSLogs/<account>/CloudTrail-Digest/: the bucket must accept them, or log file validation
  // never produces a digest.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
  test('bucket policy: only CloudTrail may write SSE-S3 objects, and only its digest files', () => {
    const t = build().template();
    const [policy] = Object.values(t.findResources('AWS::S3::BucketPolicy')).filter((p) =>
      JSON.stringify(p).includes('CloudTrailWrite'),
    ) as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }[];
    const statements = policy.Properties.PolicyDocument.Statement;
    const other = statements.find((s) => s.Sid === 'DenyOtherEncryption')!;
    expect(other.Condition).toEqual({
      StringNotEquals: {
        's3:x-amz-server-side-encryption': 'aws:kms',
        'aws:PrincipalServiceName': ['cloudtrail.amazonaws.com'],
      },
      Null: { 's3:x-amz-server-side-encryption': 'false' },
    });
    const outside = statements.find((s) => s.Sid === 'DenySseS3OutsideServicePrefixes')!;
    expect(outside).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      NotResource: { 'Fn::Join': ['', [expect.anything(), '/AWSLogs/111111111111/CloudTrail-Digest/*']] },
      Condition: {
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
        Null: { 's3:x-amz-server-side-encryption': 'false' },
      },
    });
  });

  test('the SourceArn condition names this trail', () => {
    const { template, trail } = build({ trailName: 'platform-audit' });
    const policy = JSON.stringify(template().findResources('AWS::S3::BucketPolicy'));
    expect(policy).toContain(':cloudtrail:eu-west-1:111111111111:trail/platform-audit');
    expect(trail.trailName).toBe('platform-audit');
    template().hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'platform-audit' });
  });

  test('a generated trail name when none is given', () => {
    const { trail } = build();
    expect(trail.trailName).toMatch(/^Test-Audit-[A-F0-9]{8}$/);
  });
});

describe('AuditTrail event selectors', () => {
  test('management events only, by default', () => {
    const props = trailProps(build().template());
    expect(props.AdvancedEventSelectors).toEqual([
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
    ]);
    expect(props.EventSelectors).toBeUndefined();
  });

  test('S3 data events scoped to the bucket ARNs, from props', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Datasets');
    new AuditTrail(stack, 'Audit', { dataEventBuckets: [bucket] });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudTrail::Trail', {
      AdvancedEventSelectors: Match.arrayWith([
        {
          Name: 'Object reads and writes of the platform buckets',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            {
              Field: 'resources.ARN',
              StartsWith: [
                {
                  'Fn::Join': [
                    '',
                    [
                      { 'Fn::GetAtt': [stack.getLogicalId(bucket.bucket.node.defaultChild as never), 'Arn'] },
                      '/',
                    ],
                  ],
                },
              ],
            },
          ],
        },
      ]),
    });
  });

  test('takes a TieredDatasetBucket and a bucket of yours (SecureBucket.fromBucketAttributes)', () => {
    const stack = testStack();
    const datasets = new TieredDatasetBucket(stack, 'Datasets');
    new AuditTrail(stack, 'Audit', { dataEventBuckets: [datasets, theirs(stack, 'Team', 'team-lake')] });
    const selectors = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudTrail::Trail'));
    expect(selectors).toContain(stack.getLogicalId(datasets.bucket.node.defaultChild as never));
    expect(selectors).toContain('team-lake/');
  });

  test('refuses a bucket that is not an ISecureBucket', () => {
    const stack = testStack();
    expect(
      () => new AuditTrail(stack, 'Audit', { dataEventBuckets: [new s3.Bucket(stack, 'Plain') as never] }),
    ).toThrow(/Test\/Audit: dataEventBuckets\.0: is not an ISecureBucket/);
  });

  test('addDataEvents after construction, for buckets and feature groups; duplicates recorded once', () => {
    const { stack, trail, template } = build();
    const a = theirs(stack, 'A', 'features-bucket');
    const b = theirs(stack, 'B', 'models-bucket');
    trail.addDataEvents(a);
    trail.addDataEvents(b);
    trail.addDataEvents(a);
    trail.addDataEvents({ featureGroupArn: FG_ARN });
    trail.addDataEvents({ featureGroupArn: FG_ARN });
    const selectors = trailProps(template()).AdvancedEventSelectors as {
      Name: string;
      FieldSelectors: unknown[];
    }[];
    expect(selectors).toHaveLength(3);
    const s3Selector = JSON.stringify(selectors[1]);
    expect(s3Selector).toContain('features-bucket/');
    expect(s3Selector).toContain('models-bucket/');
    expect(selectors[1].FieldSelectors[2]).toMatchObject({ Field: 'resources.ARN' });
    expect((selectors[1].FieldSelectors[2] as { StartsWith: unknown[] }).StartsWith).toHaveLength(2);
    expect(selectors[2]).toEqual({
      Name: 'Record reads and writes of the platform feature groups',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::SageMaker::FeatureGroup'] },
        { Field: 'resources.ARN', StartsWith: [FG_ARN] },
      ],
    });
    expect(trail.selectorValueCount).toBe(1 + 4 + 3);
  });

  test('feature groups from props, with token ARNs passing through', () => {
    const { template } = build({ dataEventFeatureGroups: [{ featureGroupArn: FG_ARN }] });
    expect(JSON.stringify(trailProps(template()).AdvancedEventSelectors)).toContain(FG_ARN);
  });

  test('data events do not record reads only or writes only: both', () => {
    const { stack, trail, template } = build();
    trail.addDataEvents(theirs(stack, 'A', 'x-bucket'));
    expect(JSON.stringify(trailProps(template()).AdvancedEventSelectors)).not.toContain('readOnly');
  });

  test('more selector values than CloudTrail allows fail synthesis with path and field', () => {
    const { stack, trail } = build();
    for (let i = 0; i < MAX_SELECTOR_VALUES; i++) {
      trail.addDataEvents({
        featureGroupArn: `arn:aws:sagemaker:eu-west-1:111111111111:feature-group/g${i}`,
      });
    }
    expect(() => Template.fromStack(stack)).toThrow(
      /Test\/Audit: dataEvents: has too many selector values \(got 503; expected <= 500/,
    );
  });
});

describe('AuditTrail alarms', () => {
  test('one metric filter per sensitive event class, on the trail log group', () => {
    const t = build().template();
    const names = Object.keys(SENSITIVE_EVENTS);
    t.resourceCountIs('AWS::Logs::MetricFilter', names.length);
    for (const name of names) {
      t.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: Match.stringLikeRegexp('AuditLogGroup') },
        MetricTransformations: [
          { MetricNamespace: 'CompliantMLOps/Audit', MetricName: name, MetricValue: '1' },
        ],
      });
    }
  });

  test.each([
    ['KeyDisabledOrScheduledForDeletion', ['kms.amazonaws.com', 'DisableKey', 'ScheduleKeyDeletion']],
    ['ModelApprovalChanged', ['sagemaker.amazonaws.com', 'UpdateModelPackage', 'modelApprovalStatus']],
    ['BucketPolicyChanged', ['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl']],
    ['TrailChanged', ['StopLogging', 'DeleteTrail', 'UpdateTrail']],
    ['IamPolicyChanged', ['PutRolePolicy', 'AttachRolePolicy', 'CreatePolicyVersion']],
    ['UnauthorizedApiCalls', ['AccessDenied*', '*UnauthorizedOperation']],
    // Whoever may call PutKeyPolicy can give itself data use (key-policy-default.html).
    ['KeyPolicyChanged', ['kms.amazonaws.com', '($.eventName = PutKeyPolicy)']],
    // A grant made by a principal rather than by an AWS service for an AWS resource lets its grantee decrypt.
    [
      'KeyGrantCreatedByPrincipal',
      [
        'kms.amazonaws.com',
        '($.eventName = CreateGrant)',
        '$.userIdentity.invokedBy NOT EXISTS',
        '$.userIdentity.type != "AWSService"',
      ],
    ],
  ])('%s filter matches %j', (name, terms) => {
    const t = build().template();
    const filters = Object.values(t.findResources('AWS::Logs::MetricFilter')) as {
      Properties: { FilterPattern: string; MetricTransformations: { MetricName: string }[] };
    }[];
    const filter = filters.find((f) => f.Properties.MetricTransformations[0].MetricName === name)!;
    for (const term of terms) expect(filter.Properties.FilterPattern).toContain(term);
  });

  test('without alerts, creates its own AlertTopic, exposed as alerts', () => {
    const { stack, trail } = build();
    expect(trail.alerts).toBeInstanceOf(AlertTopic);
    expect((trail.alerts as AlertTopic).node.path).toBe('Test/Audit/Alerts');
    const topicRef = { Ref: stack.getLogicalId(trail.alerts.topic.node.defaultChild as never) };
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  test('notifies any topic through AlertTopic.fromTopic', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:111111111111:team-alerts');
    new AuditTrail(stack, 'Audit', { alerts: AlertTopic.fromTopic(topic) });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:team-alerts'],
      OKActions: ['arn:aws:sns:eu-west-1:111111111111:team-alerts'],
    });
  });

  // CloudWatch alarms publish to an encrypted topic only if the key policy lets
  // cloudwatch.amazonaws.com use the key:
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
  test('refuses alerts whose key does not let CloudWatch publish (a data key)', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const topic = new sns.Topic(stack, 'T', { masterKey: keys.data });
    expect(() => new AuditTrail(stack, 'Audit', { alerts: AlertTopic.fromTopic(topic) })).toThrow(
      /Test\/Audit: alerts\.encryptionKey: is a data key whose policy lacks the AlertPublishers statement/,
    );
  });

  test('refuses alerts that are not an IAlertDestination (a bare topic)', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:111111111111:team-alerts');
    expect(() => new AuditTrail(stack, 'Audit', { alerts: topic as never })).toThrow(
      /^Test\/Audit: alerts: is not an IAlertDestination \(got .*; expected an IAlertDestination \(an AlertTopic, or AlertTopic.fromTopic\(topic\)\)\)/,
    );
  });

  test('every alarm notifies the alert topic on ALARM and OK', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    new AuditTrail(stack, 'Audit', { alerts });
    const t = Template.fromStack(stack);
    const topicRef = { Ref: stack.getLogicalId(alerts.topic.node.defaultChild as never) };
    t.resourceCountIs('AWS::CloudWatch::Alarm', Object.keys(SENSITIVE_EVENTS).length);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    for (const name of Object.keys(SENSITIVE_EVENTS)) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: name,
        Namespace: 'CompliantMLOps/Audit',
        Statistic: 'Sum',
        Period: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef],
        OKActions: [topicRef],
      });
    }
  });

  test('sensitive events alarm on the first occurrence; denied calls at the threshold', () => {
    const { trail, template } = build({ unauthorizedApiCallsThreshold: 10 });
    const t = template();
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'KeyDisabledOrScheduledForDeletion',
      Threshold: 1,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'UnauthorizedApiCalls', Threshold: 10 });
    expect(Object.keys(trail.alarms)).toEqual(Object.keys(SENSITIVE_EVENTS));
  });

  test('a dedicated alert topic when none is given', () => {
    const t = build().template();
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AuditAlerts') }],
    });
  });

  test('metricSensitiveEvent: namespace, name, sum over 5 minutes, overridable', () => {
    const { trail } = build();
    const m = trail.metricSensitiveEvent('TrailChanged');
    expect(m.namespace).toBe('CompliantMLOps/Audit');
    expect(m.metricName).toBe('TrailChanged');
    expect(m.statistic).toBe('Sum');
    expect(m.period.toMinutes()).toBe(5);
    expect(trail.metricSensitiveEvent('TrailChanged', { period: Duration.hours(1) }).period.toHours()).toBe(
      1,
    );
  });
});

describe('AuditTrail grants', () => {
  test('grantReadLogFiles: bucket policy on AWSLogs/ and decrypt on the key', () => {
    const { stack, trail, template } = build();
    const role = new iam.Role(stack, 'Investigator', { assumedBy: new iam.AccountRootPrincipal() });
    trail.grantReadLogFiles(role);
    const t = template();
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['s3:GetObject']),
            Resource: { 'Fn::Join': ['', [Match.anyValue(), '/AWSLogs/*']] },
          }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'] })] },
    });
  });
});

describe('AuditTrail validation', () => {
  test('refuses a domain key that does not let CloudTrail and CloudWatch Logs use it', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    expect(() => new AuditTrail(stack, 'Audit', { encryptionKey: keys.data })).toThrow(
      /^Test\/Audit: encryptionKey: is a data key whose policy lacks the CloudTrailDescribeKey, CloudTrailEncryptLogs, CloudTrailDecryptWithBucketKey statements \(cloudtrail\)[^\n]*\nTest\/Audit: encryptionKey: is a data key whose policy lacks the CloudWatchLogsEncryption statement \(logs\)/,
    );
  });

  test('adds the CloudTrail and CloudWatch Logs statements to an app key', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
    new AuditTrail(stack, 'Audit', { encryptionKey: key });
    const sids = (
      Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(key.node.defaultChild as kms.CfnKey)]
        .Properties.KeyPolicy.Statement as { Sid?: string }[]
    ).map((st) => st.Sid);
    expect(sids).toEqual(
      expect.arrayContaining([
        'CloudTrailEncryptLogs',
        'CloudTrailDescribeKey',
        'CloudTrailDecryptWithBucketKey',
        'CloudWatchLogsEncryption',
      ]),
    );
  });

  test('logFileRetention shorter than the lock', () => {
    expect(() =>
      build({ objectLockRetention: Duration.days(400), logFileRetention: Duration.days(100) }),
    ).toThrow(
      /^Test\/Audit: logFileRetention: is shorter than the object lock retention \(got Duration\.days\(100\); expected at least objectLockRetention \(400 days\)\)$/,
    );
  });

  test('objectLockRetention out of range', () => {
    expect(() => build({ objectLockRetention: Duration.hours(1) })).toThrow(
      /Test\/Audit: objectLockRetention: is out of range/,
    );
  });

  test('invalid trail name', () => {
    expect(() => build({ trailName: '-bad name' })).toThrow(
      /Test\/Audit: trailName: has an invalid format \(got "-bad name"/,
    );
  });

  test('unknown object lock mode', () => {
    expect(() => build({ objectLockMode: 'WORM' as never })).toThrow(
      /Test\/Audit: objectLockMode: is not an allowed value/,
    );
  });

  test('threshold must be a positive integer', () => {
    expect(() => build({ unauthorizedApiCallsThreshold: 0 })).toThrow(
      /Test\/Audit: unauthorizedApiCallsThreshold: is too small/,
    );
  });

  test('log group retention must be a RetentionDays value', () => {
    expect(() => build({ logGroupRetention: 17 as logs.RetentionDays })).toThrow(
      /Test\/Audit: logGroupRetention: is not an allowed value/,
    );
  });

  test('malformed feature group ARN in props', () => {
    expect(() => build({ dataEventFeatureGroups: [{ featureGroupArn: 'churn' }] })).toThrow(
      /Test\/Audit: dataEventFeatureGroups\.0\.featureGroupArn: is not a feature group ARN \(got "churn"/,
    );
  });

  test('addDataEvents rejects a malformed feature group ARN and a non-resource', () => {
    const { trail } = build();
    expect(() => trail.addDataEvents({ featureGroupArn: 'arn:aws:s3:::x' })).toThrow(
      /Test\/Audit: addDataEvents\.resource\.featureGroupArn: is not a feature group ARN/,
    );
    expect(() => trail.addDataEvents({} as never)).toThrow(
      /Test\/Audit: addDataEvents\.resource: is neither a bucket nor a feature group \(got \{\}; expected an ISecureBucket or an object with a featureGroupArn\)/,
    );
  });

  test('unknown props are rejected', () => {
    expect(() => build({ isMultiRegionTrail: false } as never)).toThrow(
      /Test\/Audit: isMultiRegionTrail: is not a known prop/,
    );
  });

  test('tokens pass through validation', () => {
    const stack = testStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    expect(() => new AuditTrail(stack, 'Audit', { trailName: name })).not.toThrow();
  });

  test('all problems in one error', () => {
    expect(() => build({ trailName: 'x', unauthorizedApiCallsThreshold: -1 })).toThrow(
      /trailName[\s\S]*unauthorizedApiCallsThreshold/,
    );
  });
});

describe('AuditTrail nag', () => {
  test('zero findings with defaults', () => {
    expect(findingLines(build().stack)).toEqual([]);
  });

  test('zero findings with data events, shared keys and alert topic', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
    const trail = new AuditTrail(stack, 'Audit', {
      encryptionKey: keys.audit,
      alerts,
      dataEventFeatureGroups: [{ featureGroupArn: FG_ARN }],
    });
    trail.addDataEvents(theirs(stack, 'Models', 'models-bucket'));
    expect(findingLines(stack)).toEqual([]);
  });

  test('zero findings in GOVERNANCE mode', () => {
    expect(findingLines(build({ objectLockMode: 'GOVERNANCE' }).stack)).toEqual([]);
  });

  test('refuses INFINITE log retention, partial days and a token Object Lock retention', () => {
    expect(() => build({ logGroupRetention: logs.RetentionDays.INFINITE })).toThrow(
      /^Test\/Audit: logGroupRetention: must not be INFINITE/,
    );
    expect(() => build({ logFileRetention: Duration.hours(2200) })).toThrow(
      /^Test\/Audit: logFileRetention: must be a whole number of days/,
    );
    expect(() =>
      build({ objectLockRetention: Duration.days(Token.asNumber(Lazy.number({ produce: () => 30 }))) }),
    ).toThrow(/^Test\/Audit: objectLockRetention: must be a literal duration/);
  });
});
