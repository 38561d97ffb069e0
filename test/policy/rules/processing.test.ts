import { Fn, Stack } from 'aws-cdk-lib';
import {
  CfnDataQualityJobDefinition,
  CfnModelBiasJobDefinition,
  CfnModelExplainabilityJobDefinition,
  CfnModelQualityJobDefinition,
  CfnMonitoringSchedule,
  CfnProcessingJob,
} from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { expectJudged, KEY_ARN, PINNED_IMAGE, ROLE_ARN, ruleIds } from '../fixtures';

const RULES = [
  'SageMakerProcessingJobNetworkIsolation',
  'SageMakerProcessingJobInterContainerEncryption',
  'SageMakerProcessingJobVolumeKMS',
  'SageMakerProcessingJobOutputKMS',
];

/** The settings each rule reads; `secure` turns all four on. */
interface JobOptions {
  readonly networkConfig?: unknown;
  readonly volumeKmsKeyId?: string;
  readonly outputKmsKeyId?: string;
}
const secure: JobOptions = {
  networkConfig: { enableNetworkIsolation: true, enableInterContainerTrafficEncryption: true },
  volumeKmsKeyId: KEY_ARN,
  outputKmsKeyId: KEY_ARN,
};

const cluster = (o: JobOptions) => ({
  clusterConfig: {
    instanceCount: 2,
    instanceType: 'ml.m5.xlarge',
    volumeSizeInGb: 30,
    volumeKmsKeyId: o.volumeKmsKeyId,
  },
});
const monitoringOutput = (o: JobOptions) => ({
  kmsKeyId: o.outputKmsKeyId,
  monitoringOutputs: [
    { s3Output: { localPath: '/opt/ml/processing/output', s3Uri: 's3://ml-monitoring/out' } },
  ],
});
const endpointInput = { endpointName: 'ep', localPath: '/opt/ml/processing/input' };
type Network = CfnProcessingJob.NetworkConfigProperty;

const FACTORIES: Record<string, (s: Stack, o: JobOptions) => void> = {
  ProcessingJob: (s, o) =>
    new CfnProcessingJob(s, 'Job', {
      appSpecification: { imageUri: PINNED_IMAGE },
      roleArn: ROLE_ARN,
      processingResources: cluster(o),
      networkConfig: o.networkConfig as Network,
      processingOutputConfig: {
        kmsKeyId: o.outputKmsKeyId,
        outputs: [
          {
            outputName: 'out',
            s3Output: {
              localPath: '/opt/ml/processing/out',
              s3Uri: 's3://ml-data/out',
              s3UploadMode: 'EndOfJob',
            },
          },
        ],
      },
    }),
  DataQualityJobDefinition: (s, o) =>
    new CfnDataQualityJobDefinition(s, 'Job', {
      roleArn: ROLE_ARN,
      dataQualityAppSpecification: { imageUri: PINNED_IMAGE },
      dataQualityJobInput: { endpointInput },
      dataQualityJobOutputConfig: monitoringOutput(o),
      jobResources: cluster(o),
      networkConfig: o.networkConfig as Network,
    }),
  ModelQualityJobDefinition: (s, o) =>
    new CfnModelQualityJobDefinition(s, 'Job', {
      roleArn: ROLE_ARN,
      modelQualityAppSpecification: { imageUri: PINNED_IMAGE, problemType: 'BinaryClassification' },
      modelQualityJobInput: { endpointInput, groundTruthS3Input: { s3Uri: 's3://ml-monitoring/truth' } },
      modelQualityJobOutputConfig: monitoringOutput(o),
      jobResources: cluster(o),
      networkConfig: o.networkConfig as Network,
    }),
  ModelBiasJobDefinition: (s, o) =>
    new CfnModelBiasJobDefinition(s, 'Job', {
      roleArn: ROLE_ARN,
      modelBiasAppSpecification: { imageUri: PINNED_IMAGE, configUri: 's3://ml-monitoring/analysis.json' },
      modelBiasJobInput: { endpointInput, groundTruthS3Input: { s3Uri: 's3://ml-monitoring/truth' } },
      modelBiasJobOutputConfig: monitoringOutput(o),
      jobResources: cluster(o),
      networkConfig: o.networkConfig as Network,
    }),
  ModelExplainabilityJobDefinition: (s, o) =>
    new CfnModelExplainabilityJobDefinition(s, 'Job', {
      roleArn: ROLE_ARN,
      modelExplainabilityAppSpecification: {
        imageUri: PINNED_IMAGE,
        configUri: 's3://ml-monitoring/analysis.json',
      },
      modelExplainabilityJobInput: { endpointInput },
      modelExplainabilityJobOutputConfig: monitoringOutput(o),
      jobResources: cluster(o),
      networkConfig: o.networkConfig as Network,
    }),
  MonitoringSchedule: (s, o) =>
    new CfnMonitoringSchedule(s, 'Job', {
      monitoringScheduleName: 'drift',
      monitoringScheduleConfig: {
        scheduleConfig: { scheduleExpression: 'cron(0 * ? * * *)' },
        monitoringJobDefinition: {
          roleArn: ROLE_ARN,
          monitoringAppSpecification: { imageUri: PINNED_IMAGE },
          monitoringInputs: [{ endpointInput }],
          monitoringOutputConfig: monitoringOutput(o),
          monitoringResources: cluster(o),
          networkConfig: o.networkConfig as Network,
        },
      },
    }),
};

