import { Stack } from 'aws-cdk-lib';
import { CfnEndpointConfig, CfnEndpointConfigProps } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { KEY_ARN, ruleIds } from '../fixtures';

// Issue 16: shadow variants (EndpointConfig ShadowProductionVariants) are ProductionVariant
// objects hosted on the same endpoint, replicating production traffic
// (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-ShadowProductionVariants),
// so the variant rules read them like the production ones.
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
  it('MLOps-SageMakerEndpointConfigInstanceCount flags a single-instance shadow variant by name', () => {
    expect(
      ruleIds(
        config({ shadowProductionVariants: [{ ...shadow, initialInstanceCount: 1 }] }),
        'SageMakerEndpointConfigInstanceCount',
      ),
    ).toEqual(['MLOps-SageMakerEndpointConfigInstanceCount[Shadow]']);
    expect(
      ruleIds(config({ shadowProductionVariants: [shadow] }), 'SageMakerEndpointConfigInstanceCount'),
    ).toEqual([]);
  });
  it('MLOps-SageMakerEndpointConfigInstanceCount skips a serverless shadow variant', () => {
    const { instanceType: _t, initialInstanceCount: _c, ...rest } = shadow;
    expect(
      ruleIds(
        config({
          shadowProductionVariants: [
            { ...rest, serverlessConfig: { maxConcurrency: 1, memorySizeInMb: 2048 } },
          ],
        }),
        'SageMakerEndpointConfigInstanceCount',
      ),
    ).toEqual([]);
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
