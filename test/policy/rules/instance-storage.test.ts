import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { CfnEndpointConfig, CfnPipeline, CfnProcessingJob } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import {
  inlineBody,
  KEY_ARN,
  PINNED_IMAGE,
  pipelineDefinition,
  processingStep,
  reported,
  ROLE_ARN,
  ruleIds,
  THREW,
  trainingStep,
  expectJudged,
} from '../fixtures';

/**
 * Instance types with local NVMe storage: SageMaker encrypts those volumes with a hardware module
 * and rejects a customer key for them.
 * - https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId
 *   ("If you specify a value for KmsKeyId when using any nitro-based instances with local storage,
 *   the call to CreateEndpointConfig fails.")
 * - https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html#sagemaker-Type-ResourceConfig-VolumeKmsKeyId
 * - https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProcessingClusterConfig.html
 *   ("You can't request a VolumeKmsKeyId when using an instance type with local storage.")
 */
const RULE = 'SageMakerVolumeKmsOnInstanceStorage';
const NVME = 'ml.g5.xlarge';
const EBS = 'ml.m5.xlarge';

function endpointConfig(instanceTypes: unknown[], kmsKeyId?: string): Stack {
  const stack = new Stack();
  new CfnEndpointConfig(stack, 'Config', {
    kmsKeyId,
    productionVariants: instanceTypes.map((instanceType, i) => ({
      variantName: `V${i}`,
      modelName: 'm',
      instanceType: instanceType as string,
      initialInstanceCount: 2,
      initialVariantWeight: 1,
    })),
  });
  return stack;
}

function processingJob(instanceType: string, volumeKmsKeyId?: string): Stack {
  const stack = new Stack();
  new CfnProcessingJob(stack, 'Job', {
    appSpecification: { imageUri: PINNED_IMAGE },
    roleArn: ROLE_ARN,
    processingResources: {
      clusterConfig: { instanceCount: 1, instanceType, volumeSizeInGb: 30, volumeKmsKeyId },
    },
  });
  return stack;
}

function pipeline(definition: unknown): Stack {
  const stack = new Stack();
  new CfnPipeline(stack, 'Pipeline', {
    pipelineName: 'p',
    roleArn: ROLE_ARN,
    pipelineDefinition: definition,
  });
  return stack;
}

const resources = (type: string, key?: string) => ({
  ResourceConfig: {
    InstanceCount: 1,
    InstanceType: type,
    VolumeSizeInGB: 30,
    ...(key ? { VolumeKmsKeyId: key } : {}),
  },
});
const cluster = (type: string, key?: string) => ({
  ProcessingResources: {
    ClusterConfig: {
      InstanceCount: 1,
      InstanceType: type,
      VolumeSizeInGB: 30,
      ...(key ? { VolumeKmsKeyId: key } : {}),
    },
  },
});

