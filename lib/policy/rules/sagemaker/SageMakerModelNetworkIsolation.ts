import { CfnResource } from 'aws-cdk-lib';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isTrue, resolved, servedOnlyByServerless } from '../../rule-helpers';

/** A model without network isolation can send inference data anywhere its container reaches. */
export const SageMakerModelNetworkIsolation: MLOpsRule = {
  name: 'SageMakerModelNetworkIsolation',
  info: 'The SageMaker model does not enable network isolation.',
  explanation:
    'Without EnableNetworkIsolation the model container can make outbound calls, so a compromised or malicious model can exfiltrate inference payloads. Set EnableNetworkIsolation to true. A model served only by serverless endpoint configs of the same template is not checked: Serverless Inference does not support network isolation.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-4', 'SC-7', 'SC-7(5)'],
  securitySeverity: 8.0,
  resourceTypes: ['AWS::SageMaker::Model'],
  check(node: CfnResource) {
    if (!(node instanceof CfnModel)) return NagRuleCompliance.NOT_APPLICABLE;
    // Serverless Inference supports neither VPC configuration nor network isolation.
    if (servedOnlyByServerless(node)) return NagRuleCompliance.NOT_APPLICABLE;
    return isTrue(resolved(node, node.enableNetworkIsolation), 'EnableNetworkIsolation')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
