import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstance } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isSet, resolved } from '../../rule-helpers';

/** A notebook's ML storage volume holds data extracts, credentials and notebooks; it needs a key you control. */
export const SageMakerNotebookKMS: MLOpsRule = {
  name: 'SageMakerNotebookKMS',
  info: 'The SageMaker notebook instance does not encrypt its storage volume with a customer managed KMS key.',
  explanation:
    'Without KmsKeyId the notebook ML storage volume is encrypted with an AWS managed key, so access to the data on it cannot be restricted, audited or revoked by key policy. Set KmsKeyId to a customer managed key. A KmsKeyId behind Fn::If is judged branch by branch.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12'],
  securitySeverity: 6.0,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  check(node: CfnResource) {
    if (!(node instanceof CfnNotebookInstance)) return NagRuleCompliance.NOT_APPLICABLE;
    return isSet(resolved(node, node.kmsKeyId), 'KmsKeyId')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
