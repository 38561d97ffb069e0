import { Lazy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import {
  ModelDataLegalHold,
  type ModelDataLegalHoldProps,
} from '../../constructs/training/model-data-legal-hold';
import { ModelRegistry } from '../../constructs/training/model-registry';
import { findingLines, testStack } from '../support/nag';
import { propsError } from '../support/props';

function fixture() {
  const stack = testStack();
  const logsKey = createDomainKey(stack, 'LogsKey', 'logs');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: logsKey });
  const datasets = new TieredDatasetBucket(stack, 'Datasets');
  const artifacts = new SecureBucket(stack, 'Artifacts', { keyDomain: 'models' });
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: logsKey });
  const registry = new ModelRegistry(stack, 'Registry', { modelPackageGroupName: 'churn-model', alerts });
  const props: ModelDataLegalHoldProps = {
    registry,
    datasetBucket: datasets,
    manifestBucket: artifacts,
    alerts,
    vpc: network.vpc,
    encryptionKey: logsKey,
  };
  return { stack, props, registry, datasets, artifacts };
}

function build(overrides: Partial<ModelDataLegalHoldProps> = {}) {
  const f = fixture();
  const holds = new ModelDataLegalHold(f.stack, 'Holds', { ...f.props, ...overrides });
  return { ...f, holds, t: Template.fromStack(f.stack) };
}

