import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { pipelineDefinitionOf } from '../../../lib/policy/rule-helpers';
import {
  conditionStep,
  inlineBody,
  KEY_ARN,
  pipelineDefinition,
  processingStep,
  registerModelStep,
  ROLE_ARN,
  ruleIds,
  trainingStep,
  VPC,
} from '../fixtures';

const PIPELINE_RULES = [
  'SageMakerPipelineDefinitionCheckable',
  'SageMakerPipelineTrainingStep',
  'SageMakerPipelineTrainingSpotCheckpoints',
  'SageMakerPipelineProcessingStep',
  'SageMakerPipelineRegisterModelApproval',
];

function pipeline(definition: unknown): [Stack, CfnPipeline] {
  const stack = new Stack();
  const p = new CfnPipeline(stack, 'Pipeline', {
    pipelineName: 'churn',
    roleArn: ROLE_ARN,
    pipelineDefinition: definition,
  });
  return [stack, p];
}

function ids(definition: unknown, rule?: string): string[] {
  const [stack] = pipeline(definition);
  return (rule ? [rule] : PIPELINE_RULES).flatMap((r) => ruleIds(stack, r));
}

const fullPipeline = () =>
  pipelineDefinition([processingStep(), trainingStep(), conditionStep('Gate', [registerModelStep()])]);

describe('pipeline rules on a compliant definition', () => {
  it('find nothing in a definition with processing, training and a gated register step', () => {
    expect(ids(inlineBody(fullPipeline()))).toEqual([]);
  });
  it('find nothing when the body is an Fn::Join of JSON around key and role references', () => {
    const stack = new Stack();
    const key = new Key(stack, 'Key');
    const definition = pipelineDefinition([
      trainingStep('Train', {
        OutputDataConfig: { S3OutputPath: 's3://ml-models/out', KmsKeyId: key.keyArn },
        ResourceConfig: {
          InstanceCount: 1,
          InstanceType: 'ml.m5.xlarge',
          VolumeSizeInGB: 30,
          VolumeKmsKeyId: key.keyArn,
        },
      }),
    ]);
    new CfnPipeline(stack, 'Pipeline', {
      pipelineName: 'p',
      roleArn: ROLE_ARN,
      pipelineDefinition: { PipelineDefinitionBody: stack.toJsonString(definition) },
    });
    expect(stack.resolve(stack.toJsonString(definition))).toHaveProperty('Fn::Join');
    expect(PIPELINE_RULES.flatMap((r) => ruleIds(stack, r))).toEqual([]);
  });
  it('find nothing when the body is an Fn::Sub', () => {
    const body = JSON.stringify(fullPipeline()).replaceAll(KEY_ARN, '${DataKey.Arn}');
    expect(ids({ PipelineDefinitionBody: Fn.sub(body) })).toEqual([]);
  });
});

describe('MLOps-SageMakerPipelineDefinitionCheckable', () => {
  const rule = 'SageMakerPipelineDefinitionCheckable';
  it('reports a definition stored in S3, and no other pipeline finding', () => {
    expect(ids({ PipelineDefinitionS3Location: { Bucket: 'defs', Key: 'p.json' } })).toEqual([
      `MLOps-${rule}[DefinitionInS3]`,
    ]);
  });
  it('reports a body that is not JSON', () => {
    expect(ids({ PipelineDefinitionBody: '{"Steps": [' })).toEqual([`MLOps-${rule}[DefinitionNotParseable]`]);
    expect(ids({ PipelineDefinitionBody: '{"Version": "2020-12-01"}' })).toEqual([
      `MLOps-${rule}[DefinitionNotParseable]`,
    ]);
  });
  it('reports an unresolvable body (Fn::If, a parameter) as not checkable instead of crashing', () => {
    const body = JSON.stringify(fullPipeline());
    // Each branch of a condition is judged: two checkable bodies make a checkable pipeline.
    expect(ids({ PipelineDefinitionBody: Fn.conditionIf('C', body, body) })).toEqual([]);
    const [stack] = pipeline(Fn.conditionIf('C', {}, {}));
    expect(ruleIds(stack, rule)).toEqual([`MLOps-${rule}[DefinitionNotParseable]`]);
    const s2 = new Stack();
    const p = new CfnParameter(s2, 'Body', { type: 'String' });
    new CfnPipeline(s2, 'Pipeline', {
      pipelineName: 'x',
      roleArn: ROLE_ARN,
      pipelineDefinition: { PipelineDefinitionBody: p.valueAsString },
    });
    expect(PIPELINE_RULES.flatMap((r) => ruleIds(s2, r))).toEqual([`MLOps-${rule}[DefinitionNotParseable]`]);
  });
});

