import { describe, expect, it } from 'vitest';
import { App, Lazy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { FeatureContract } from '../../constructs/feature-store/feature-contract';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { ModelRegistry } from '../../constructs/training/model-registry';
import { ModelReviewGate, type ModelReviewGateProps } from '../../constructs/training/review-gate';
import { findingLines, testStack } from '../support/nag';
import { propsError } from '../support/props';

function fixture(registryProps: { riskTier?: 'minimal' | 'limited' | 'high' } = { riskTier: 'high' }) {
  const stack = testStack();
  const logsKey = createDomainKey(stack, 'LogsKey', 'logs');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: logsKey });
  const reports = new SecureBucket(stack, 'Reports');
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: logsKey });
  const registry = new ModelRegistry(stack, 'Registry', {
    modelPackageGroupName: 'churn-model',
    alerts,
    ...registryProps,
  });
  const props: ModelReviewGateProps = {
    registry,
    reportsBucket: reports,
    alerts,
    vpc: network.vpc,
    encryptionKey: logsKey,
  };
  return { stack, props, registry, reports, alerts };
}

function build(overrides: Partial<ModelReviewGateProps> = {}) {
  const f = fixture();
  const gate = new ModelReviewGate(f.stack, 'Gate', { ...f.props, ...overrides });
  return { ...f, gate, t: Template.fromStack(f.stack) };
}

function gatePolicy(t: Template): { Sid: string; Action: unknown; Resource: unknown; Condition?: unknown }[] {
  const policies = t.findResources('AWS::IAM::ManagedPolicy');
  const [, policy] = Object.entries(policies).find(([id]) => id.startsWith('GatePolicy'))!;
  return (policy as { Properties: { PolicyDocument: { Statement: never[] } } }).Properties.PolicyDocument
    .Statement;
}

