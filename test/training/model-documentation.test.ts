import { describe, expect, it } from 'vitest';
import { Lazy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { FeatureContract } from '../../constructs/feature-store/feature-contract';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { ModelRegistry } from '../../constructs/training/model-registry';
import {
  ModelDocumentation,
  type ModelDocumentationProps,
} from '../../constructs/training/model-documentation';
import { ENV } from '../../lib/handlers/model-docs/contract';
import { findingLines, testStack } from '../support/nag';
import { propsError } from '../support/props';

const CONTRACT = FeatureContract.define({
  domain: 'marketing',
  name: 'customer-churn',
  version: '1.2.0',
  description: 'churn features',
  owner: 'churn-analytics',
  recordIdentifier: 'customer_id',
  eventTime: 'event_time',
  riskTier: 'high',
  features: [
    { name: 'customer_id', type: 'String', description: 'id' },
    { name: 'event_time', type: 'String', description: 'time' },
  ],
});

/** A contract with many features. */
function big(): FeatureContract {
  return FeatureContract.define({
    domain: 'marketing',
    name: 'customer-churn',
    version: '1.2.0',
    description: 'churn features',
    owner: 'churn-analytics',
    recordIdentifier: 'customer_id',
    eventTime: 'event_time',
    features: [
      { name: 'customer_id', type: 'String', description: 'id' },
      { name: 'event_time', type: 'String', description: 'time' },
      ...Array.from({ length: 40 }, (_, i) => ({
        name: `signal_number_${i}`,
        type: 'Fractional' as const,
        description: 'a signal',
      })),
    ],
  });
}

function fixture(groupName = 'churn-model') {
  const stack = testStack();
  const logsKey = createDomainKey(stack, 'LogsKey', 'logs');
  const modelsKey = createDomainKey(stack, 'ModelsKey', 'models');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: logsKey });
  const reports = new SecureBucket(stack, 'Reports');
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: logsKey });
  const registry = new ModelRegistry(stack, 'Registry', { modelPackageGroupName: groupName, alerts });
  const props: ModelDocumentationProps = {
    registry,
    cardEncryptionKey: modelsKey,
    contract: CONTRACT,
    intendedUse: 'Ranks customers by churn risk for retention offers',
    runbooks: [{ title: 'On-call', url: 'https://wiki.example.com/churn' }],
    reportsBucket: reports,
    alerts,
    vpc: network.vpc,
    encryptionKey: logsKey,
  };
  return { stack, props, registry, reports, modelsKey };
}

function build(overrides: Partial<ModelDocumentationProps> = {}) {
  const f = fixture();
  const docs = new ModelDocumentation(f.stack, 'Docs', { ...f.props, ...overrides });
  return { ...f, docs, t: Template.fromStack(f.stack) };
}