describe('MLOps-SageMakerPipelineTrainingStep', () => {
  const rule = 'SageMakerPipelineTrainingStep';
  it('reports each missing protection as <step>.<field>', () => {
    const step = trainingStep('Train', {
      AlgorithmSpecification: {
        TrainingImage: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/train:latest',
        TrainingInputMode: 'File',
      },
      OutputDataConfig: { S3OutputPath: 's3://ml-models/out' },
      ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 },
      EnableNetworkIsolation: false,
      EnableInterContainerTrafficEncryption: undefined,
      VpcConfig: undefined,
    });
    expect(ids(inlineBody(pipelineDefinition([step])), rule)).toEqual([
      `MLOps-${rule}[Train.AlgorithmSpecification.TrainingImage]`,
      `MLOps-${rule}[Train.EnableInterContainerTrafficEncryption]`,
      `MLOps-${rule}[Train.EnableNetworkIsolation]`,
      `MLOps-${rule}[Train.OutputDataConfig.KmsKeyId]`,
      `MLOps-${rule}[Train.ResourceConfig.VolumeKmsKeyId]`,
      `MLOps-${rule}[Train.VpcConfig]`,
    ]);
  });
  it('does not accept a pipeline parameter for a security switch, since each execution can override it', () => {
    const step = trainingStep('Train', { EnableNetworkIsolation: { Get: 'Parameters.Isolate' } });
    const definition = pipelineDefinition([step], [{ Name: 'Isolate', Type: 'Boolean', DefaultValue: true }]);
    expect(ids(inlineBody(definition), rule)).toEqual([`MLOps-${rule}[Train.EnableNetworkIsolation]`]);
  });
  it('does not accept a CloudFormation parameter spliced into the JSON as a boolean', () => {
    const stack = new Stack();
    const isolate = new CfnParameter(stack, 'Isolate', { type: 'String' });
    const [before, after] = JSON.stringify(pipelineDefinition([trainingStep()])).split(
      '"EnableNetworkIsolation":true',
    );
    new CfnPipeline(stack, 'Pipeline', {
      pipelineName: 'p',
      roleArn: ROLE_ARN,
      pipelineDefinition: {
        PipelineDefinitionBody: Fn.join('', [
          `${before}"EnableNetworkIsolation":`,
          isolate.valueAsString,
          after,
        ]),
      },
    });
    expect(ruleIds(stack, rule)).toEqual([`MLOps-${rule}[Train.EnableNetworkIsolation]`]);
    expect(ruleIds(stack, 'SageMakerPipelineDefinitionCheckable')).toEqual([]);
  });
  it('checks training steps nested in Condition steps and the training jobs of Tuning steps', () => {
    const nested = trainingStep('Retrain', { EnableNetworkIsolation: false });
    const trainingArgs = (
      trainingStep('x', { EnableInterContainerTrafficEncryption: false }) as {
        Arguments: Record<string, unknown>;
      }
    ).Arguments;
    const tune = {
      Name: 'Tune',
      Type: 'Tuning',
      Arguments: {
        HyperParameterTuningJobConfig: {
          Strategy: 'Bayesian',
          ResourceLimits: { MaxNumberOfTrainingJobs: 4, MaxParallelTrainingJobs: 2 },
        },
        TrainingJobDefinition: { ...trainingArgs, VpcConfig: VPC },
      },
    };
    const definition = pipelineDefinition([conditionStep('Gate', [nested]), tune]);
    expect(ids(inlineBody(definition), rule)).toEqual([
      `MLOps-${rule}[Retrain.EnableNetworkIsolation]`,
      `MLOps-${rule}[Tune.EnableInterContainerTrafficEncryption]`,
    ]);
  });
});

