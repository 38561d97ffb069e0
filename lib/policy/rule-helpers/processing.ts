import { CfnResource } from 'aws-cdk-lib';
import {
  CfnDataQualityJobDefinition,
  CfnModelBiasJobDefinition,
  CfnModelExplainabilityJobDefinition,
  CfnModelQualityJobDefinition,
  CfnMonitoringSchedule,
  CfnProcessingJob,
} from 'aws-cdk-lib/aws-sagemaker';
import { resolved } from './evaluation';
import { field } from './properties';

// ---- Processing and monitoring jobs -----------------------------------------------------------

/** The CloudFormation types that run SageMaker processing containers (monitoring jobs are processing jobs). */
export const PROCESSING_JOB_TYPES: readonly string[] = [
  'AWS::SageMaker::ProcessingJob',
  'AWS::SageMaker::DataQualityJobDefinition',
  'AWS::SageMaker::ModelQualityJobDefinition',
  'AWS::SageMaker::ModelBiasJobDefinition',
  'AWS::SageMaker::ModelExplainabilityJobDefinition',
  'AWS::SageMaker::MonitoringSchedule',
];

/** The security-relevant settings of a processing or monitoring job, resolved. */
export interface ProcessingJobSettings {
  /** `NetworkConfig` (camelCase L1 shape). */
  readonly networkConfig: unknown;
  /** `...Resources.ClusterConfig.VolumeKmsKeyId`. */
  readonly volumeKmsKeyId: unknown;
  /** `...Resources.ClusterConfig.InstanceType` (NVMe types take no volume key). */
  readonly instanceType: unknown;
  /** The output config (`ProcessingOutputConfig` / `*JobOutputConfig` / `MonitoringOutputConfig`), absent for a job without outputs. */
  readonly outputConfig: unknown;
}

function jobSettings(
  node: CfnResource,
  network: unknown,
  resources: unknown,
  output: unknown,
): ProcessingJobSettings {
  const res = resolved(node, resources);
  return {
    networkConfig: resolved(node, network),
    volumeKmsKeyId: field(res, 'Resources', 'clusterConfig', 'volumeKmsKeyId'),
    instanceType: field(res, 'Resources', 'clusterConfig', 'instanceType'),
    outputConfig: resolved(node, output),
  };
}

/**
 * The settings of a processing job, a monitoring job definition, or a monitoring schedule's
 * inline definition; `undefined` for anything else (and for a schedule that names a separate
 * job definition, which is checked as its own resource).
 */
export function processingJobSettings(node: CfnResource): ProcessingJobSettings | undefined {
  if (node instanceof CfnProcessingJob)
    return jobSettings(node, node.networkConfig, node.processingResources, node.processingOutputConfig);
  if (node instanceof CfnDataQualityJobDefinition)
    return jobSettings(node, node.networkConfig, node.jobResources, node.dataQualityJobOutputConfig);
  if (node instanceof CfnModelQualityJobDefinition)
    return jobSettings(node, node.networkConfig, node.jobResources, node.modelQualityJobOutputConfig);
  if (node instanceof CfnModelBiasJobDefinition)
    return jobSettings(node, node.networkConfig, node.jobResources, node.modelBiasJobOutputConfig);
  if (node instanceof CfnModelExplainabilityJobDefinition) {
    return jobSettings(node, node.networkConfig, node.jobResources, node.modelExplainabilityJobOutputConfig);
  }
  if (node instanceof CfnMonitoringSchedule) {
    const def = field(
      resolved(node, node.monitoringScheduleConfig),
      'MonitoringScheduleConfig',
      'monitoringJobDefinition',
    );
    if (def === undefined) return undefined;
    const what = 'MonitoringScheduleConfig.MonitoringJobDefinition';
    return {
      networkConfig: field(def, what, 'networkConfig'),
      volumeKmsKeyId: field(def, what, 'monitoringResources', 'clusterConfig', 'volumeKmsKeyId'),
      instanceType: field(def, what, 'monitoringResources', 'clusterConfig', 'instanceType'),
      outputConfig: field(def, what, 'monitoringOutputConfig'),
    };
  }
  return undefined;
}
