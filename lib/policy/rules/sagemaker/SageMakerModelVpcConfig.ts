import { CfnResource } from 'aws-cdk-lib';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isSet, resolved, servedOnlyByServerless } from '../../rule-helpers';

/** A model outside a VPC pulls artifacts and serves traffic over the public network paths of the service account. */
export const SageMakerModelVpcConfig: MLOpsRule = {
  name: 'SageMakerModelVpcConfig',
  info: 'The SageMaker model is not attached to a VPC (VpcConfig with subnets and security groups).',
  explanation:
    'Without VpcConfig the model containers run outside your network controls: no security groups, no VPC endpoints, no flow logs. Set VpcConfig with private Subnets and SecurityGroupIds. A model served only by serverless endpoint configs of the same template is not checked: Serverless Inference does not support VPC configuration.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-7', 'AC-4', 'SC-7(5)'],
  securitySeverity: 7.0,
  resourceTypes: ['AWS::SageMaker::Model'],
  check(node: CfnResource) {
    if (!(node instanceof CfnModel)) return NagRuleCompliance.NOT_APPLICABLE;
    // Serverless Inference supports neither VPC configuration nor network isolation.
    if (servedOnlyByServerless(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const vpc = resolved(node, node.vpcConfig);
    const ok =
      isSet(field(vpc, 'VpcConfig', 'subnets'), 'VpcConfig.Subnets') &&
      isSet(field(vpc, 'VpcConfig', 'securityGroupIds'), 'VpcConfig.SecurityGroupIds');
    return ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
