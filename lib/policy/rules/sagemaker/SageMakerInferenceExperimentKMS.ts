import { CfnResource } from 'aws-cdk-lib';
import { CfnInferenceExperiment } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isSet, resolved } from '../../rule-helpers';

/** A shadow test serves production traffic: its instance volumes and captured payloads hold that data. */
export const SageMakerInferenceExperimentKMS: MLOpsRule = {
  name: 'SageMakerInferenceExperimentKMS',
  info: 'The SageMaker inference experiment does not encrypt its instance storage or its captured data with a customer managed KMS key.',
  explanation:
    'An inference experiment (shadow test) copies production requests to shadow variants: the storage volumes of the instances hosting them and the request and response data it captures to S3 hold production data. Set KmsKey (instance storage) and, when DataStorageConfig captures data, DataStorageConfig.KmsKey to customer managed keys. Findings name the part: MLOps-SageMakerInferenceExperimentKMS[KmsKey], [DataStorageConfig.KmsKey].',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12'],
  securitySeverity: 6.0,
  resourceTypes: ['AWS::SageMaker::InferenceExperiment'],
  check(node: CfnResource) {
    if (!(node instanceof CfnInferenceExperiment)) return NagRuleCompliance.NOT_APPLICABLE;
    const findings: string[] = [];
    if (!isSet(resolved(node, node.kmsKey), 'KmsKey')) findings.push('KmsKey');
    const storage = resolved(node, node.dataStorageConfig);
    if (
      isSet(storage, 'DataStorageConfig') &&
      !isSet(field(storage, 'DataStorageConfig', 'kmsKey'), 'DataStorageConfig.KmsKey')
    ) {
      findings.push('DataStorageConfig.KmsKey');
    }
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
