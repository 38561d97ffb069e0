import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance, NagRules } from 'cdk-nag';
import { MLOpsRule } from '../../rule';

/** A model without network isolation can send inference data anywhere its container reaches. */
export const SageMakerModelNetworkIsolation: MLOpsRule = {
  name: 'SageMakerModelNetworkIsolation',
  info: 'The SageMaker model does not enable network isolation.',
  explanation:
    'Without EnableNetworkIsolation the model container can make outbound calls, so a compromised or malicious model can exfiltrate inference payloads. Set EnableNetworkIsolation to true.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-4', 'SC-7', 'SC-7(5)'],
  securitySeverity: 8.0,
  resourceTypes: ['AWS::SageMaker::Model'],
  check(node: CfnResource) {
    if (!(node instanceof CfnModel)) return NagRuleCompliance.NOT_APPLICABLE;
    const isolation = NagRules.resolveIfPrimitive(node, Stack.of(node).resolve(node.enableNetworkIsolation));
    return isolation === true || isolation === 'true'
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
