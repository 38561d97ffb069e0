import { Stack } from 'aws-cdk-lib';
import { CfnEndpointConfig, CfnEndpointConfigProps } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { KEY_ARN, ruleIds } from '../fixtures';

// Issue 16: shadow variants (EndpointConfig ShadowProductionVariants) are ProductionVariant
// objects hosted on the same endpoint, replicating production traffic
// (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-ShadowProductionVariants),
// so the variant rules read them like the production ones where AWS says they apply.
const production = {
  variantName: 'Production',
  modelName: 'm',
  instanceType: 'ml.m5.large',
  initialInstanceCount: 2,
  initialVariantWeight: 1,
};
const shadow = { ...production, variantName: 'Shadow', modelName: 'm2' };

function config(props: Partial<CfnEndpointConfigProps>): Stack {
  const stack = new Stack();
  new CfnEndpointConfig(stack, 'Config', { kmsKeyId: KEY_ARN, productionVariants: [production], ...props });
  return stack;
}

describe('shadow variants are judged like production variants', () => {
  // A shadow variant "receives a percentage of the incoming requests, replicated from the
  // production variant, but does not return any responses"
  // (https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests-create.html): one instance is no
  // single point of failure for the endpoint, so the instance-count rule does not apply to it.
  it('MLOps-SageMakerEndpointConfigInstanceCount does not judge a shadow variant, which returns no responses', () => {
    expect(
      ruleIds(
        config({ shadowProductionVariants: [{ ...shadow, initialInstanceCount: 1 }] }),
        'SageMakerEndpointConfigInstanceCount',
      ),
    ).toEqual([]);
    expect(
      ruleIds(
        config({
          productionVariants: [{ ...production, initialInstanceCount: 1 }],
          shadowProductionVariants: [shadow],
        }),
        'SageMakerEndpointConfigInstanceCount',
      ),
    ).toEqual(['MLOps-SageMakerEndpointConfigInstanceCount[Production]']);
  });
  // "If you specify a value for KmsKeyId when using any nitro-based instances with local storage,
  // the call to CreateEndpointConfig fails":
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId
  it('MLOps-SageMakerVolumeKmsOnInstanceStorage flags a key when a shadow variant has local NVMe storage', () => {
    expect(
      ruleIds(
        config({ shadowProductionVariants: [{ ...shadow, instanceType: 'ml.g5.xlarge' }] }),
        'SageMakerVolumeKmsOnInstanceStorage',
      ),
    ).toEqual(['MLOps-SageMakerVolumeKmsOnInstanceStorage[Shadow.KmsKeyId]']);
  });
  it('MLOps-SageMakerEndpointConfigKMS asks no key of a config whose shadow variant has local NVMe storage', () => {
    expect(
      ruleIds(
        config({
          kmsKeyId: undefined,
          shadowProductionVariants: [{ ...shadow, instanceType: 'ml.g5.xlarge' }],
        }),
        'SageMakerEndpointConfigKMS',
      ),
    ).toEqual([]);
    expect(
      ruleIds(
        config({ kmsKeyId: undefined, shadowProductionVariants: [shadow] }),
        'SageMakerEndpointConfigKMS',
      ),
    ).toEqual(['MLOps-SageMakerEndpointConfigKMS']);
  });
});