function job(type: string, o: JobOptions): Stack {
  const stack = new Stack();
  FACTORIES[type](stack, o);
  return stack;
}

describe.each(Object.keys(FACTORIES))('processing and monitoring rules on %s', (type) => {
  it('pass a job with isolation, inter-container encryption and both keys', () => {
    const stack = job(type, secure);
    expect(RULES.flatMap((r) => ruleIds(stack, r))).toEqual([]);
  });
  it('flag a job with none of them, once per rule', () => {
    const stack = job(type, {});
    expect(RULES.flatMap((r) => ruleIds(stack, r))).toEqual(RULES.map((r) => `MLOps-${r}`));
  });
});

describe('processing rules edge cases', () => {
  it('flag isolation and encryption explicitly set to false', () => {
    const stack = job('ProcessingJob', {
      ...secure,
      networkConfig: { enableNetworkIsolation: false, enableInterContainerTrafficEncryption: false },
    });
    expect(RULES.flatMap((r) => ruleIds(stack, r))).toEqual([
      'MLOps-SageMakerProcessingJobNetworkIsolation',
      'MLOps-SageMakerProcessingJobInterContainerEncryption',
    ]);
  });
  it('do not apply to a schedule that names a separate job definition', () => {
    const stack = new Stack();
    new CfnMonitoringSchedule(stack, 'Schedule', {
      monitoringScheduleName: 'drift',
      monitoringScheduleConfig: { monitoringJobDefinitionName: 'dq', monitoringType: 'DataQuality' },
    });
    expect(RULES.flatMap((r) => ruleIds(stack, r))).toEqual([]);
  });
  it('do not require an output key of a processing job without outputs', () => {
    const stack = new Stack();
    new CfnProcessingJob(stack, 'Job', {
      appSpecification: { imageUri: PINNED_IMAGE },
      roleArn: ROLE_ARN,
      processingResources: cluster(secure),
    });
    expect(ruleIds(stack, 'SageMakerProcessingJobOutputKMS')).toEqual([]);
  });
  it.each([
    [
      'SageMakerProcessingJobNetworkIsolation',
      {
        ...secure,
        networkConfig: {
          enableNetworkIsolation: Fn.conditionIf('C', true, false),
          enableInterContainerTrafficEncryption: true,
        },
      },
      'when condition C is false: The SageMaker processing or monitoring job does not enable network isolation.',
    ],
    [
      'SageMakerProcessingJobInterContainerEncryption',
      { ...secure, networkConfig: Fn.conditionIf('C', {}, {}) },
      'The SageMaker processing or monitoring job does not encrypt inter-container traffic.',
    ],
    [
      'SageMakerProcessingJobVolumeKMS',
      { ...secure, volumeKmsKeyId: Fn.conditionIf('C', KEY_ARN, Fn.ref('AWS::NoValue')).toString() },
      'when condition C is false: The SageMaker processing or monitoring job does not encrypt its storage volume with a customer managed KMS key.',
    ],
    [
      'SageMakerProcessingJobOutputKMS',
      { ...secure, outputKmsKeyId: Fn.conditionIf('C', KEY_ARN, Fn.ref('AWS::NoValue')).toString() },
      'when condition C is false: The SageMaker processing or monitoring job does not encrypt its output with a customer managed KMS key.',
    ],
  ])(
    '%s judges each branch of an Fn::If, naming the condition of a failing one',
    (rule, options, message) => {
      expectJudged(
        [`MLOps-${rule}: ${message}`],
        job('DataQualityJobDefinition', options as JobOptions),
        rule,
      );
    },
  );
});