describe('ModelReviewGate', () => {
  // The event SageMaker sends on an approval change: detail-type "SageMaker Model Package State
  // Change", detail.ModelPackageGroupName and detail.ModelApprovalStatus.
  // https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-model-package
  it("sends only this group's approvals to the function, with retries and a dead-letter queue", () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['churn-model'], ModelApprovalStatus: ['Approved'] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GateFunction'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GateDeadLetters'), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 10 }),
        }),
      ],
    });
    // EventBridge may invoke the function only for this rule.
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GateApprovals'), 'Arn'] },
    });
  });

  it('tells the function its group and the reports location', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          REVIEW_GATE_GROUP_NAME: 'churn-model',
          REVIEW_GATE_REPORTS_PREFIX: 'bias-reports/churn-model/',
          REVIEW_GATE_REPORTS_BUCKET: { Ref: Match.stringLikeRegexp('^Reports') },
        }),
      },
    });
  });

  // sagemaker:ModelApprovalStatus is a condition key of UpdateModelPackage.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
  it("may only set this group's versions back to PendingManualApproval, and read them", () => {
    const { t } = build();
    const versions = {
      'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':model-package/churn-model/\\*$')])],
    };
    const statements = gatePolicy(t);
    expect(statements.map((s) => s.Sid)).toEqual(['ReadVersions', 'RevertApprovals', 'PublishGateMetrics']);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'ReadVersions',
            Effect: 'Allow',
            Action: 'sagemaker:DescribeModelPackage',
            Resource: versions,
          },
          {
            Sid: 'RevertApprovals',
            Effect: 'Allow',
            Action: 'sagemaker:UpdateModelPackage',
            Resource: versions,
            Condition: { StringEquals: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } },
          },
          {
            Sid: 'PublishGateMetrics',
            Effect: 'Allow',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'ML/ReviewGate' } },
          },
        ],
      },
    });
  });

  it('reads bias reports under the reports prefix only, through the bucket policy', () => {
    const { t } = build({ reportsPrefix: 'reviews/churn/' });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: Match.arrayWith(['s3:GetObject']),
            Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GateFunctionRole'), 'Arn'] } },
            Resource: {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Reports'), 'Arn'] }, '/reviews/churn/*'],
              ],
            },
          }),
        ]),
      },
    });
  });

  it('alarms on a reverted approval, a malformed event and a failing function, all to the alerts', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ML/ReviewGate',
      MetricName: 'ApprovalsReverted',
      Dimensions: [{ Name: 'ModelPackageGroupName', Value: 'churn-model' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ML/ReviewGate',
      MetricName: 'MalformedEvents',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
    });
  });

  it('has zero unacknowledged findings in every pack', () => {
    const { stack } = build();
    expect(findingLines(stack)).toEqual([]);
  });

  it('passes a token reports prefix through validation', () => {
    const f = fixture();
    const prefix = Lazy.string({ produce: () => 'reviews/' });
    const gate = new ModelReviewGate(f.stack, 'Gate', { ...f.props, reportsPrefix: prefix });
    expect(gate.reportsPrefix).toBe(prefix);
  });

  it('guards an imported registry: the rule and the grants name its group', () => {
    const f = fixture({});
    const imported = ModelRegistry.fromModelPackageGroupName(f.stack, 'Imported', 'fraud-model');
    new ModelReviewGate(f.stack, 'Gate', { ...f.props, registry: imported });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        detail: { ModelPackageGroupName: ['fraud-model'], ModelApprovalStatus: ['Approved'] },
      }),
    });
    expect(JSON.stringify(gatePolicy(t))).toContain(':model-package/fraud-model/*');
  });

  it('rejects a reports prefix that does not end in / with path and field', () => {
    const f = fixture();
    const e = propsError(() => new ModelReviewGate(f.stack, 'Gate', { ...f.props, reportsPrefix: 'bias' }));
    expect(e.message).toMatch(/^Test\/Gate: /);
    expect(e.message).toContain('reportsPrefix:');
  });

  it('rejects a subnet selection the VPC lacks, or public subnets, at the gate path, not its function path', () => {
    const f = fixture();
    const gate = (vpcSubnets: ec2.SubnetSelection, id: string) =>
      propsError(() => new ModelReviewGate(f.stack, id, { ...f.props, vpcSubnets }));
    // The inference network has isolated subnets only.
    expect(gate({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, 'Egress').message).toMatch(
      /^Test\/Egress: vpcSubnets: matches no subnet of the VPC/,
    );
    expect(gate({ subnetType: ec2.SubnetType.PUBLIC }, 'Public').message).toMatch(
      /^Test\/Public: vpcSubnets\.subnetType: /,
    );
  });
});

describe('risk tier', () => {
  it('tags the group with its risk tier (a tag updates in place)', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'churn-model',
      Tags: Match.arrayWith([{ Key: 'risk-tier', Value: 'high' }]),
    });
  });

  it('fails synth for a high-risk registry that no review gate guards', () => {
    const { stack } = fixture({ riskTier: 'high' });
    expect(() => App.of(stack)!.synth()).toThrow(
      /Test\/Registry: riskTier: is high, but no ModelReviewGate guards the group/,
    );
  });

  it('synthesizes a high-risk registry with its gate, and a limited one without', () => {
    const gated = build();
    expect(() => App.of(gated.stack)!.synth()).not.toThrow();
    const { stack } = fixture({ riskTier: 'limited' });
    expect(() => App.of(stack)!.synth()).not.toThrow();
  });

  it("carries a feature contract's declared tier", () => {
    const contract = FeatureContract.define({
      domain: 'marketing',
      name: 'customer-churn',
      version: '1.0.0',
      description: 'churn features',
      owner: 'ml-platform',
      recordIdentifier: 'customer_id',
      eventTime: 'event_time',
      riskTier: 'high',
      features: [
        { name: 'customer_id', type: 'String', description: 'id' },
        { name: 'event_time', type: 'String', description: 'time' },
      ],
    });
    expect(contract.riskTier).toBe('high');
    const e = (() => {
      try {
        FeatureContract.define({
          domain: 'marketing',
          name: 'customer-churn',
          version: '1.0.0',
          description: 'churn features',
          owner: 'ml-platform',
          recordIdentifier: 'customer_id',
          eventTime: 'event_time',
          riskTier: 'unacceptable' as 'high',
          features: [
            { name: 'customer_id', type: 'String', description: 'id' },
            { name: 'event_time', type: 'String', description: 'time' },
          ],
        });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(e?.message).toContain('riskTier');
  });
});
