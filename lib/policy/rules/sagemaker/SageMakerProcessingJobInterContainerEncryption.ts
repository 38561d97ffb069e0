import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isTrue, PROCESSING_JOB_TYPES, processingJobSettings } from '../../rule-helpers';

/** Distributed jobs exchange data between instances in clear text unless inter-container encryption is on. */
export const SageMakerProcessingJobInterContainerEncryption: MLOpsRule = {
  name: 'SageMakerProcessingJobInterContainerEncryption',
  info: 'The SageMaker processing or monitoring job does not encrypt inter-container traffic.',
  explanation:
    'With more than one instance, containers exchange data over the network unencrypted unless NetworkConfig.EnableInterContainerTrafficEncryption is true. Set it to true (it costs some job time, not money).',
  level: NagMessageLevel.ERROR,
  nist: ['SC-8', 'SC-8(1)', 'SC-13'],
  securitySeverity: 5.5,
  resourceTypes: PROCESSING_JOB_TYPES,
  check(node: CfnResource) {
    const job = processingJobSettings(node);
    if (!job) return NagRuleCompliance.NOT_APPLICABLE;
    const icte = field(job.networkConfig, 'NetworkConfig', 'enableInterContainerTrafficEncryption');
    return isTrue(icte, 'NetworkConfig.EnableInterContainerTrafficEncryption')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
