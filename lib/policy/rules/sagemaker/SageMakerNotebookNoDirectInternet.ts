import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstance } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { literal, resolved } from '../../rule-helpers';

/** Direct internet access lets notebook code reach, and send data to, any host, past every VPC control. */
export const SageMakerNotebookNoDirectInternet: MLOpsRule = {
  name: 'SageMakerNotebookNoDirectInternet',
  info: 'The SageMaker notebook instance has direct internet access.',
  explanation:
    'DirectInternetAccess defaults to Enabled: SageMaker gives the instance a route to the internet through its own service VPC, so code in the notebook can exfiltrate data whatever your VPC allows. Set DirectInternetAccess to Disabled (it requires SubnetId and SecurityGroupIds) and reach AWS services through VPC endpoints or a NAT you control.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-7', 'SC-7(5)', 'AC-4'],
  securitySeverity: 7.5,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  check(node: CfnResource) {
    if (!(node instanceof CfnNotebookInstance)) return NagRuleCompliance.NOT_APPLICABLE;
    return literal(resolved(node, node.directInternetAccess), 'DirectInternetAccess') === 'Disabled'
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
