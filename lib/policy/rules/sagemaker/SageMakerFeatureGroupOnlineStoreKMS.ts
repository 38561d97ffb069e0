import { CfnResource } from 'aws-cdk-lib';
import { CfnFeatureGroup } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isSet, isTrue, resolved } from '../../rule-helpers';

/** The online store serves features (often personal data) at low latency; it needs a key you can audit and revoke. */
export const SageMakerFeatureGroupOnlineStoreKMS: MLOpsRule = {
  name: 'SageMakerFeatureGroupOnlineStoreKMS',
  info: 'The SageMaker feature group online store is not encrypted with a customer managed KMS key.',
  explanation:
    'Without OnlineStoreConfig.SecurityConfig.KmsKeyId the online store uses an AWS owned key, so reads cannot be limited by key policy or traced in CloudTrail. Set SecurityConfig.KmsKeyId whenever EnableOnlineStore is true. (OnlineStoreConfig is a JSON property: its keys are PascalCase.)',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12', 'AC-3'],
  securitySeverity: 7.0,
  resourceTypes: ['AWS::SageMaker::FeatureGroup'],
  check(node: CfnResource) {
    if (!(node instanceof CfnFeatureGroup)) return NagRuleCompliance.NOT_APPLICABLE;
    const online = resolved(node, node.onlineStoreConfig);
    if (
      !isTrue(field(online, 'OnlineStoreConfig', 'EnableOnlineStore'), 'OnlineStoreConfig.EnableOnlineStore')
    ) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const key = field(online, 'OnlineStoreConfig', 'SecurityConfig', 'KmsKeyId');
    return isSet(key, 'OnlineStoreConfig.SecurityConfig.KmsKeyId')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
