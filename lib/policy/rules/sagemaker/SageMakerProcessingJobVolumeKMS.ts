import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isSet, onInstanceStorage, PROCESSING_JOB_TYPES, processingJobSettings } from '../../rule-helpers';

/** The ML storage volume of a processing job holds a full copy of its input data while it runs. */
export const SageMakerProcessingJobVolumeKMS: MLOpsRule = {
  name: 'SageMakerProcessingJobVolumeKMS',
  info: 'The SageMaker processing or monitoring job does not encrypt its storage volume with a customer managed KMS key.',
  explanation:
    'Input data is staged on the ML storage volume. Without ClusterConfig.VolumeKmsKeyId it is encrypted with an AWS managed key outside your key policy. Set VolumeKmsKeyId to a customer managed key. Instance types with local NVMe storage (g4dn, g5, m5d ...) are compliant without one: SageMaker encrypts those volumes in hardware and rejects a VolumeKmsKeyId for them.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12'],
  securitySeverity: 6.0,
  resourceTypes: PROCESSING_JOB_TYPES,
  check(node: CfnResource) {
    const job = processingJobSettings(node);
    if (!job) return NagRuleCompliance.NOT_APPLICABLE;
    if (isSet(job.volumeKmsKeyId, 'ClusterConfig.VolumeKmsKeyId')) return NagRuleCompliance.COMPLIANT;
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProcessingClusterConfig.html
    return onInstanceStorage(job.instanceType, 'ClusterConfig.InstanceType')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
