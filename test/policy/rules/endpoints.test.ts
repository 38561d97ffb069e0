import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import {
  CfnEndpoint,
  CfnEndpointConfig,
  CfnEndpointConfigProps,
  CfnEndpointProps,
} from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { KEY_ARN, reported, ruleIds, THREW, expectJudged } from '../fixtures';

const variant = {
  variantName: 'AllTraffic',
  modelName: 'm',
  instanceType: 'ml.m5.large',
  initialInstanceCount: 2,
  initialVariantWeight: 1,
};
const compliantConfig: CfnEndpointConfigProps = {
  kmsKeyId: KEY_ARN,
  productionVariants: [variant],
  dataCaptureConfig: {
    enableCapture: true,
    kmsKeyId: KEY_ARN,
    initialSamplingPercentage: 100,
    destinationS3Uri: 's3://ml-capture/ep',
    captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
  },
};

function config(props: Partial<CfnEndpointConfigProps> = {}): Stack {
  const stack = new Stack();
  new CfnEndpointConfig(stack, 'Config', { ...compliantConfig, ...props });
  return stack;
}

function threw(stack: Stack, rule: string): void {
  const r = reported(stack, rule);
  expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${rule}`]);
  expect(r[0].description).toMatch(THREW);
}

describe('MLOps-SageMakerEndpointConfigKMS', () => {
  it('passes a config with a CMK', () => {
    expect(ruleIds(config(), 'SageMakerEndpointConfigKMS')).toEqual([]);
  });
  it('flags a config without KmsKeyId', () => {
    expect(ruleIds(config({ kmsKeyId: undefined }), 'SageMakerEndpointConfigKMS')).toEqual([
      'MLOps-SageMakerEndpointConfigKMS',
    ]);
  });
  it('reports a key behind Fn::If instead of crashing', () => {
    expectJudged(
      [
        'MLOps-SageMakerEndpointConfigKMS: when condition C is false: The SageMaker endpoint config does not encrypt its instance storage with a customer managed KMS key.',
      ],
      config({ kmsKeyId: Fn.conditionIf('C', KEY_ARN, Fn.ref('AWS::NoValue')).toString() }),
      'SageMakerEndpointConfigKMS',
    );
  });
  // Issue 16 asked whether serverless-only configs should be exempt. CreateEndpointConfig documents
  // one case where KmsKeyId is rejected, variants on instance types with local storage
  // (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId),
  // and none for serverless variants; IsolatedEndpoint sets a key on its serverless configs. So a
  // serverless-only config still needs a key, and a key on it is no request AWS rejects.
  it('asks a serverless-only config for a key too, and accepts one there', () => {
    const serverless = [
      { variantName: 'S', modelName: 'm', serverlessConfig: { maxConcurrency: 5, memorySizeInMb: 2048 } },
    ];
    expect(
      ruleIds(
        config({ kmsKeyId: undefined, productionVariants: serverless, dataCaptureConfig: undefined }),
        'SageMakerEndpointConfigKMS',
      ),
    ).toEqual(['MLOps-SageMakerEndpointConfigKMS']);
    const keyed = config({ productionVariants: serverless, dataCaptureConfig: undefined });
    expect(ruleIds(keyed, 'SageMakerEndpointConfigKMS')).toEqual([]);
    expect(ruleIds(keyed, 'SageMakerVolumeKmsOnInstanceStorage')).toEqual([]);
  });
});

describe('MLOps-SageMakerEndpointConfigDataCapture', () => {
  const rule = 'SageMakerEndpointConfigDataCapture';
  it('passes capture enabled with its own key', () => {
    expect(ruleIds(config(), rule)).toEqual([]);
  });
  it('flags a config without DataCaptureConfig', () => {
    expect(ruleIds(config({ dataCaptureConfig: undefined }), rule)).toEqual([
      `MLOps-${rule}[DataCaptureConfig]`,
    ]);
  });
  it('flags capture that is disabled and unencrypted, one finding per field', () => {
    const dataCaptureConfig = {
      ...compliantConfig.dataCaptureConfig,
      enableCapture: false,
      kmsKeyId: undefined,
    } as CfnEndpointConfig.DataCaptureConfigProperty;
    expect(ruleIds(config({ dataCaptureConfig }), rule)).toEqual([
      `MLOps-${rule}[EnableCapture]`,
      `MLOps-${rule}[KmsKeyId]`,
    ]);
  });
  it('does not apply to serverless-only configs, which cannot capture', () => {
    const productionVariants = [
      { variantName: 'S', modelName: 'm', serverlessConfig: { maxConcurrency: 5, memorySizeInMb: 2048 } },
    ];
    expect(ruleIds(config({ productionVariants, dataCaptureConfig: undefined }), rule)).toEqual([]);
  });
  it('reports EnableCapture from a parameter instead of crashing', () => {
    const stack = new Stack();
    const p = new CfnParameter(stack, 'Capture', { type: 'String' });
    const dataCaptureConfig = {
      ...compliantConfig.dataCaptureConfig,
      enableCapture: Fn.conditionIf('C', true, p.valueAsString),
    } as CfnEndpointConfig.DataCaptureConfigProperty;
    new CfnEndpointConfig(stack, 'Config', { ...compliantConfig, dataCaptureConfig });
    threw(stack, rule);
  });
});

describe('MLOps-SageMakerEndpointConfigInstanceCount', () => {
  const rule = 'SageMakerEndpointConfigInstanceCount';
  it('passes variants with two or more instances', () => {
    expect(ruleIds(config(), rule)).toEqual([]);
  });
  it('flags each single-instance variant by name, as a warning', () => {
    const productionVariants = [variant, { ...variant, variantName: 'Canary', initialInstanceCount: 1 }];
    const report = reported(config({ productionVariants }), rule);
    expect(report.map((r) => [r.ruleName, r.severity])).toEqual([[`MLOps-${rule}[Canary]`, 'warning']]);
  });
  it('ignores serverless variants', () => {
    const productionVariants = [
      variant,
      { variantName: 'S', modelName: 'm', serverlessConfig: { maxConcurrency: 5, memorySizeInMb: 2048 } },
    ];
    expect(ruleIds(config({ productionVariants }), rule)).toEqual([]);
  });
  it('reports a count from a parameter instead of crashing', () => {
    const stack = new Stack();
    const p = new CfnParameter(stack, 'Count', { type: 'Number' });
    new CfnEndpointConfig(stack, 'Config', {
      ...compliantConfig,
      productionVariants: [{ ...variant, initialInstanceCount: p.valueAsNumber }],
    });
    threw(stack, rule);
  });
});

describe('MLOps-SageMakerEndpointConfigAsyncOutputKMS', () => {
  const rule = 'SageMakerEndpointConfigAsyncOutputKMS';
  it('passes async output with a CMK and ignores configs without async inference', () => {
    const asyncInferenceConfig = { outputConfig: { s3OutputPath: 's3://ml-async/out', kmsKeyId: KEY_ARN } };
    expect(ruleIds(config({ asyncInferenceConfig }), rule)).toEqual([]);
    expect(ruleIds(config(), rule)).toEqual([]);
  });
  it('flags async output without a key', () => {
    const asyncInferenceConfig = { outputConfig: { s3OutputPath: 's3://ml-async/out' } };
    expect(ruleIds(config({ asyncInferenceConfig }), rule)).toEqual([`MLOps-${rule}`]);
  });
  it('reports an output config behind Fn::If instead of crashing', () => {
    const asyncInferenceConfig = {
      outputConfig: Fn.conditionIf('C', { S3OutputPath: 's3://x' }, { S3OutputPath: 's3://y' }),
    };
    expectJudged(
      [
        'MLOps-SageMakerEndpointConfigAsyncOutputKMS: The SageMaker asynchronous inference output is not encrypted with a customer managed KMS key.',
      ],
      config({ asyncInferenceConfig }),
      rule,
    );
  });
});

describe('MLOps-SageMakerEndpointDeploymentGuardrails', () => {
  const rule = 'SageMakerEndpointDeploymentGuardrails';
  const guarded: CfnEndpointProps = {
    endpointConfigName: 'cfg',
    deploymentConfig: {
      autoRollbackConfiguration: { alarms: [{ alarmName: 'ep-5xx' }] },
      blueGreenUpdatePolicy: {
        trafficRoutingConfiguration: {
          type: 'CANARY',
          canarySize: { type: 'CAPACITY_PERCENT', value: 10 },
          waitIntervalInSeconds: 300,
        },
      },
    },
  };
  function endpoint(props: Partial<CfnEndpointProps> = {}): Stack {
    const stack = new Stack();
    new CfnEndpoint(stack, 'Endpoint', { ...guarded, ...props });
    return stack;
  }
  it('passes blue/green with rollback alarms, and rolling updates', () => {
    expect(ruleIds(endpoint(), rule)).toEqual([]);
    const rolling = {
      autoRollbackConfiguration: { alarms: [{ alarmName: 'ep-5xx' }] },
      rollingUpdatePolicy: {
        maximumBatchSize: { type: 'INSTANCE_COUNT', value: 1 },
        waitIntervalInSeconds: 60,
      },
    };
    expect(ruleIds(endpoint({ deploymentConfig: rolling }), rule)).toEqual([]);
  });
  it('flags an endpoint without a deployment config, one finding per missing part', () => {
    expect(ruleIds(endpoint({ deploymentConfig: undefined }), rule)).toEqual([
      `MLOps-${rule}[AutoRollbackConfiguration]`,
      `MLOps-${rule}[UpdatePolicy]`,
    ]);
  });
  it('flags a blue/green update without rollback alarms', () => {
    const deploymentConfig = {
      ...guarded.deploymentConfig,
      autoRollbackConfiguration: undefined,
    } as CfnEndpoint.DeploymentConfigProperty;
    expect(ruleIds(endpoint({ deploymentConfig }), rule)).toEqual([
      `MLOps-${rule}[AutoRollbackConfiguration]`,
    ]);
  });
  it('reports a deployment config behind Fn::If instead of crashing', () => {
    expectJudged(
      [
        'MLOps-SageMakerEndpointDeploymentGuardrails[AutoRollbackConfiguration]: The SageMaker endpoint has no deployment guardrails (auto-rollback alarms with a blue/green or rolling update).',
        'MLOps-SageMakerEndpointDeploymentGuardrails[UpdatePolicy]: The SageMaker endpoint has no deployment guardrails (auto-rollback alarms with a blue/green or rolling update).',
      ],
      endpoint({ deploymentConfig: Fn.conditionIf('C', {}, {}) }),
      rule,
    );
  });
});
