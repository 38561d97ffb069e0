import { describe, expect, it } from 'vitest';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { CostGuardrails } from '../../constructs/cost/cost-guardrails';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { CfnTemplate, unsafeReplacements } from '../deploy/update-safety-diff';
import { findingLines, testStack } from '../support/nag';

function endpointConfig(stack: Stack, id: string, instanceType: string, count = 1) {
  return new sagemaker.CfnEndpointConfig(stack, id, {
    productionVariants: [{ variantName: 'v', modelName: 'm', instanceType, initialInstanceCount: count }],
  });
}

function synthError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

interface BudgetInputs {
  readonly limitUsd?: number;
  readonly actualThresholdPercent?: number;
  readonly forecastThresholdPercent?: number;
  readonly name?: string;
  readonly topicId?: string;
}

/** One budget `team-ml` (or `name`) with the inputs given; the template and the budget's deployed name. */
function oneBudget(o: BudgetInputs = {}): { template: CfnTemplate; budgetName: unknown } {
  const stack = testStack();
  const cost = new CostGuardrails(stack, 'Cost', {
    alerts: new AlertTopic(stack, o.topicId ?? 'Alerts'),
    budgets: [
      {
        name: o.name ?? 'team-ml',
        limitUsd: o.limitUsd ?? 1000,
        tags: { owner: 'ml-platform' },
        actualThresholdPercent: o.actualThresholdPercent,
        forecastThresholdPercent: o.forecastThresholdPercent,
      },
    ],
  });
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const budget = Object.values(template.Resources ?? {}).find((r) => r.Type === 'AWS::Budgets::Budget')!;
  expect(Object.keys(cost.budgets)).toEqual([o.name ?? 'team-ml']);
  return { template, budgetName: (budget.Properties?.Budget as { BudgetName?: unknown }).BudgetName };
}

