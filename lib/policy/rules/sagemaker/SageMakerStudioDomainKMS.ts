import { CfnResource } from 'aws-cdk-lib';
import { CfnDomain } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isSet, resolved } from '../../rule-helpers';

/** Studio's EFS home directories hold notebooks, credentials and data extracts; they need a key you control. */
export const SageMakerStudioDomainKMS: MLOpsRule = {
  name: 'SageMakerStudioDomainKMS',
  info: 'The SageMaker Studio domain does not encrypt its storage with a customer managed KMS key.',
  explanation:
    'Without KmsKeyId the domain EFS volume and app storage use an AWS managed key, so access cannot be restricted or revoked by key policy. Set KmsKeyId to a customer managed key.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12'],
  securitySeverity: 6.0,
  resourceTypes: ['AWS::SageMaker::Domain'],
  check(node: CfnResource) {
    if (!(node instanceof CfnDomain)) return NagRuleCompliance.NOT_APPLICABLE;
    return isSet(resolved(node, node.kmsKeyId), 'KmsKeyId')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
