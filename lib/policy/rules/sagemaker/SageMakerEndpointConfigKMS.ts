import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { endpointVariants, field, isSet, onInstanceStorage, resolved } from '../../rule-helpers';

/** Without a customer managed key you cannot revoke access to, or audit use of, the endpoint's storage volumes. */
export const SageMakerEndpointConfigKMS: MLOpsRule = {
  name: 'SageMakerEndpointConfigKMS',
  info: 'The SageMaker endpoint config does not encrypt its instance storage with a customer managed KMS key.',
  explanation:
    'Model artifacts and request data on the ML storage volumes are then protected only by an AWS owned key, whose use you cannot restrict, audit in CloudTrail or revoke. Set KmsKeyId to a customer managed key. A config with any variant (production or shadow) on an instance type with local NVMe storage (g4dn, g5, p4d, m5d ...) is compliant without one: those volumes are encrypted in hardware and CreateEndpointConfig rejects a KmsKeyId (see MLOps-SageMakerVolumeKmsOnInstanceStorage).',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12', 'SC-13'],
  securitySeverity: 7.0,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpointConfig)) return NagRuleCompliance.NOT_APPLICABLE;
    if (isSet(resolved(node, node.kmsKeyId), 'KmsKeyId')) return NagRuleCompliance.COMPLIANT;
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId:
    // with any variant on local storage no key may be given, and those volumes are hardware-encrypted.
    // "any nitro-based instances with local storage": shadow variants' instances included.
    const local = endpointVariants(node).some(({ what, variant }) =>
      onInstanceStorage(field(variant, what, 'instanceType'), `${what}.InstanceType`),
    );
    return local ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