describe('CostGuardrails', () => {
  it('sends budget alerts to any topic through AlertTopic.fromTopic', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:111111111111:finops');
    new CostGuardrails(stack, 'Cost', {
      alerts: AlertTopic.fromTopic(topic),
      budgets: [{ name: 'team-ml', limitUsd: 1000, tags: { owner: 'ml-platform' } }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', {
      NotificationsWithSubscribers: Match.arrayWith([
        Match.objectLike({
          Subscribers: [{ SubscriptionType: 'SNS', Address: 'arn:aws:sns:eu-west-1:111111111111:finops' }],
        }),
      ]),
    });
  });

  // AWS Budgets publishes to an encrypted topic only if the key policy lets budgets.amazonaws.com
  // use the key: https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html
  it('refuses alerts whose key does not let AWS Budgets publish (a data key)', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const topic = new sns.Topic(stack, 'T', { masterKey: keys.data });
    expect(() => new CostGuardrails(stack, 'Cost', { alerts: AlertTopic.fromTopic(topic) })).toThrow(
      /^Test\/Cost: alerts\.encryptionKey: is a data key whose policy lacks the AlertPublishers statement \(alert-publishers\)/,
    );
  });

  it('lets AWS Budgets use the key of an app topic', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
    new CostGuardrails(stack, 'Cost', {
      alerts: AlertTopic.fromTopic(new sns.Topic(stack, 'T', { masterKey: key })),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AlertPublishers',
            Principal: { Service: Match.arrayWith(['budgets.amazonaws.com']) },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          }),
        ]),
      },
    });
  });

  it('refuses alerts that are not an IAlertDestination (a bare topic)', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:111111111111:finops');
    expect(() => new CostGuardrails(stack, 'Cost', { alerts: topic as never })).toThrow(
      /^Test\/Cost: alerts: is not an IAlertDestination/,
    );
  });

  it('creates monthly tag-filtered budgets with actual and forecast alerts to the alert topic', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    new CostGuardrails(stack, 'Cost', {
      alerts,
      budgets: [
        { name: 'team-fraud', limitUsd: 5000, tags: { team: 'fraud' } },
        { name: 'model-churn', limitUsd: 800, tags: { 'model-id': 'churn' }, actualThresholdPercent: 50 },
      ],
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Budgets::Budget', 2);
    const fraud = Object.values(t.findResources('AWS::Budgets::Budget')).find((b) =>
      b.Properties.Budget.BudgetName.startsWith('team-fraud-'),
    )!;
    expect(fraud.Properties).toMatchObject({
      Budget: {
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 5000, Unit: 'USD' },
        CostFilters: { TagKeyValue: ['user:team$fraud'] },
      },
      NotificationsWithSubscribers: [
        {
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 80,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: expect.stringMatching(/^Alerts/) } }],
        },
        { Notification: { NotificationType: 'FORECASTED', Threshold: 100 } },
      ],
    });
    t.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: Match.stringLikeRegexp('^model-churn-[0-9a-f]{8}$'),
        CostFilters: { TagKeyValue: ['user:model-id$churn'] },
      },
    });
  });

  it('requires a model-id tag on model-scoped SageMaker resources at synth', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const alerts = new AlertTopic(stack, 'Alerts');
    new CostGuardrails(stack, 'Cost', { alerts });
    endpointConfig(stack, 'Config', 'ml.m5.large');
    expect(synthError(app)).toContain(
      'S/Config: tags.model-id: a model-scoped SageMaker resource must say which model it serves (got no model-id; expected a model-id tag)',
    );
  });

  it('passes once the model tag is there', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new CostGuardrails(stack, 'Cost', { alerts: new AlertTopic(stack, 'Alerts') });
    endpointConfig(stack, 'Config', 'ml.m5.large');
    Tags.of(stack).add('model-id', 'churn');
    expect(synthError(app)).toBe('');
  });

  it('refuses GPU instances where GPUs are not allowed, types off the allowlist and too many instances', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    Tags.of(stack).add('model-id', 'm');
    new CostGuardrails(stack, 'Cost', {
      alerts: new AlertTopic(stack, 'Alerts'),
      instancePolicy: { allowedInstanceTypes: ['ml.m5.*', 'ml.g5.xlarge'], maxInstanceCount: 4 },
    });
    endpointConfig(stack, 'Gpu', 'ml.g5.xlarge');
    endpointConfig(stack, 'Big', 'ml.c5.large');
    endpointConfig(stack, 'Many', 'ml.m5.large', 6);
    endpointConfig(stack, 'Fine', 'ml.m5.xlarge', 2);
    const message = synthError(app);
    expect(message).toContain(
      'S/Gpu: variants.0.instanceType: GPU and accelerator instances are not allowed in this environment (got "ml.g5.xlarge"; expected a CPU instance type, or allowGpu: true)',
    );
    expect(message).toContain(
      'S/Big: variants.0.instanceType: is not in the instance allowlist (got "ml.c5.large"; expected one of ml.m5.*, ml.g5.xlarge)',
    );
    expect(message).toContain(
      "S/Many: variants.0.instanceCount: exceeds the environment's maximum (got 6; expected <= 4)",
    );
    expect(message).not.toContain('S/Fine');
  });

  it('looks inside inline pipeline definitions', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    Tags.of(stack).add('model-id', 'm');
    new CostGuardrails(stack, 'Cost', {
      alerts: new AlertTopic(stack, 'Alerts'),
      instancePolicy: { allowGpu: false },
    });
    new sagemaker.CfnPipeline(stack, 'Pipeline', {
      pipelineName: 'p',
      roleArn: 'arn:aws:iam::111111111111:role/r',
      pipelineDefinition: {
        PipelineDefinitionBody: JSON.stringify({
          Version: '2020-12-01',
          Steps: [
            {
              Name: 'Train',
              Type: 'Training',
              Arguments: {
                ResourceConfig: { InstanceType: 'ml.p4d.24xlarge', InstanceCount: 1, VolumeSizeInGB: 50 },
              },
            },
          ],
        }),
      },
    });
    expect(synthError(app)).toContain(
      'S/Pipeline: steps.Train.instanceType: GPU and accelerator instances are not allowed',
    );
  });

  it('reads pipeline bodies built around references and instance types given as parameters', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    Tags.of(stack).add('model-id', 'm');
    new CostGuardrails(stack, 'Cost', {
      alerts: new AlertTopic(stack, 'Alerts'),
      instancePolicy: { allowGpu: false },
    });
    const bucket = new s3.Bucket(stack, 'B');
    new sagemaker.CfnPipeline(stack, 'Pipeline', {
      pipelineName: 'p',
      roleArn: 'arn:aws:iam::111111111111:role/r',
      pipelineDefinition: {
        PipelineDefinitionBody: stack.toJsonString({
          Version: '2020-12-01',
          Parameters: [{ Name: 'TrainingInstanceType', Type: 'String', DefaultValue: 'ml.g5.2xlarge' }],
          Steps: [
            {
              Name: 'Train',
              Type: 'Training',
              Arguments: {
                OutputDataConfig: { S3OutputPath: `s3://${bucket.bucketName}/out/` },
                ResourceConfig: {
                  InstanceType: { Get: 'Parameters.TrainingInstanceType' },
                  InstanceCount: 1,
                  VolumeSizeInGB: 50,
                },
              },
            },
          ],
        }),
      },
    });
    expect(synthError(app)).toContain(
      'S/Pipeline: steps.Train.instanceType: GPU and accelerator instances are not allowed in this environment (got "ml.g5.2xlarge"',
    );
  });

  it('rejects bad props naming path and field', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    expect(
      () =>
        new CostGuardrails(stack, 'Cost', {
          alerts,
          budgets: [{ name: 'x', limitUsd: -1, tags: {} }],
          instancePolicy: { allowedInstanceTypes: ['m5.large'] },
        }),
    ).toThrow(
      /Test\/Cost: budgets.0.limitUsd: is too small[\s\S]*Test\/Cost: budgets.0.tags: needs at least one tag[\s\S]*Test\/Cost: instancePolicy.allowedInstanceTypes.0: has an invalid format/,
    );
  });

  it('passes every pack', () => {
    const stack = testStack();
    new CostGuardrails(stack, 'Cost', {
      alerts: new AlertTopic(stack, 'Alerts'),
      budgets: [{ name: 'team', limitUsd: 100, tags: { team: 'a' } }],
    });
    expect(findingLines(stack)).toEqual([]);
  });

  it('keeps budget ids stable and distinct when names differ only in punctuation', () => {
    const stack = testStack();
    const cost = new CostGuardrails(stack, 'Cost', {
      alerts: new AlertTopic(stack, 'Alerts'),
      budgets: [
        { name: 'a-b', limitUsd: 10, tags: { team: 'a' } },
        { name: 'ab', limitUsd: 20, tags: { team: 'b' } },
      ],
    });
    expect(cost.budgets['a-b'].node.id).toBe('Budgetab');
    expect(cost.budgets.ab.node.id).toMatch(/^Budgetab[0-9a-f]{8}$/);
    Template.fromStack(stack).resourceCountIs('AWS::Budgets::Budget', 2);
  });

  it('refuses duplicate budget names, naming the second', () => {
    const stack = testStack();
    expect(
      () =>
        new CostGuardrails(stack, 'Cost', {
          alerts: new AlertTopic(stack, 'Alerts'),
          budgets: [
            { name: 'team', limitUsd: 10, tags: { team: 'a' } },
            { name: 'team', limitUsd: 20, tags: { team: 'b' } },
          ],
        }),
    ).toThrow(
      'Test/Cost: budgets.1.name: is a duplicate budget name (got "team"; expected unique budget names)',
    );
  });

  // NotificationsWithSubscribers is "Update requires: Replacement", and CloudFormation cannot replace
  // a custom-named resource under the same name:
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-budgets-budget.html
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
  it('names each budget <name>-<hash of its notifications>, so a threshold change replaces it under a new name', () => {
    const base = oneBudget();
    expect(base.budgetName).toMatch(/^team-ml-[0-9a-f]{8}$/);
    for (const changed of [
      oneBudget({ actualThresholdPercent: 90 }),
      oneBudget({ forecastThresholdPercent: 110 }),
    ]) {
      expect(changed.budgetName).toMatch(/^team-ml-[0-9a-f]{8}$/);
      expect(changed.budgetName).not.toEqual(base.budgetName);
      expect(unsafeReplacements(base.template, changed.template)).toEqual([]);
    }
  });

  it('keeps the name when only updatable budget data changes, or a default is spelled out', () => {
    const base = oneBudget();
    expect(oneBudget({ limitUsd: 2000 }).budgetName).toEqual(base.budgetName);
    expect(oneBudget({ actualThresholdPercent: 80, forecastThresholdPercent: 100 }).budgetName).toEqual(
      base.budgetName,
    );
  });

  // BudgetName: 1 to 100 characters, no ':' or '\\':
  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html
  it('leaves room for the 9-character suffix within the 100-character budget name limit', () => {
    const longest = oneBudget({ name: 'b'.repeat(91) });
    expect(String(longest.budgetName)).toHaveLength(100);
    const stack = testStack();
    expect(
      () =>
        new CostGuardrails(stack, 'Cost', {
          alerts: new AlertTopic(stack, 'Alerts'),
          budgets: [{ name: 'b'.repeat(92), limitUsd: 10, tags: { team: 'a' } }],
        }),
    ).toThrow(/^Test\/Cost: budgets\.0\.name: has an invalid format/);
  });
});
