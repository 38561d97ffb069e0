import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isSet, PROCESSING_JOB_TYPES, processingJobSettings } from '../../rule-helpers';

/** Processing and monitoring outputs (features, statistics, violation reports) are derived data as sensitive as the input. */
export const SageMakerProcessingJobOutputKMS: MLOpsRule = {
  name: 'SageMakerProcessingJobOutputKMS',
  info: 'The SageMaker processing or monitoring job does not encrypt its output with a customer managed KMS key.',
  explanation:
    'Without the output config KmsKeyId, results are uploaded to S3 under the bucket default rather than a key scoped to the data. Set ProcessingOutputConfig.KmsKeyId (or the monitoring job output config KmsKeyId). Jobs without outputs are not checked.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12'],
  securitySeverity: 6.0,
  resourceTypes: PROCESSING_JOB_TYPES,
  check(node: CfnResource) {
    const job = processingJobSettings(node);
    if (!job || !isSet(job.outputConfig, 'OutputConfig')) return NagRuleCompliance.NOT_APPLICABLE;
    return isSet(field(job.outputConfig, 'OutputConfig', 'kmsKeyId'), 'OutputConfig.KmsKeyId')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