type Statement = { Sid: string; Action: unknown; Resource: unknown; Condition?: unknown };
function holdPolicy(t: Template): Statement[] {
  const [, policy] = Object.entries(t.findResources('AWS::IAM::ManagedPolicy')).find(([id]) =>
    id.startsWith('HoldsPolicy'),
  )!;
  return (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
    .Statement;
}

describe('ModelDataLegalHold', () => {
  // Every approval change of the group, not only approvals: leaving Approved releases holds.
  // https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-model-package
  it("sends every state change of this group's versions to the function, with retries and a dead-letter queue", () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['churn-model'] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HoldsFunction'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HoldsDeadLetters'), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 10 }),
        }),
      ],
    });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HoldsStateChanges'), 'Arn'] },
    });
  });

  it('tells the function its group, the held bucket and prefix, and where manifests are', () => {
    const { t } = build({ datasetsPrefix: 'datasets/', manifestPrefix: 'lineage/churn-training/' });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 300,
      Environment: {
        Variables: Match.objectLike({
          LEGAL_HOLD_GROUP_NAME: 'churn-model',
          LEGAL_HOLD_DATASET_BUCKET: { Ref: Match.stringLikeRegexp('^Datasets') },
          LEGAL_HOLD_DATASETS_PREFIX: 'datasets/',
          LEGAL_HOLD_MANIFEST_BUCKET: { Ref: Match.stringLikeRegexp('^Artifacts') },
          LEGAL_HOLD_MANIFEST_PREFIX: 'lineage/churn-training/',
        }),
      },
    });
  });

  // s3:PutObjectLegalHold / s3:GetObjectLegalHold authorize legal holds on any version of an object:
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-permissions
  it('may only set and read legal holds on the dataset objects, read the group, and publish its metrics', () => {
    const { t } = build({ datasetsPrefix: 'datasets/' });
    const statements = holdPolicy(t);
    expect(statements.map((s) => s.Sid)).toEqual([
      'ReadVersions',
      'ListVersions',
      'LegalHolds',
      'PublishHoldMetrics',
    ]);
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.LegalHolds.Action).toEqual(['s3:PutObjectLegalHold', 's3:GetObjectLegalHold']);
    const [, [bucketArn, suffix]] = (
      bySid.LegalHolds.Resource as { 'Fn::Join': [string, [unknown, string]] }
    )['Fn::Join'];
    expect(suffix).toBe('/datasets/*');
    expect(JSON.stringify(bucketArn)).toMatch(/"Fn::GetAtt":\["Datasets[A-Z0-9]+","Arn"\]/);
    expect(JSON.stringify(bySid.ListVersions.Resource)).toContain(':model-package-group/churn-model');
    expect(JSON.stringify(bySid.ReadVersions.Resource)).toContain(':model-package/churn-model/*');
    expect(bySid.ReadVersions.Action).toBe('sagemaker:DescribeModelPackage');
    expect(bySid.PublishHoldMetrics.Condition).toEqual({
      StringEquals: { 'cloudwatch:namespace': 'ML/LegalHold' },
    });
    // No delete, no retention, no governance bypass, no writes anywhere.
    const actions = JSON.stringify(statements.map((s) => s.Action));
    for (const forbidden of [
      'DeleteObject',
      'PutObjectRetention',
      'BypassGovernanceRetention',
      '"s3:PutObject"',
    ])
      expect(actions).not.toContain(forbidden);
  });

  it('reads manifests under the manifest prefix only, through the bucket policy, and decrypts with its key', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^Artifacts') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: Match.arrayWith(['s3:GetObject']),
            Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HoldsFunctionRole'), 'Arn'] } },
            Resource: {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Artifacts'), 'Arn'] }, '/lineage/*'],
              ],
            },
          }),
        ]),
      },
    });
    // Nothing in the dataset bucket's policy: the function never reads training data.
    const others = Object.values(t.findResources('AWS::S3::BucketPolicy')).filter(
      (p) =>
        !JSON.stringify((p as { Properties: { Bucket: unknown } }).Properties.Bucket).includes('Artifacts'),
    );
    expect(others.length).toBeGreaterThan(0);
    for (const p of others) expect(JSON.stringify(p)).not.toContain('HoldsFunctionRole');
  });

  it('alarms on hold failures, an approval without a manifest and a failing function, all to the alerts', () => {
    const { t } = build();
    for (const MetricName of ['HoldFailures', 'ApprovedWithoutManifest']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'ML/LegalHold',
        MetricName,
        Dimensions: [{ Name: 'ModelPackageGroupName', Value: 'churn-model' }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
      });
    }
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^HoldsFunction') } }],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
    });
  });

  it('has zero unacknowledged findings in every pack', () => {
    expect(findingLines(build().stack)).toEqual([]);
    expect(findingLines(build({ datasetsPrefix: 'datasets/' }).stack)).toEqual([]);
  });

  it('passes token prefixes through validation', () => {
    const f = fixture();
    const prefix = Lazy.string({ produce: () => 'lineage/' });
    const holds = new ModelDataLegalHold(f.stack, 'Holds', { ...f.props, manifestPrefix: prefix });
    expect(holds.manifestPrefix).toBe(prefix);
  });

  it('holds for an imported registry: the rule and the grants name its group', () => {
    const f = fixture();
    const imported = ModelRegistry.fromModelPackageGroupName(f.stack, 'Imported', 'fraud-model');
    new ModelDataLegalHold(f.stack, 'Holds', { ...f.props, registry: imported });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { ModelPackageGroupName: ['fraud-model'] } }),
    });
    expect(JSON.stringify(holdPolicy(t))).toContain(':model-package/fraud-model/*');
  });

  it.each([
    ['manifestPrefix', { manifestPrefix: 'lineage' }],
    ['manifestPrefix', { manifestPrefix: '/lineage/' }],
    ['datasetsPrefix', { datasetsPrefix: 'datasets' }],
    ['maxAttempts', { maxAttempts: 0 }],
  ])('rejects a malformed %s with path and field', (field, overrides) => {
    const f = fixture();
    const e = propsError(() => new ModelDataLegalHold(f.stack, 'Holds', { ...f.props, ...overrides }));
    expect(e.message).toMatch(/^Test\/Holds: /);
    expect(e.message).toContain(`${field}:`);
  });

  it('rejects a dataset bucket that is not a secure bucket, in one error with every problem', () => {
    const f = fixture();
    const e = propsError(
      () =>
        new ModelDataLegalHold(f.stack, 'Holds', {
          ...f.props,
          datasetBucket: {} as never,
          manifestPrefix: 'x',
        }),
    );
    expect(e.message).toContain('datasetBucket:');
    expect(e.message).toContain('manifestPrefix:');
  });
});
