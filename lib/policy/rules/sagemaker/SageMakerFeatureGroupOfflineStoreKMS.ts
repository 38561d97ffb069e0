import { CfnResource } from 'aws-cdk-lib';
import { CfnFeatureGroup } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isSet, resolved } from '../../rule-helpers';

/** The offline store keeps the full feature history in S3; it must be encrypted under a key you control. */
export const SageMakerFeatureGroupOfflineStoreKMS: MLOpsRule = {
  name: 'SageMakerFeatureGroupOfflineStoreKMS',
  info: 'The SageMaker feature group offline store is not encrypted with a customer managed KMS key.',
  explanation:
    'The offline store holds every feature record ever ingested. Without OfflineStoreConfig.S3StorageConfig.KmsKeyId, SageMaker writes it with the bucket default instead of a key scoped to feature data. Set S3StorageConfig.KmsKeyId. (OfflineStoreConfig is a JSON property: its keys are PascalCase.)',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12', 'AC-3'],
  securitySeverity: 7.0,
  resourceTypes: ['AWS::SageMaker::FeatureGroup'],
  check(node: CfnResource) {
    if (!(node instanceof CfnFeatureGroup)) return NagRuleCompliance.NOT_APPLICABLE;
    const offline = resolved(node, node.offlineStoreConfig);
    if (!isSet(offline, 'OfflineStoreConfig')) return NagRuleCompliance.NOT_APPLICABLE;
    const key = field(offline, 'OfflineStoreConfig', 'S3StorageConfig', 'KmsKeyId');
    return isSet(key, 'OfflineStoreConfig.S3StorageConfig.KmsKeyId')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
