import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isSet, resolved } from '../../rule-helpers';

/** Asynchronous inference writes every response to S3, where it outlives the request; it needs a key you control. */
export const SageMakerEndpointConfigAsyncOutputKMS: MLOpsRule = {
  name: 'SageMakerEndpointConfigAsyncOutputKMS',
  info: 'The SageMaker asynchronous inference output is not encrypted with a customer managed KMS key.',
  explanation:
    'Async endpoints store each inference result in S3. Without OutputConfig.KmsKeyId the results are encrypted only with the bucket default, outside the key policy that guards the model data. Set AsyncInferenceConfig.OutputConfig.KmsKeyId.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-13'],
  securitySeverity: 6.0,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpointConfig)) return NagRuleCompliance.NOT_APPLICABLE;
    const asyncConfig = resolved(node, node.asyncInferenceConfig);
    if (!isSet(asyncConfig, 'AsyncInferenceConfig')) return NagRuleCompliance.NOT_APPLICABLE;
    const key = field(asyncConfig, 'AsyncInferenceConfig', 'outputConfig', 'kmsKeyId');
    return isSet(key, 'AsyncInferenceConfig.OutputConfig.KmsKeyId')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
