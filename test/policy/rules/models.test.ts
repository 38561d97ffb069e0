import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { CfnEndpointConfig, CfnImageVersion, CfnModel, CfnModelProps } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { DIGEST, PINNED_IMAGE, ROLE_ARN, reported, ruleIds, THREW, expectJudged } from '../fixtures';

const compliant: CfnModelProps = {
  executionRoleArn: ROLE_ARN,
  enableNetworkIsolation: true,
  vpcConfig: { subnets: ['subnet-0a1b2c3d'], securityGroupIds: ['sg-0a1b2c3d'] },
  primaryContainer: { image: PINNED_IMAGE, modelDataUrl: 's3://ml-models/model.tar.gz' },
};

function model(props: Partial<CfnModelProps> = {}): Stack {
  const stack = new Stack();
  new CfnModel(stack, 'Model', { ...compliant, ...props });
  return stack;
}

describe('MLOps-SageMakerModelNetworkIsolation', () => {
  it('passes an isolated model', () => {
    expect(ruleIds(model(), 'SageMakerModelNetworkIsolation')).toEqual([]);
  });
  it('flags a model without isolation', () => {
    expect(ruleIds(model({ enableNetworkIsolation: undefined }), 'SageMakerModelNetworkIsolation')).toEqual([
      'MLOps-SageMakerModelNetworkIsolation',
    ]);
  });
  it('reports an unresolvable parameter instead of crashing', () => {
    const stack = new Stack();
    const p = new CfnParameter(stack, 'Isolate', { type: 'String' });
    new CfnModel(stack, 'Model', {
      ...compliant,
      enableNetworkIsolation: Fn.conditionIf('C', true, p.valueAsString),
    });
    const r = reported(stack, 'SageMakerModelNetworkIsolation');
    expect(r.map((x) => x.ruleName)).toEqual(['MLOps-SageMakerModelNetworkIsolation']);
    expect(r[0].description).toMatch(THREW);
  });
});

describe('MLOps-SageMakerModelVpcConfig', () => {
  it('passes a model with subnets and security groups', () => {
    expect(ruleIds(model(), 'SageMakerModelVpcConfig')).toEqual([]);
  });
  it('flags a model without VpcConfig', () => {
    expect(ruleIds(model({ vpcConfig: undefined }), 'SageMakerModelVpcConfig')).toEqual([
      'MLOps-SageMakerModelVpcConfig',
    ]);
  });
  it('flags a VpcConfig with no security groups', () => {
    const vpcConfig = { subnets: ['subnet-1'], securityGroupIds: [] };
    expect(ruleIds(model({ vpcConfig }), 'SageMakerModelVpcConfig')).toEqual([
      'MLOps-SageMakerModelVpcConfig',
    ]);
  });
  it('reports a VpcConfig behind Fn::If instead of crashing', () => {
    const stack = new Stack();
    new CfnCondition(stack, 'InVpc', { expression: Fn.conditionEquals('a', 'b') });
    new CfnModel(stack, 'Model', {
      ...compliant,
      vpcConfig: Fn.conditionIf('InVpc', compliant.vpcConfig, Fn.ref('AWS::NoValue')),
    });
    expectJudged(
      [
        'MLOps-SageMakerModelVpcConfig: The SageMaker model is not attached to a VPC (VpcConfig with subnets and security groups).',
      ],
      stack,
      'SageMakerModelVpcConfig',
    );
  });
});