type Statement = { Sid?: string; Action: unknown; Resource: unknown; Condition?: unknown };
function docsPolicy(t: Template): Statement[] {
  const policies = t.findResources('AWS::IAM::ManagedPolicy');
  const [, policy] = Object.entries(policies).find(([id]) => id.startsWith('DocsPolicy'))!;
  return (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
    .Statement;
}

function environment(t: Template): Record<string, unknown> {
  const fns = Object.values(t.findResources('AWS::Lambda::Function')).filter((r) =>
    JSON.stringify(r).includes(ENV.groupName),
  );
  expect(fns).toHaveLength(1);
  return (fns[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties
    .Environment.Variables;
}

describe('ModelDocumentation', () => {
  // The event SageMaker sends on a model package state change carries ModelPackageGroupName.
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
          RetryPolicy: { MaximumRetryAttempts: 10 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DocsDeadLetters'), 'Arn'] } },
        }),
      ],
    });
  });

  // CreateModelCard SecurityConfig.KmsKeyId: the key that encrypts the card.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ModelCardSecurityConfig.html
  it('gives the function the card key, the group, the report location, the contract and the runbooks', () => {
    const { t } = build();
    const env = environment(t);
    expect(env[ENV.groupName]).toBe('churn-model');
    expect(env[ENV.cardKeyId]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ModelsKey/), 'Arn'] });
    expect(JSON.parse(env[ENV.contract] as string)).toEqual({
      name: 'customer-churn',
      version: '1.2.0',
      owner: 'churn-analytics',
      riskTier: 'high',
      features: [
        { name: 'customer_id', type: 'String', pii: 'none' },
        { name: 'event_time', type: 'String', pii: 'none' },
      ],
      intendedUse: 'Ranks customers by churn risk for retention offers',
    });
    expect(JSON.parse(env[ENV.runbooks] as string)).toEqual([
      { title: 'On-call', url: 'https://wiki.example.com/churn' },
    ]);
    expect(env[ENV.reportsPrefixes]).toBe('["bias-reports/churn-model/"]');
  });

  it("scopes the role to the group's versions and model cards, and the card key to SageMaker", () => {
    const { t } = build();
    const statements = docsPolicy(t);
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(JSON.stringify(bySid.ReadVersions!.Resource)).toContain(':model-package/churn-model/*');
    expect(bySid.WriteModelCards!.Action).toEqual([
      'sagemaker:DescribeModelCard',
      'sagemaker:CreateModelCard',
      'sagemaker:UpdateModelCard',
    ]);
    expect(JSON.stringify(bySid.WriteModelCards!.Resource)).toContain(':model-card/churn-model-*');
    expect(bySid.EncryptModelCards!.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(bySid.EncryptModelCards!.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'sagemaker.eu-west-1.amazonaws.com' },
    });
    expect(bySid.PublishDocumentationMetrics!.Condition).toEqual({
      StringEquals: { 'cloudwatch:namespace': 'ML/ModelDocumentation' },
    });
    // Nothing else: no approval, no deletion, no other group.
    expect(statements.map((s) => s.Sid)).toEqual([
      'ReadVersions',
      'WriteModelCards',
      'EncryptModelCards',
      'PublishDocumentationMetrics',
    ]);
  });

  it('lets the role read the reports under the given prefixes only', () => {
    const { t } = build({ reportsPrefixes: ['bias-reports/churn-model/', 'evaluation/churn-training/'] });
    // SecureBucket grants go into its bucket policy, scoped to the prefix.
    const text = JSON.stringify(t.findResources('AWS::S3::BucketPolicy'));
    expect(text).toContain('/bias-reports/churn-model/*');
    expect(text).toContain('/evaluation/churn-training/*');
  });

  it('alarms to the alert topic on failures, unread reports, malformed events, errors and dead letters', () => {
    const { t } = build();
    for (const [namespace, metric] of [
      ['ML/ModelDocumentation', 'DocumentationFailures'],
      ['ML/ModelDocumentation', 'ReportsNotRead'],
      ['ML/ModelDocumentation', 'MalformedEvents'],
      ['AWS/Lambda', 'Errors'],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
    ]) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: namespace,
        MetricName: metric,
        Threshold: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
      });
    }
  });

  it('has zero unacknowledged findings in every pack', () => {
    const { stack } = build();
    expect(findingLines(stack)).toEqual([]);
  });

  it('documents without a contract: the function gets an empty contract', () => {
    const { t } = build({ contract: undefined, intendedUse: undefined, runbooks: undefined });
    const env = environment(t);
    expect(env[ENV.contract]).toBe('{}');
    expect(env[ENV.runbooks]).toBe('[]');
  });

  it('passes a token reports prefix through validation', () => {
    const prefix = Lazy.string({ produce: () => 'reports/' });
    const { docs } = build({ reportsPrefixes: [prefix] });
    expect(docs.reportsPrefixes).toEqual([prefix]);
  });

  it('rejects a reports prefix that does not end in / with path and field', () => {
    const f = fixture();
    const e = propsError(
      () => new ModelDocumentation(f.stack, 'Docs', { ...f.props, reportsPrefixes: ['bias'] }),
    );
    expect(e.message).toMatch(/^Test\/Docs: /);
    expect(e.message).toContain('reportsPrefixes.0:');
  });

  it('rejects a runbook that is not an https URL', () => {
    const f = fixture();
    const e = propsError(
      () =>
        new ModelDocumentation(f.stack, 'Docs', {
          ...f.props,
          runbooks: [{ title: 'x', url: 'http://wiki' }],
        }),
    );
    expect(e.message).toContain('runbooks.0.url:');
  });

  // Lambda: "The total size of all environment variables doesn't exceed 4 KB".
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
  it('rejects a contract too large for the function environment', () => {
    const f = fixture();
    const e = propsError(
      () =>
        new ModelDocumentation(f.stack, 'Docs', {
          ...f.props,
          intendedUse: 'x'.repeat(2048),
          contract: big(),
        }),
    );
    expect(e.message).toMatch(/^Test\/Docs: /);
    expect(e.message).toContain('contract: has too many features');
  });

  // ModelCardName: at most 63 characters, so <group>-<version> needs a group of at most 56.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelCard.html
  it('rejects a group name too long to name its model cards', () => {
    const f = fixture('g'.repeat(57));
    const e = propsError(() => new ModelDocumentation(f.stack, 'Docs', f.props));
    expect(e.message).toMatch(/^Test\/Docs: /);
    expect(e.message).toContain('registry.modelPackageGroupName: is too long to name its model cards');
  });
});
