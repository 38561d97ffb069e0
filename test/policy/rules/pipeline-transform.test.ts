import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { transformStepDefinition } from '../../../constructs/serving/batch-inference-step';
import { inlineBody, judged, KEY_ARN, pipelineDefinition, ROLE_ARN, ruleIds } from '../fixtures';

const rule = 'SageMakerPipelineTransformStep';

/** A Transform step with both keys set (CreateTransformJob's request as Arguments). */
function transformStep(name = 'Score', args: Record<string, unknown> = {}): object {
  return {
    Name: name,
    Type: 'Transform',
    Arguments: {
      ModelName: 'churn-model',
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/batch/in/' } },
        ContentType: 'text/csv',
        SplitType: 'Line',
      },
      TransformOutput: { S3OutputPath: 's3://ml-data/batch/out/', KmsKeyId: KEY_ARN, AssembleWith: 'Line' },
      TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeKmsKeyId: KEY_ARN },
      DataProcessing: { InputFilter: '$', JoinSource: 'Input', OutputFilter: '$' },
      ...args,
    },
  };
}

function ids(definition: unknown): string[] {
  const stack = new Stack();
  new CfnPipeline(stack, 'Pipeline', {
    pipelineName: 'p',
    roleArn: ROLE_ARN,
    pipelineDefinition: definition,
  });
  return ruleIds(stack, rule);
}

describe('MLOps-SageMakerPipelineTransformStep', () => {
  it('passes a transform step with output and volume keys, and ignores pipelines without one', () => {
    expect(ids(inlineBody(pipelineDefinition([transformStep()])))).toEqual([]);
  });

  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TransformOutput.html
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TransformResources.html
  it('reports each missing key as <step>.<field>', () => {
    const step = transformStep('Score', {
      TransformOutput: { S3OutputPath: 's3://ml-data/batch/out/' },
      TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge' },
    });
    expect(ids(inlineBody(pipelineDefinition([step])))).toEqual([
      `MLOps-${rule}[Score.TransformOutput.KmsKeyId]`,
      `MLOps-${rule}[Score.TransformResources.VolumeKmsKeyId]`,
    ]);
  });

  // SageMaker encrypts local NVMe instance storage in hardware and rejects a volume key for it
  // (the exception lib/aws-facts/instance-storage.ts knows).
  it('asks no volume key on an NVMe instance type, also through a parameter default', () => {
    const nvme = transformStep('Score', {
      TransformResources: { InstanceCount: 1, InstanceType: 'ml.g5.2xlarge' },
    });
    expect(ids(inlineBody(pipelineDefinition([nvme])))).toEqual([]);
    const viaParameter = transformStep('Score', {
      TransformResources: { InstanceCount: 1, InstanceType: { Get: 'Parameters.InstanceType' } },
    });
    const param = (v: string) => [{ Name: 'InstanceType', Type: 'String', DefaultValue: v }];
    expect(ids(inlineBody(pipelineDefinition([viaParameter], param('ml.g5.2xlarge'))))).toEqual([]);
    expect(ids(inlineBody(pipelineDefinition([viaParameter], param('ml.m5.xlarge'))))).toEqual([
      `MLOps-${rule}[Score.TransformResources.VolumeKmsKeyId]`,
    ]);
  });

  it('judges each branch of an Fn::If body and a key behind a parameter reference, without crashing', () => {
    const good = JSON.stringify(pipelineDefinition([transformStep()]));
    const bad = JSON.stringify(
      pipelineDefinition([transformStep('Score', { TransformOutput: { S3OutputPath: 's3://x/out/' } })]),
    );
    const stack = new Stack();
    new CfnPipeline(stack, 'Pipeline', {
      pipelineName: 'p',
      roleArn: ROLE_ARN,
      pipelineDefinition: { PipelineDefinitionBody: Fn.conditionIf('C', good, bad) },
    });
    // Only the branch without the output key fails, and the finding names its condition.
    expect(judged(stack, rule)).toEqual([
      `MLOps-${rule}[Score.TransformOutput.KmsKeyId]: when condition C is false: A SageMaker pipeline transform step does not encrypt its volumes or its output with a CMK.`,
    ]);
    const withParameter = new Stack();
    const key = new CfnParameter(withParameter, 'OutputKey', { type: 'String' });
    const definition = pipelineDefinition([transformStep()]);
    const body = withParameter.toJsonString({
      ...definition,
      Steps: [
        transformStep('Score', {
          TransformOutput: { S3OutputPath: 's3://x/out/', KmsKeyId: key.valueAsString },
        }),
      ],
    });
    new CfnPipeline(withParameter, 'Pipeline', {
      pipelineName: 'p',
      roleArn: ROLE_ARN,
      pipelineDefinition: { PipelineDefinitionBody: body },
    });
    expect(ruleIds(withParameter, rule)).toEqual([]);
  });

  it('passes the step BatchInference renders', () => {
    const step = transformStepDefinition('Score', {
      modelName: 'churn-model',
      inputS3Uri: 's3://ml-data/batch/in/',
      outputS3Uri: 's3://ml-data/batch/out/',
      outputKeyArn: KEY_ARN,
      volumeKeyArn: KEY_ARN,
      instanceType: 'ml.m5.xlarge',
      instanceCount: 1,
      contentType: 'text/csv',
      inputFilter: '$[1:]',
      outputFilter: '$[0,-1]',
    });
    expect(ids(inlineBody(pipelineDefinition([step])))).toEqual([]);
  });
});