describe('MLOps-SageMakerModelImageDigest', () => {
  it('passes images pinned by digest, also when built with Fn::Sub', () => {
    const stack = model({
      primaryContainer: undefined,
      containers: [
        { image: PINNED_IMAGE },
        {
          image: Fn.sub(
            `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/pre@sha256:${'b'.repeat(64)}`,
          ),
        },
      ],
    });
    expect(ruleIds(stack, 'SageMakerModelImageDigest')).toEqual([]);
  });
  it('flags each container served from a tag', () => {
    const stack = model({
      primaryContainer: undefined,
      containers: [
        { image: PINNED_IMAGE },
        { image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/pre:latest' },
      ],
    });
    expect(ruleIds(stack, 'SageMakerModelImageDigest')).toEqual([
      'MLOps-SageMakerModelImageDigest[Containers.1]',
    ]);
  });
  it('flags a primary container with a short digest', () => {
    const stack = model({
      primaryContainer: { image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/m@sha256:abc' },
    });
    expect(ruleIds(stack, 'SageMakerModelImageDigest')).toEqual([
      'MLOps-SageMakerModelImageDigest[PrimaryContainer]',
    ]);
  });
  it('skips containers that take their image from a model package', () => {
    const stack = model({
      primaryContainer: { modelPackageName: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/g/1' },
    });
    expect(ruleIds(stack, 'SageMakerModelImageDigest')).toEqual([]);
  });
  it('reports an image that is wholly a parameter instead of crashing', () => {
    const stack = new Stack();
    const image = new CfnParameter(stack, 'Image', { type: 'String' });
    new CfnModel(stack, 'Model', { ...compliant, primaryContainer: { image: image.valueAsString } });
    const r = reported(stack, 'SageMakerModelImageDigest');
    expect(r.map((x) => x.ruleName)).toEqual(['MLOps-SageMakerModelImageDigest']);
    expect(r[0].description).toMatch(THREW);
  });
});

describe('MLOps-SageMakerModelPrivateRegistry', () => {
  it('passes a private ECR image, also one built from references', () => {
    const stack = model({
      primaryContainer: undefined,
      containers: [
        { image: PINNED_IMAGE },
        {
          image: Fn.join('', [
            Fn.ref('AWS::AccountId'),
            '.dkr.ecr.',
            Fn.ref('AWS::Region'),
            '.',
            Fn.ref('AWS::URLSuffix'),
            '/m@sha256:',
            'c'.repeat(64),
          ]),
        },
      ],
    });
    expect(ruleIds(stack, 'SageMakerModelPrivateRegistry')).toEqual([]);
  });
  // Platform = "the model image is hosted in Amazon ECR"; Vpc = "a private Docker registry in your VPC"
  // other than ECR: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ImageConfig.html,
  // https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html.
  // The pack requires ECR, so the Vpc-mode controls (Security Hub SageMaker.16/.19) are mapped not applicable.
  it('passes a private ECR image pulled in Platform mode and flags a non-ECR registry even in Vpc mode', () => {
    const platform = model({
      primaryContainer: { image: PINNED_IMAGE, imageConfig: { repositoryAccessMode: 'Platform' } },
    });
    expect(ruleIds(platform, 'SageMakerModelPrivateRegistry')).toEqual([]);
    const vpc = model({
      primaryContainer: {
        image: `registry.internal.example.com/models/xgboost@${DIGEST}`,
        imageConfig: { repositoryAccessMode: 'Vpc' },
      },
    });
    expect(ruleIds(vpc, 'SageMakerModelPrivateRegistry')).toEqual([
      'MLOps-SageMakerModelPrivateRegistry[PrimaryContainer]',
    ]);
  });
  it.each([
    ['public.ecr.aws/lambda/python@sha256:' + 'a'.repeat(64)],
    ['docker.io/library/python@sha256:' + 'a'.repeat(64)],
    ['python@sha256:' + 'a'.repeat(64)],
    ['ghcr.io/org/model@sha256:' + 'a'.repeat(64)],
  ])('flags %s', (image) => {
    expect(ruleIds(model({ primaryContainer: { image } }), 'SageMakerModelPrivateRegistry')).toEqual([
      'MLOps-SageMakerModelPrivateRegistry[PrimaryContainer]',
    ]);
  });
  it('reports an image whose host is a parameter instead of crashing', () => {
    const stack = new Stack();
    const host = new CfnParameter(stack, 'Registry', { type: 'String' });
    new CfnModel(stack, 'Model', {
      ...compliant,
      primaryContainer: { image: `${host.valueAsString}/m@sha256:${'a'.repeat(64)}` },
    });
    const r = reported(stack, 'SageMakerModelPrivateRegistry');
    expect(r.map((x) => x.ruleName)).toEqual(['MLOps-SageMakerModelPrivateRegistry']);
    expect(r[0].description).toMatch(THREW);
  });
});

describe('model rules and how the model is served', () => {
  // Serverless Inference supports neither VPC configuration nor network isolation:
  // https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions
  function served(serverless: boolean, alsoOnInstances = false): Stack {
    const stack = model({ enableNetworkIsolation: undefined, vpcConfig: undefined });
    const m = stack.node.findChild('Model') as CfnModel;
    const variant = (name: string, onInstances: boolean) =>
      onInstances
        ? {
            variantName: name,
            modelName: m.attrModelName,
            instanceType: 'ml.m5.xlarge',
            initialInstanceCount: 2,
          }
        : {
            variantName: name,
            modelName: m.attrModelName,
            serverlessConfig: { memorySizeInMb: 2048, maxConcurrency: 5 },
          };
    new CfnEndpointConfig(stack, 'Serverless', { productionVariants: [variant('main', !serverless)] });
    if (alsoOnInstances)
      new CfnEndpointConfig(stack, 'Instances', { productionVariants: [variant('main', true)] });
    return stack;
  }
  for (const rule of ['SageMakerModelNetworkIsolation', 'SageMakerModelVpcConfig']) {
    it(`${rule}: not checked for a model only serverless variants serve`, () => {
      expect(ruleIds(served(true), rule)).toEqual([]);
    });
    it(`${rule}: checked for a model an instance-based variant serves, also beside a serverless one`, () => {
      expect(ruleIds(served(false), rule)).toEqual([`MLOps-${rule}`]);
      expect(ruleIds(served(true, true), rule)).toEqual([`MLOps-${rule}`]);
    });
  }
});

describe('MLOps-SageMakerModelImageDigest on Studio image versions', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-imageversion.html#cfn-sagemaker-imageversion-baseimage
  const rule = 'SageMakerModelImageDigest';
  function version(baseImage: string): Stack {
    const stack = new Stack();
    new CfnImageVersion(stack, 'Version', { imageName: 'team-notebook', baseImage });
    return stack;
  }
  it('passes a BaseImage pinned by digest', () => {
    expect(ruleIds(version(PINNED_IMAGE), rule)).toEqual([]);
  });
  it('flags a BaseImage given by tag', () => {
    expect(ruleIds(version('111111111111.dkr.ecr.eu-west-1.amazonaws.com/studio:latest'), rule)).toEqual([
      `MLOps-${rule}[BaseImage]`,
    ]);
  });
  it('reports a BaseImage that is a free parameter instead of crashing', () => {
    const stack = new Stack();
    const p = new CfnParameter(stack, 'Image');
    new CfnImageVersion(stack, 'Version', { imageName: 'team-notebook', baseImage: p.valueAsString });
    const r = reported(stack, rule);
    expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${rule}`]);
    expect(r[0].description).toMatch(THREW);
  });
});
