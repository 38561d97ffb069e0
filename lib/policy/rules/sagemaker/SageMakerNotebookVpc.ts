import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstance } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isSet, resolved } from '../../rule-helpers';

/** A notebook outside your VPC has no security groups, VPC endpoints or flow logs around its traffic. */
export const SageMakerNotebookVpc: MLOpsRule = {
  name: 'SageMakerNotebookVpc',
  info: 'The SageMaker notebook instance is not attached to a VPC (SubnetId and SecurityGroupIds).',
  explanation:
    'Without SubnetId the notebook instance has only the network interface SageMaker creates in its own service VPC, outside your security groups, VPC endpoints and flow logs; a SubnetId without SecurityGroupIds gets the VPC default security group. Set SubnetId to a private subnet and SecurityGroupIds to groups you control.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-7', 'AC-4', 'SC-7(5)'],
  securitySeverity: 7.0,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  check(node: CfnResource) {
    if (!(node instanceof CfnNotebookInstance)) return NagRuleCompliance.NOT_APPLICABLE;
    const ok =
      isSet(resolved(node, node.subnetId), 'SubnetId') &&
      isSet(resolved(node, node.securityGroupIds), 'SecurityGroupIds');
    return ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
