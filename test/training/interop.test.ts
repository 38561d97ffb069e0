import { describe, expect, it } from 'vitest';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { ScopedRole } from '../../constructs/core/scoped-role';
import {
  ISpotTrainingPipeline,
  SpotTrainingPipeline,
} from '../../constructs/training/spot-training-pipeline';
import { findingLines, testStack } from '../support/nag';
import { propsError as errorOf } from '../support/props';
import { pipelineWith } from './fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CROSS_ACCOUNT_ARN = 'arn:aws:sagemaker:us-east-1:222222222222:pipeline/churn-training';

/** Every IAM statement (managed or inline policy) attached to the role with this logical id. */
function statementsOfRole(t: Template, roleLogicalId: string): Json[] {
  const resources = t.toJSON().Resources as Json;
  const refersToRole = (v: unknown) => JSON.stringify(v).includes(`{"Ref":"${roleLogicalId}"}`);
  return Object.values(resources).flatMap((r) => {
    if (r.Type === 'AWS::IAM::Policy' && refersToRole(r.Properties.Roles))
      return r.Properties.PolicyDocument.Statement as Json[];
    if (r.Type === 'AWS::IAM::ManagedPolicy' && refersToRole(r.Properties.Roles))
      return r.Properties.PolicyDocument.Statement as Json[];
    return [];
  });
}

/** The schedule's target, and the logical id of the role it assumes. */
function scheduleTarget(t: Template): { target: Json; roleId: string } {
  const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule')) as Json[];
  expect(schedules).toHaveLength(1);
  const target = schedules[0].Properties.Target as Json;
  const roleId = target.RoleArn['Fn::GetAtt'][0] as string;
  return { target, roleId };
}

/** The statements that allow starting a pipeline, as resolved JSON. */
function startStatements(t: Template, roleId: string): Json[] {
  return statementsOfRole(t, roleId).filter((s) =>
    [s.Action].flat().includes('sagemaker:StartPipelineExecution'),
  );
}

/** A role EventBridge Scheduler may assume, holding its grants in a managed policy (no IAMNoInlinePolicy). */
function schedulerRole(stack: Stack): ScopedRole {
  return new ScopedRole(stack, 'SchedulerRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': stack.account },
    }),
    description: 'Starts the training pipeline on a schedule',
  });
}

describe('SpotTrainingPipeline as sagemaker.IPipeline', () => {
  it('is assignable to sagemaker.IPipeline and carries env, stack and a pipelineRef', () => {
    const { f, pipeline } = pipelineWith();
    const asIPipeline: sagemaker.IPipeline = pipeline;
    expect(asIPipeline.stack).toBe(f.stack);
    expect(asIPipeline.env).toEqual({ account: '111111111111', region: 'eu-west-1' });
    expect(asIPipeline.pipelineRef.pipelineName).toBe(pipeline.pipelineName);
  });

  it('starts from an aws-scheduler Schedule through SageMakerStartPipelineExecution, scoped to its ARN', () => {
    const { f, pipeline } = pipelineWith();
    new scheduler.Schedule(f.stack, 'S', {
      schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
      target: new schedulerTargets.SageMakerStartPipelineExecution(pipeline, {
        role: schedulerRole(f.stack),
        pipelineParameterList: [{ name: 'DatasetVersion', value: '2024-07-01' }],
      }),
    });
    const t = Template.fromStack(f.stack);
    const { target, roleId } = scheduleTarget(t);
    const arn = f.stack.resolve(pipeline.pipelineArn);
    expect(target.Arn).toEqual(arn);
    expect(target.SageMakerPipelineParameters).toEqual({
      PipelineParameterList: [{ Name: 'DatasetVersion', Value: '2024-07-01' }],
    });
    const start = startStatements(t, roleId);
    expect(start).toHaveLength(1);
    expect(start[0]).toMatchObject({ Effect: 'Allow', Resource: arn });
    // Exactly the pipeline: the name in the ARN is the lowercase pipeline name, no wildcard.
    expect(JSON.stringify(start[0].Resource)).toMatch(/:pipeline\/test-pipeline-[a-z0-9]+"/);
    expect(findingLines(f.stack)).toEqual([]);
  });

  it("grants the scheduler target's default role too (the role aws-scheduler-targets creates)", () => {
    const { f, pipeline } = pipelineWith();
    new scheduler.Schedule(f.stack, 'S', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(12)),
      target: new schedulerTargets.SageMakerStartPipelineExecution(pipeline),
    });
    const t = Template.fromStack(f.stack);
    const { target, roleId } = scheduleTarget(t);
    expect(target.Arn).toEqual(f.stack.resolve(pipeline.pipelineArn));
    const start = startStatements(t, roleId);
    expect(start).toHaveLength(1);
    expect(start[0].Resource).toEqual(f.stack.resolve(pipeline.pipelineArn));
    // That role keeps its grant in an inline DefaultPolicy: the packs that forbid inline policies
    // report it, and nothing else (why the README passes a ScopedRole as `role`).
    expect(findingLines(f.stack).map((l) => l.replace(/-[0-9a-f]{6}\//, '-<hash>/'))).toEqual([
      'HIPAA.Security-IAMNoInlinePolicy @ Test/SchedulerRoleForTarget-<hash>/DefaultPolicy/Resource',
      'NIST.800.53.R5-IAMNoInlinePolicy @ Test/SchedulerRoleForTarget-<hash>/DefaultPolicy/Resource',
      'PCI.DSS.321-IAMNoInlinePolicy @ Test/SchedulerRoleForTarget-<hash>/DefaultPolicy/Resource',
    ]);
  });

  it('starts from an events rule through asRuleTarget, with the event role allowed on exactly its ARN', () => {
    // aws-cdk-lib 2.276's aws-events-targets has no SageMaker pipeline target; asRuleTarget is ours.
    const { f, pipeline } = pipelineWith();
    const rule = new events.Rule(f.stack, 'Retrain', { eventPattern: { source: ['compliant-mlops.drift'] } });
    rule.addTarget(pipeline.asRuleTarget());
    const t = Template.fromStack(f.stack);
    const arn = f.stack.resolve(pipeline.pipelineArn);
    const ruleId = f.stack.getLogicalId(rule.node.defaultChild as events.CfnRule);
    const ruleTarget = (t.toJSON().Resources as Json)[ruleId].Properties.Targets[0] as Json;
    expect(ruleTarget.Arn).toEqual(arn);
    const roleId = ruleTarget.RoleArn['Fn::GetAtt'][0] as string;
    const start = startStatements(t, roleId);
    expect(start).toHaveLength(1);
    expect(start[0].Resource).toEqual(arn);
    expect(findingLines(f.stack)).toEqual([]);
  });
});

