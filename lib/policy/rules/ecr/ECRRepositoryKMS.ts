import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isSet, literal, resolved } from '../../rule-helpers';

/** Model images hold weights and code: keep them under a key you control. */
export const ECRRepositoryKMS: MLOpsRule = {
  name: 'ECRRepositoryKMS',
  info: 'The ECR repository is not encrypted with a customer managed KMS key.',
  explanation:
    'Without EncryptionConfiguration the repository uses AES256 with an AWS owned key, and EncryptionType KMS without KmsKey uses the AWS managed aws/ecr key; either way you cannot restrict who decrypts the image layers (which often hold model weights and inference code) with a key policy, audit each use, or revoke access. No cdk-nag pack checks ECR encryption. Set EncryptionConfiguration to EncryptionType KMS (or KMS_DSSE) with KmsKey set to a customer managed key; it cannot be changed after the repository is created.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12', 'SC-13'],
  securitySeverity: 6.0,
  resourceTypes: ['AWS::ECR::Repository'],
  check(node: CfnResource) {
    if (!(node instanceof CfnRepository)) return NagRuleCompliance.NOT_APPLICABLE;
    const enc = resolved(node, node.encryptionConfiguration);
    const type = literal(
      field(enc, 'EncryptionConfiguration', 'encryptionType'),
      'EncryptionConfiguration.EncryptionType',
    );
    const kms = type === 'KMS' || type === 'KMS_DSSE';
    return kms && isSet(field(enc, 'EncryptionConfiguration', 'kmsKey'), 'EncryptionConfiguration.KmsKey')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