describe('MLOps-SageMakerEndpointConfigKMS with local NVMe storage', () => {
  const rule = 'SageMakerEndpointConfigKMS';
  it('passes an NVMe-backed config without a key (its volumes are hardware-encrypted)', () => {
    expect(ruleIds(endpointConfig([NVME]), rule)).toEqual([]);
  });
  it('passes a config mixing NVMe and EBS variants without a key, since none may be given', () => {
    expect(ruleIds(endpointConfig([EBS, NVME]), rule)).toEqual([]);
  });
  it('still flags an EBS-only config without a key', () => {
    expect(ruleIds(endpointConfig([EBS]), rule)).toEqual([`MLOps-${rule}`]);
  });
  it('reports an instance type it cannot resolve instead of crashing', () => {
    const stack = new Stack();
    const p = new CfnParameter(stack, 'Type', { type: 'String' });
    new CfnEndpointConfig(stack, 'Config', {
      productionVariants: [
        { variantName: 'V', modelName: 'm', instanceType: p.valueAsString, initialInstanceCount: 2 },
      ],
    });
    const r = reported(stack, rule);
    expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${rule}`]);
    expect(r[0].description).toMatch(THREW);
  });
});

describe('MLOps-SageMakerProcessingJobVolumeKMS with local NVMe storage', () => {
  const rule = 'SageMakerProcessingJobVolumeKMS';
  it('passes an NVMe job without a volume key and flags an EBS job without one', () => {
    expect(ruleIds(processingJob('ml.m5d.2xlarge'), rule)).toEqual([]);
    expect(ruleIds(processingJob(EBS), rule)).toEqual([`MLOps-${rule}`]);
  });
});

describe('MLOps pipeline step rules with local NVMe storage', () => {
  it('do not ask a volume key of NVMe training and processing steps', () => {
    const definition = pipelineDefinition([
      trainingStep('Train', resources(NVME)),
      processingStep('Prep', cluster('ml.c5d.xlarge')),
    ]);
    expect(ruleIds(pipeline(inlineBody(definition)), 'SageMakerPipelineTrainingStep')).toEqual([]);
    expect(ruleIds(pipeline(inlineBody(definition)), 'SageMakerPipelineProcessingStep')).toEqual([]);
  });
  it('judge an instance type given as a pipeline parameter by its default', () => {
    const definition = pipelineDefinition(
      [
        trainingStep('Train', {
          ResourceConfig: { InstanceCount: 1, InstanceType: { Get: 'Parameters.Type' }, VolumeSizeInGB: 30 },
        }),
      ],
      [{ Name: 'Type', Type: 'String', DefaultValue: NVME }],
    );
    expect(ruleIds(pipeline(inlineBody(definition)), 'SageMakerPipelineTrainingStep')).toEqual([]);
  });
  it('still ask a volume key of EBS steps', () => {
    const definition = pipelineDefinition([
      trainingStep('Train', resources(EBS)),
      processingStep('Prep', cluster(EBS)),
    ]);
    expect(ruleIds(pipeline(inlineBody(definition)), 'SageMakerPipelineTrainingStep')).toEqual([
      'MLOps-SageMakerPipelineTrainingStep[Train.ResourceConfig.VolumeKmsKeyId]',
    ]);
    expect(ruleIds(pipeline(inlineBody(definition)), 'SageMakerPipelineProcessingStep')).toEqual([
      'MLOps-SageMakerPipelineProcessingStep[Prep.ProcessingResources.ClusterConfig.VolumeKmsKeyId]',
    ]);
  });
});

describe('MLOps-SageMakerVolumeKmsOnInstanceStorage', () => {
  it('passes keys on EBS-only types and no key on NVMe types', () => {
    expect(ruleIds(endpointConfig([EBS], KEY_ARN), RULE)).toEqual([]);
    expect(ruleIds(endpointConfig([NVME]), RULE)).toEqual([]);
    expect(ruleIds(processingJob(EBS, KEY_ARN), RULE)).toEqual([]);
    expect(ruleIds(processingJob(NVME), RULE)).toEqual([]);
    const definition = pipelineDefinition([
      trainingStep('Train', resources(NVME)),
      processingStep('Prep', cluster(EBS, KEY_ARN)),
    ]);
    expect(ruleIds(pipeline(inlineBody(definition)), RULE)).toEqual([]);
  });
  it('flags an endpoint config key when any variant has local NVMe storage, naming the variant', () => {
    expect(ruleIds(endpointConfig([EBS, NVME], KEY_ARN), RULE)).toEqual([`MLOps-${RULE}[V1.KmsKeyId]`]);
  });
  it('flags a processing or monitoring job volume key on an NVMe type', () => {
    expect(ruleIds(processingJob('ml.p4d.24xlarge', KEY_ARN), RULE)).toEqual([
      `MLOps-${RULE}[ClusterConfig.VolumeKmsKeyId]`,
    ]);
  });
  it('flags pipeline training and processing steps with a volume key on an NVMe type, not an EBS one', () => {
    const definition = pipelineDefinition([
      trainingStep('Train', resources('ml.g4dn.xlarge', KEY_ARN)),
      processingStep('Prep', cluster('ml.r5d.large', KEY_ARN)),
      trainingStep('Fine', resources(EBS, KEY_ARN)),
    ]);
    expect(ruleIds(pipeline(inlineBody(definition)), RULE)).toEqual([
      `MLOps-${RULE}[Prep.ProcessingResources.ClusterConfig.VolumeKmsKeyId]`,
      `MLOps-${RULE}[Train.ResourceConfig.VolumeKmsKeyId]`,
    ]);
  });
  it('reports an instance type behind Fn::If instead of crashing', () => {
    const stack = endpointConfig([Fn.conditionIf('Big', NVME, EBS)], KEY_ARN);
    expectJudged(
      [
        'MLOps-SageMakerVolumeKmsOnInstanceStorage[V0.KmsKeyId]: when condition Big is true: A SageMaker volume KMS key is set for an instance type with local NVMe storage: AWS rejects this request.',
      ],
      stack,
      RULE,
    );
  });
  it('reports a pipeline step whose instance type is a CloudFormation reference, with a key, instead of passing it', () => {
    const stack = new Stack();
    const type = new CfnParameter(stack, 'Type', { type: 'String' });
    const [before, after] = JSON.stringify(
      pipelineDefinition([trainingStep('Train', resources(EBS, KEY_ARN))]),
    ).split(`"${EBS}"`);
    new CfnPipeline(stack, 'Pipeline', {
      pipelineName: 'p',
      roleArn: ROLE_ARN,
      pipelineDefinition: {
        PipelineDefinitionBody: Fn.join('', [`${before}"`, type.valueAsString, `"${after}`]),
      },
    });
    const r = reported(stack, RULE);
    expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${RULE}`]);
    expect(r[0].description).toMatch(THREW);
  });
});
