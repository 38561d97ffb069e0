import { describe, expect, it } from 'vitest';
import { CfnResource, Lazy, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { AlertTopic, IAlertDestination } from '../../constructs/monitoring/alert-topic';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { propsError as errorOf } from '../support/props';
import { ModelRegistry, ModelRegistryProps } from '../../constructs/training/model-registry';
import { CfnTemplate, unsafeReplacements } from '../deploy/update-safety-diff';
import { findingLines, testStack } from '../support/nag';

function registry(props: Partial<ModelRegistryProps> = {}) {
  const stack = testStack();
  const alerts = new AlertTopic(stack, 'Alerts');
  return {
    stack,
    alerts,
    registry: new ModelRegistry(stack, 'Registry', { alerts, ...props }),
  };
}

describe('ModelRegistry', () => {
  it('creates a model package group with a generated lowercase name by default', () => {
    const { stack, registry: r } = registry();
    expect(r.modelPackageGroupName).toMatch(/^test-registry-[a-z0-9]+$/);
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: r.modelPackageGroupName,
      ModelPackageGroupPolicy: Match.absent(),
    });
  });

  it('routes approval-status changes to the alert topic with a dead-letter queue', () => {
    const { stack } = registry({ modelPackageGroupName: 'churn' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: {
          ModelPackageGroupName: ['churn'],
          ModelApprovalStatus: ['PendingManualApproval', 'Approved', 'Rejected'],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('^Alerts') },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RegistryDeadLetters'), 'Arn'] },
          },
          RetryPolicy: { MaximumRetryAttempts: 10 },
        }),
      ],
    });
    // Encrypted with the alert topic's key, which already lets EventBridge generate data keys.
    t.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Alerts'), 'Arn'] },
    });
  });

  it('adds a cross-account read policy for promotion', () => {
    const { stack } = registry({
      modelPackageGroupName: 'churn',
      crossAccountReadAccounts: ['222222222222'],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupPolicy: {
        Statement: [
          Match.objectLike({
            Principal: {
              AWS: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::222222222222:root'])] }),
            },
            Action: [
              'sagemaker:DescribeModelPackage',
              'sagemaker:DescribeModelPackageGroup',
              'sagemaker:ListModelPackages',
            ],
          }),
        ],
      },
    });
  });

  it('grants register and approve scoped to the group and its versions', () => {
    const { stack, registry: r } = registry({ modelPackageGroupName: 'Churn' });
    const pipeline = new ScopedRole(stack, 'PipelineRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    const reviewer = new ScopedRole(stack, 'Reviewer', { assumedBy: new iam.AccountRootPrincipal() });
    r.grantRegister(pipeline);
    r.grantApprove(reviewer);
    const t = Template.fromStack(stack);
    const resources = [
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111111111111:model-package-group/churn'],
        ],
      },
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111111111111:model-package/churn/*'],
        ],
      },
    ];
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: Match.arrayWith(['sagemaker:CreateModelPackage']),
            Resource: resources,
          }),
        ],
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: Match.arrayWith(['sagemaker:UpdateModelPackage']),
            Resource: resources,
          }),
        ],
      },
    });
  });

  it('rejects an invalid name and account', () => {
    expect(() => registry({ modelPackageGroupName: 'bad_name' })).toThrow(
      /^Test\/Registry: modelPackageGroupName: /,
    );
    expect(() => registry({ crossAccountReadAccounts: ['123'] })).toThrow(
      /^Test\/Registry: crossAccountReadAccounts\.0: has an invalid format/,
    );
  });

  it('takes any topic through AlertTopic.fromTopic, reusing its key for the dead-letter queue', () => {
    const stack = testStack();
    const key = createDomainKey(stack, 'OwnKey', 'logs');
    const topic = new sns.Topic(stack, 'Own', { masterKey: key, enforceSSL: true });
    new ModelRegistry(stack, 'Registry', {
      alerts: AlertTopic.fromTopic(topic),
      modelPackageGroupName: 'churn',
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({ Arn: { Ref: stack.getLogicalId(topic.node.defaultChild as CfnResource) } }),
      ],
    });
    t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: stack.resolve(key.keyArn) });
    t.resourceCountIs('AWS::KMS::Key', 1);
  });

  it('gives the dead-letter queue a dedicated logs key when the destination has no key', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Shared', 'arn:aws:sns:eu-west-1:111111111111:ml-alerts');
    const r = new ModelRegistry(stack, 'Registry', {
      alerts: AlertTopic.fromTopic(topic),
      modelPackageGroupName: 'churn',
    });
    const key = r.deadLetterQueue.encryptionMasterKey;
    expect(key?.node.path).toMatch(/^Test\/Registry\/DeadLettersKey/);
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RegistryDeadLettersKey'), 'Arn'] },
    });
  });

  it('rejects a bare topic as alerts, naming the field', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    const e = errorOf(
      () => new ModelRegistry(stack, 'Registry', { alerts: alerts.topic as unknown as IAlertDestination }),
    );
    expect(e.message).toBe(
      'Test/Registry: alerts: is not an alert destination (got construct Test/Alerts/Resource; ' +
        'expected an IAlertDestination (an AlertTopic, or AlertTopic.fromTopic(topic)))',
    );
  });

  it('imports by name', () => {
    const stack = testStack();
    const r = ModelRegistry.fromModelPackageGroupName(stack, 'Imported', 'churn');
    expect(stack.resolve(r.modelPackageArnPattern)).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111111111111:model-package/churn/*'],
      ],
    });
  });

  it('has zero findings with defaults and with a cross-account policy', () => {
    expect(findingLines(registry().stack)).toEqual([]);
    expect(findingLines(registry({ crossAccountReadAccounts: ['222222222222'] }).stack)).toEqual([]);
  });

  it('refuses a number token as the group name (a string token passes)', () => {
    expect(() =>
      registry({
        modelPackageGroupName: Token.asNumber(Lazy.number({ produce: () => 1 })) as unknown as string,
      }),
    ).toThrow(/^Test\/Registry: modelPackageGroupName: is a number token where a string is expected/);
    expect(() =>
      registry({ modelPackageGroupName: Token.asString(Lazy.string({ produce: () => 'churn' })) }),
    ).not.toThrow();
  });

  it('refuses a string that looks like a token but is not one (copied from a template)', () => {
    expect(() => registry({ modelPackageGroupName: '${Token[TOKEN.1]}' })).toThrow(
      /^Test\/Registry: modelPackageGroupName: looks like a token but was not created in this app/,
    );
  });

  // ModelPackageGroupDescription is "Update requires: Replacement"; Tags are "No interruption":
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-modelpackagegroup.html
  it('carries the description as a tag, not in the create-only ModelPackageGroupDescription', () => {
    const { stack } = registry({
      modelPackageGroupName: 'churn',
      description: 'Customer churn model versions',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'churn',
      ModelPackageGroupDescription: Match.absent(),
      Tags: Match.arrayWith([{ Key: 'description', Value: 'Customer churn model versions' }]),
    });
  });

  // Replacing the group would orphan its model versions, and a custom-named resource cannot be
  // replaced under the same name:
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
  it('keeps the group, under its name, when the description is added or changed', () => {
    const template = (description?: string, name?: string) =>
      Template.fromStack(
        registry({ modelPackageGroupName: name, description }).stack,
      ).toJSON() as CfnTemplate;
    for (const name of ['churn', undefined]) {
      const none = template(undefined, name);
      const one = template('Customer churn model versions', name);
      const other = template('Churn models - retrained weekly', name);
      expect(unsafeReplacements(none, one)).toEqual([]);
      expect(unsafeReplacements(one, other)).toEqual([]);
    }
  });

  // A SageMaker tag value: at most 256 characters of letters, digits, spaces and _.:/=+-@:
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-sagemaker-modelpackagegroup-tag.html
  it('refuses a description that is not a valid tag value', () => {
    expect(() => registry({ description: 'd'.repeat(256) })).not.toThrow();
    expect(() => registry({ description: 'Überwachte Modelle: Kündigung/Churn @team-a' })).not.toThrow();
    expect(() => registry({ description: 'd'.repeat(257) })).toThrow(
      /^Test\/Registry: description: is too large \(got .*; expected length <= 256\)/,
    );
    expect(() => registry({ description: 'churn models, weekly' })).toThrow(
      /^Test\/Registry: description: has an invalid format \(got "churn models, weekly"; expected /,
    );
  });
});