describe('MLOps-SageMakerPipelineTrainingSpotCheckpoints', () => {
  const rule = 'SageMakerPipelineTrainingSpotCheckpoints';
  it('reports a spot job without checkpoints and with MaxWait below MaxRuntime', () => {
    const step = trainingStep('Train', {
      CheckpointConfig: undefined,
      StoppingCondition: { MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 3600 },
    });
    expect(ids(inlineBody(pipelineDefinition([step])), rule)).toEqual([
      `MLOps-${rule}[Train.CheckpointConfig]`,
      `MLOps-${rule}[Train.MaxWaitTimeInSeconds]`,
    ]);
  });
  it('compares MaxWait with the one-day MaxRuntime default when none is set', () => {
    const step = trainingStep('Train', { StoppingCondition: { MaxWaitTimeInSeconds: 7200 } });
    expect(ids(inlineBody(pipelineDefinition([step])), rule)).toEqual([
      `MLOps-${rule}[Train.MaxWaitTimeInSeconds]`,
    ]);
  });
  it('judges spot and limits given as pipeline parameters by their defaults', () => {
    const step = trainingStep('Train', {
      EnableManagedSpotTraining: { Get: 'Parameters.Spot' },
      StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: { Get: 'Parameters.MaxWait' } },
    });
    const params = (maxWait: number) => [
      { Name: 'Spot', Type: 'Boolean', DefaultValue: true },
      { Name: 'MaxWait', Type: 'Integer', DefaultValue: maxWait },
    ];
    expect(ids(inlineBody(pipelineDefinition([step], params(7200))), rule)).toEqual([]);
    expect(ids(inlineBody(pipelineDefinition([step], params(60))), rule)).toEqual([
      `MLOps-${rule}[Train.MaxWaitTimeInSeconds]`,
    ]);
  });
  it('does not apply to on-demand training', () => {
    const step = trainingStep('Train', {
      EnableManagedSpotTraining: false,
      CheckpointConfig: undefined,
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    });
    expect(ids(inlineBody(pipelineDefinition([step])), rule)).toEqual([]);
  });
});

describe('MLOps-SageMakerPipelineProcessingStep', () => {
  const rule = 'SageMakerPipelineProcessingStep';
  it('reports each missing protection as <step>.<field>', () => {
    const step = processingStep('Prep', {
      NetworkConfig: { EnableNetworkIsolation: true },
      ProcessingResources: {
        ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 },
      },
      ProcessingOutputConfig: { Outputs: [] },
    });
    expect(ids(inlineBody(pipelineDefinition([step])), rule)).toEqual([
      `MLOps-${rule}[Prep.NetworkConfig.EnableInterContainerTrafficEncryption]`,
      `MLOps-${rule}[Prep.ProcessingOutputConfig.KmsKeyId]`,
      `MLOps-${rule}[Prep.ProcessingResources.ClusterConfig.VolumeKmsKeyId]`,
    ]);
  });
  it('reports a step with no NetworkConfig and does not ask an output key of a step without outputs', () => {
    const step = processingStep('Prep', { NetworkConfig: undefined, ProcessingOutputConfig: undefined });
    expect(ids(inlineBody(pipelineDefinition([step])), rule)).toEqual([
      `MLOps-${rule}[Prep.NetworkConfig.EnableInterContainerTrafficEncryption]`,
      `MLOps-${rule}[Prep.NetworkConfig.EnableNetworkIsolation]`,
    ]);
  });
});

describe('MLOps-SageMakerPipelineRegisterModelApproval', () => {
  const rule = 'SageMakerPipelineRegisterModelApproval';
  const status = (value: unknown) => registerModelStep('Register', { ModelApprovalStatus: value });
  it('reports Approved and an unstated status', () => {
    expect(ids(inlineBody(pipelineDefinition([status('Approved')])), rule)).toEqual([
      `MLOps-${rule}[Register.ModelApprovalStatus]`,
    ]);
    expect(ids(inlineBody(pipelineDefinition([status(undefined)])), rule)).toEqual([
      `MLOps-${rule}[Register.ModelApprovalStatus]`,
    ]);
  });
  it('accepts a parameter whose default is PendingManualApproval, and no other default', () => {
    const step = status({ Get: 'Parameters.ApprovalStatus' });
    const param = (v: string) => [{ Name: 'ApprovalStatus', Type: 'String', DefaultValue: v }];
    expect(ids(inlineBody(pipelineDefinition([step], param('PendingManualApproval'))), rule)).toEqual([]);
    expect(ids(inlineBody(pipelineDefinition([step], param('Approved'))), rule)).toEqual([
      `MLOps-${rule}[Register.ModelApprovalStatus]`,
    ]);
  });
  it('checks register steps nested in Condition steps', () => {
    const definition = pipelineDefinition([conditionStep('Gate', [], [status('Approved')])]);
    expect(ids(inlineBody(definition), rule)).toEqual([`MLOps-${rule}[Register.ModelApprovalStatus]`]);
  });
});

describe('pipeline definition parsing', () => {
  it('parses once per node and property value, and again when the property changes', () => {
    const [, node] = pipeline(inlineBody(fullPipeline()));
    const first = pipelineDefinitionOf(node);
    expect(pipelineDefinitionOf(node)).toBe(first);
    node.pipelineDefinition = { PipelineDefinitionS3Location: { Bucket: 'b', Key: 'k' } };
    expect(pipelineDefinitionOf(node)).toEqual({ kind: 's3' });
  });
});
