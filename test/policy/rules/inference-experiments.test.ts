import { Fn, Stack } from 'aws-cdk-lib';
import { CfnInferenceExperiment, CfnInferenceExperimentProps } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { expectJudged, KEY_ARN, ROLE_ARN, ruleIds } from '../fixtures';

// KmsKey encrypts the storage volume of the instances hosting the variants; DataStorageConfig.KmsKey
// the captured request and response data (Security Hub SageMaker.23 and .24):
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-inferenceexperiment.html#cfn-sagemaker-inferenceexperiment-kmskey
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-sagemaker-inferenceexperiment-datastorageconfig.html
const realTime = (modelName: string, variantName: string) => ({
  modelName,
  variantName,
  infrastructureConfig: {
    infrastructureType: 'RealTimeInference',
    realTimeInferenceConfig: { instanceType: 'ml.m5.large', instanceCount: 1 },
  },
});
const compliant: CfnInferenceExperimentProps = {
  name: 'shadow',
  type: 'ShadowMode',
  endpointName: 'churn',
  roleArn: ROLE_ARN,
  kmsKey: KEY_ARN,
  modelVariants: [realTime('m1', 'production'), realTime('m2', 'shadow')],
  shadowModeConfig: {
    sourceModelVariantName: 'production',
    shadowModelVariants: [{ shadowModelVariantName: 'shadow', samplingPercentage: 50 }],
  },
  dataStorageConfig: { destination: 's3://ml-capture/shadow', kmsKey: KEY_ARN },
};

function experiment(props: Partial<CfnInferenceExperimentProps> = {}): Stack {
  const stack = new Stack();
  new CfnInferenceExperiment(stack, 'Experiment', { ...compliant, ...props });
  return stack;
}

describe('MLOps-SageMakerInferenceExperimentKMS', () => {
  const rule = 'SageMakerInferenceExperimentKMS';
  it('passes both keys, and no data storage with the instance key', () => {
    expect(ruleIds(experiment(), rule)).toEqual([]);
    expect(ruleIds(experiment({ dataStorageConfig: undefined }), rule)).toEqual([]);
  });
  it('flags each missing key by its part', () => {
    expect(ruleIds(experiment({ kmsKey: undefined }), rule)).toEqual([`MLOps-${rule}[KmsKey]`]);
    expect(
      ruleIds(
        experiment({ kmsKey: undefined, dataStorageConfig: { destination: 's3://ml-capture/x' } }),
        rule,
      ),
    ).toEqual([`MLOps-${rule}[DataStorageConfig.KmsKey]`, `MLOps-${rule}[KmsKey]`]);
  });
  it('judges keys behind Fn::If branch by branch', () => {
    expectJudged(
      [
        'MLOps-SageMakerInferenceExperimentKMS[DataStorageConfig.KmsKey]: when condition D is false: The SageMaker inference experiment does not encrypt its instance storage or its captured data with a customer managed KMS key.',
        'MLOps-SageMakerInferenceExperimentKMS[KmsKey]: when condition C is false: The SageMaker inference experiment does not encrypt its instance storage or its captured data with a customer managed KMS key.',
      ],
      experiment({
        kmsKey: Fn.conditionIf('C', KEY_ARN, Fn.ref('AWS::NoValue')).toString(),
        dataStorageConfig: {
          destination: 's3://ml-capture/shadow',
          kmsKey: Fn.conditionIf('D', KEY_ARN, Fn.ref('AWS::NoValue')).toString(),
        },
      }),
      rule,
    );
  });
});
