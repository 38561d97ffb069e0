import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isTrue, PROCESSING_JOB_TYPES, processingJobSettings } from '../../rule-helpers';

/** A processing container with network access can send the data it processes anywhere. */
export const SageMakerProcessingJobNetworkIsolation: MLOpsRule = {
  name: 'SageMakerProcessingJobNetworkIsolation',
  info: 'The SageMaker processing or monitoring job does not enable network isolation.',
  explanation:
    'Processing and model-monitoring containers read training data and captured inference payloads. Without NetworkConfig.EnableNetworkIsolation the container can make outbound calls and exfiltrate them. Set EnableNetworkIsolation to true. Applies to ProcessingJob, the four monitoring job definitions and MonitoringSchedule inline definitions.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-4', 'SC-7', 'SC-7(5)'],
  securitySeverity: 7.5,
  resourceTypes: PROCESSING_JOB_TYPES,
  check(node: CfnResource) {
    const job = processingJobSettings(node);
    if (!job) return NagRuleCompliance.NOT_APPLICABLE;
    const isolation = field(job.networkConfig, 'NetworkConfig', 'enableNetworkIsolation');
    return isTrue(isolation, 'NetworkConfig.EnableNetworkIsolation')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
