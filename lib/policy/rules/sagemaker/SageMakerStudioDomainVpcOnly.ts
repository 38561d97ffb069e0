import { CfnResource } from 'aws-cdk-lib';
import { CfnDomain } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { literal, resolved } from '../../rule-helpers';

/** In the default PublicInternetOnly mode Studio apps reach the internet directly, around your network controls. */
export const SageMakerStudioDomainVpcOnly: MLOpsRule = {
  name: 'SageMakerStudioDomainVpcOnly',
  info: 'The SageMaker Studio domain does not use VpcOnly network access.',
  explanation:
    'AppNetworkAccessType defaults to PublicInternetOnly, which gives every Studio app direct internet access through a SageMaker-managed network: data can leave without passing your security groups, proxies or VPC endpoints. Set AppNetworkAccessType to VpcOnly with private subnets and VPC endpoints.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-7', 'SC-7(5)', 'AC-4'],
  securitySeverity: 8.0,
  resourceTypes: ['AWS::SageMaker::Domain'],
  check(node: CfnResource) {
    if (!(node instanceof CfnDomain)) return NagRuleCompliance.NOT_APPLICABLE;
    const mode = literal(resolved(node, node.appNetworkAccessType), 'AppNetworkAccessType');
    return mode === 'VpcOnly' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
