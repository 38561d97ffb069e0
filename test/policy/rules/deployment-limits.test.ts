import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { CfnEndpoint, CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import {
  inlineBody,
  pipelineDefinition,
  processingStep,
  reported,
  ROLE_ARN,
  ruleIds,
  THREW,
  expectJudged,
  trainingStep,
  conditionStep,
} from '../fixtures';

const alarms = { alarms: [{ alarmName: 'ep-5xx' }] };

function endpoint(deploymentConfig: CfnEndpoint.DeploymentConfigProperty): Stack {
  const stack = new Stack();
  new CfnEndpoint(stack, 'Endpoint', { endpointConfigName: 'cfg', deploymentConfig });
  return stack;
}
const linear = (type: unknown, value: unknown) =>
  endpoint({
    autoRollbackConfiguration: alarms,
    blueGreenUpdatePolicy: {
      trafficRoutingConfiguration: {
        type: 'LINEAR',
        waitIntervalInSeconds: 300,
        linearStepSize: { type, value } as CfnEndpoint.CapacitySizeProperty,
      },
    },
  });
const rolling = (type: unknown, value: unknown) =>
  endpoint({
    autoRollbackConfiguration: alarms,
    rollingUpdatePolicy: {
      waitIntervalInSeconds: 300,
      maximumBatchSize: { type, value } as CfnEndpoint.CapacitySizeProperty,
    },
  });

function threw(stack: Stack, rule: string): void {
  const r = reported(stack, rule);
  expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${rule}`]);
  expect(r[0].description).toMatch(THREW);
}

// https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html ("LinearStepSize ...
// Value must be 10-50% of the variant's total instance count") and
// https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-linear.html
// ("Each linear step should only be between 10-50% of the green fleet's capacity").
describe('MLOps-SageMakerEndpointLinearTrafficStep', () => {
  const rule = 'SageMakerEndpointLinearTrafficStep';
  it('passes steps of 10 to 50 percent, and does not judge canary or instance-count steps', () => {
    for (const v of [10, 25, 50]) expect(ruleIds(linear('CAPACITY_PERCENT', v), rule)).toEqual([]);
    expect(ruleIds(linear('INSTANCE_COUNT', 1), rule)).toEqual([]);
    const canary = endpoint({
      autoRollbackConfiguration: alarms,
      blueGreenUpdatePolicy: {
        trafficRoutingConfiguration: {
          type: 'CANARY',
          waitIntervalInSeconds: 300,
          canarySize: { type: 'CAPACITY_PERCENT', value: 5 },
        },
      },
    });
    expect(ruleIds(canary, rule)).toEqual([]);
  });
  it('flags a step below 10 or above 50 percent', () => {
    for (const v of [5, 9, 51, 100])
      expect(ruleIds(linear('CAPACITY_PERCENT', v), rule)).toEqual([`MLOps-${rule}[LinearStepSize]`]);
  });
  it('reports a step size from a parameter instead of crashing', () => {
    const stack = new Stack();
    const p = new CfnParameter(stack, 'Step', { type: 'Number' });
    new CfnEndpoint(stack, 'Endpoint', {
      endpointConfigName: 'cfg',
      deploymentConfig: {
        autoRollbackConfiguration: alarms,
        blueGreenUpdatePolicy: {
          trafficRoutingConfiguration: {
            type: 'LINEAR',
            waitIntervalInSeconds: 300,
            linearStepSize: { type: 'CAPACITY_PERCENT', value: p.valueAsNumber },
          },
        },
      },
    });
    threw(stack, rule);
  });
});

// https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RollingUpdatePolicy.html ("MaximumBatchSize ...
// Value must be between 5% to 50% of the variant's total instance count") and
// https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-rolling.html.
describe('MLOps-SageMakerEndpointRollingBatchSize', () => {
  const rule = 'SageMakerEndpointRollingBatchSize';
  it('passes batches of 5 to 50 percent, and does not judge instance-count batches or blue/green', () => {
    for (const v of [5, 20, 50]) expect(ruleIds(rolling('CAPACITY_PERCENT', v), rule)).toEqual([]);
    expect(ruleIds(rolling('INSTANCE_COUNT', 1), rule)).toEqual([]);
    expect(ruleIds(linear('CAPACITY_PERCENT', 20), rule)).toEqual([]);
  });
  it('flags a batch below 5 or above 50 percent', () => {
    for (const v of [1, 4, 51, 100])
      expect(ruleIds(rolling('CAPACITY_PERCENT', v), rule)).toEqual([`MLOps-${rule}[MaximumBatchSize]`]);
  });
  it('reports a batch type behind Fn::If instead of crashing', () => {
    expectJudged([], rolling(Fn.conditionIf('C', 'CAPACITY_PERCENT', 'INSTANCE_COUNT'), 20), rule);
  });
});

// https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html: "ExceptionType": [String].
describe('MLOps-SageMakerPipelineRetryExceptionTypeList', () => {
  const rule = 'SageMakerPipelineRetryExceptionTypeList';
  const withRetries = (step: object, ...types: unknown[]) => ({
    ...step,
    RetryPolicies: types.map((ExceptionType) => ({ ExceptionType, IntervalSeconds: 10, MaxAttempts: 3 })),
  });
  function ids(body: unknown): string[] {
    const stack = new Stack();
    new CfnPipeline(stack, 'Pipeline', { pipelineName: 'p', roleArn: ROLE_ARN, pipelineDefinition: body });
    return ruleIds(stack, rule);
  }
  it('passes lists of exception types, and definitions without retry policies', () => {
    const definition = pipelineDefinition([
      withRetries(trainingStep(), ['SageMaker.CAPACITY_ERROR', 'Step.THROTTLING']),
    ]);
    expect(ids(inlineBody(definition))).toEqual([]);
    expect(ids(inlineBody(pipelineDefinition([trainingStep()])))).toEqual([]);
  });
  it('flags each ExceptionType given as a string, in nested steps too', () => {
    // Built without the fixture's schema validation: the schema (rightly) rejects a string here.
    const definition = {
      Version: '2020-12-01',
      Steps: [
        withRetries(trainingStep(), ['Step.THROTTLING'], 'SageMaker.CAPACITY_ERROR'),
        conditionStep('Gate', [withRetries(processingStep('Prep'), 'Step.SERVICE_FAULT')]),
      ],
    };
    expect(ids({ PipelineDefinitionBody: JSON.stringify(definition) })).toEqual([
      `MLOps-${rule}[Prep.RetryPolicies.0.ExceptionType]`,
      `MLOps-${rule}[Train.RetryPolicies.1.ExceptionType]`,
    ]);
  });
  it('reports a CloudFormation reference spliced in place of the list instead of judging it', () => {
    const stack = new Stack();
    const types = new CfnParameter(stack, 'Types', { type: 'String' });
    const text = JSON.stringify(pipelineDefinition([withRetries(trainingStep(), ['Step.THROTTLING'])]));
    const [before, after] = text.split('["Step.THROTTLING"]');
    new CfnPipeline(stack, 'Pipeline', {
      pipelineName: 'p',
      roleArn: ROLE_ARN,
      pipelineDefinition: { PipelineDefinitionBody: Fn.join('', [before, types.valueAsString, after]) },
    });
    threw(stack, rule);
  });
});