describe('SpotTrainingPipeline imports', () => {
  it('fromPipelineArn takes account and region from the ARN (cross-account) and the name from its path', () => {
    const stack = testStack();
    const imported: ISpotTrainingPipeline = SpotTrainingPipeline.fromPipelineArn(
      stack,
      'Shared',
      CROSS_ACCOUNT_ARN,
    );
    expect(imported.pipelineArn).toBe(CROSS_ACCOUNT_ARN);
    expect(imported.pipelineName).toBe('churn-training');
    expect(imported.env).toEqual({ account: '222222222222', region: 'us-east-1' });
    expect(imported.pipelineRef.pipelineName).toBe('churn-training');
  });

  it('an imported pipeline is a scheduler target: the role may start exactly that ARN', () => {
    const stack = testStack();
    const imported = SpotTrainingPipeline.fromPipelineArn(stack, 'Shared', CROSS_ACCOUNT_ARN);
    new scheduler.Schedule(stack, 'S', {
      schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
      target: new schedulerTargets.SageMakerStartPipelineExecution(imported, { role: schedulerRole(stack) }),
    });
    const t = Template.fromStack(stack);
    const { target, roleId } = scheduleTarget(t);
    expect(target.Arn).toBe(CROSS_ACCOUNT_ARN);
    const start = startStatements(t, roleId);
    expect(start).toEqual([
      { Effect: 'Allow', Action: 'sagemaker:StartPipelineExecution', Resource: CROSS_ACCOUNT_ARN },
    ]);
  });

  it('fromPipelineName builds the ARN in the stack account and region, the name in lowercase', () => {
    const stack = testStack();
    const imported = SpotTrainingPipeline.fromPipelineName(stack, 'ByName', 'Churn-Training');
    expect(imported.pipelineName).toBe('Churn-Training');
    expect(stack.resolve(imported.pipelineArn)).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111111111111:pipeline/churn-training'],
      ],
    });
    expect(imported.env).toEqual({ account: '111111111111', region: 'eu-west-1' });
  });

  it('passes a token ARN through, splitting the name at deploy time', () => {
    const stack = testStack();
    const arn = Token.asString({ Ref: 'PipelineArnParameter' });
    const imported = SpotTrainingPipeline.fromPipelineArn(stack, 'FromToken', arn);
    expect(imported.pipelineArn).toBe(arn);
    expect(Token.isUnresolved(imported.pipelineName)).toBe(true);
    expect(JSON.stringify(stack.resolve(imported.pipelineName))).toContain('Fn::Select');
  });

  // Patterns: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Pipeline.html
  // (PipelineArn arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:pipeline/.*; PipelineName
  // [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}, 1-256 characters).
  it.each([
    ['an endpoint ARN', 'arn:aws:sagemaker:us-east-1:222222222222:endpoint/churn'],
    ['a short account', 'arn:aws:sagemaker:us-east-1:2222:pipeline/churn'],
    ['no name', 'arn:aws:sagemaker:us-east-1:222222222222:pipeline/'],
    ['a name', 'churn-training'],
  ])('fromPipelineArn refuses %s, naming the import path and field', (_, arn) => {
    const stack = testStack();
    const e = errorOf(() => SpotTrainingPipeline.fromPipelineArn(stack, 'Shared', arn));
    expect(e.message).toBe(
      `Test/Shared: pipelineArn: is not a SageMaker pipeline ARN (got ${JSON.stringify(arn)}; ` +
        'expected arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>)',
    );
  });

  it.each([
    ['an underscore', 'churn_training'],
    ['a leading hyphen', '-churn'],
    ['257 characters', 'a'.repeat(257)],
  ])('fromPipelineName refuses %s (API_Pipeline.html PipelineName pattern)', (_, name) => {
    const stack = testStack();
    const e = errorOf(() => SpotTrainingPipeline.fromPipelineName(stack, 'ByName', name));
    expect(e.constructPath).toBe('Test/ByName');
    expect(e.message).toMatch(/^Test\/ByName: pipelineName: is not a SageMaker pipeline name \(got /);
  });

  it('fromPipelineName accepts the longest valid name and repeated hyphens', () => {
    const stack = testStack();
    expect(SpotTrainingPipeline.fromPipelineName(stack, 'Long', 'a'.repeat(256)).pipelineName).toHaveLength(
      256,
    );
    expect(SpotTrainingPipeline.fromPipelineName(stack, 'Hyphens', 'a--b').pipelineName).toBe('a--b');
  });
});
