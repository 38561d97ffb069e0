import { describe, expect, it } from 'vitest';
import { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RequiredTags } from '../../constructs/core/tags';
import { DEFAULT_CONFIG, DEMO_IMAGE_DIGEST, PlatformConfig } from '../../examples/reference-app/config';
import { PlatformStack } from '../../examples/reference-app/platform-stack';
import { ServingMode, ServingStack } from '../../examples/reference-app/serving';
import { findingLines } from '../support/nag';

const RELEASED = { name: 'churn', imageDigest: `sha256:${'ab'.repeat(32)}`, modelVersion: '7' };

function build(
  environment: 'dev' | 'prod' = 'prod',
  config: PlatformConfig = DEFAULT_CONFIG,
  mode?: ServingMode,
) {
  const app = new App();
  const env = { account: config.account, region: config.region };
  const platform = new PlatformStack(app, 'Platform', { env, config });
  const [model] = config.servedModels;
  const serving = new ServingStack(app, 'ServingChurn', {
    env,
    keys: platform.keys,
    alerts: platform.alerts,
    network: platform.network,
    apiGatewayAccount: platform.apiGatewayAccount,
    imageRepository: platform.servedModelImages[model.name],
    modelArtifacts: platform.modelArtifacts,
    modelName: model.name,
    imageDigest: model.imageDigest,
    modelVersion: model.modelVersion,
    environment,
    mode,
  });
  RequiredTags.apply(app, config.tags);
  return { app, platform, serving };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

describe('ServingStack', () => {
  it('passes every pack', () => {
    const { serving } = build();
    expect(findingLines(serving)).toEqual([]);
  });

  it('leaves the platform stack at zero findings and free of serving references', () => {
    const { platform, serving } = build();
    Template.fromStack(serving);
    expect(findingLines(platform)).toEqual([]);
    // Exports flow platform -> serving only: the platform never depends on the serving stack.
    expect(platform.dependencies).not.toContain(serving);
    expect(serving.dependencies).toContain(platform);
  });

  // A first deployment works only in order: the platform stack (image repository, artifact bucket)
  // first, then images and artifacts are uploaded, then the serving stack that reads them.
  it('takes its image repository and artifact bucket from the platform stack, which deploys first', () => {
    const { platform, serving } = build();
    const servingTemplate = Template.fromStack(serving);
    servingTemplate.resourceCountIs('AWS::ECR::Repository', 0);
    const platformResources = Template.fromStack(platform).toJSON().Resources as Resources;
    const repository = Object.entries(platformResources).find(
      ([id, r]) => r.Type === 'AWS::ECR::Repository' && id.startsWith('ServedModelschurnImages'),
    );
    expect(repository).toBeDefined();
    const model = Object.values(servingTemplate.findResources('AWS::SageMaker::Model'))[0] as {
      Properties: { PrimaryContainer: { Image: unknown; ModelDataUrl: unknown } };
    };
    // Both come from the platform stack's exports (Fn::ImportValue), so CloudFormation deploys it first.
    expect(JSON.stringify(model.Properties.PrimaryContainer.Image)).toMatch(
      /Fn::ImportValue.*ServedModelschurn/,
    );
    expect(JSON.stringify(model.Properties.PrimaryContainer.ModelDataUrl)).toMatch(
      /Fn::ImportValue.*ModelArtifacts/,
    );
    expect(serving.dependencies).toContain(platform);
    expect(platform.dependencies).not.toContain(serving);
  });

  it('serves the image digest and model version its config names', () => {
    const { serving } = build('prod', { ...DEFAULT_CONFIG, servedModels: [RELEASED] });
    const model = Object.values(Template.fromStack(serving).findResources('AWS::SageMaker::Model'))[0] as {
      Properties: {
        PrimaryContainer: {
          Image: { 'Fn::Join': [string, unknown[]] };
          ModelDataUrl: { 'Fn::Join': [string, unknown[]] };
        };
      };
    };
    expect(model.Properties.PrimaryContainer.Image['Fn::Join'][1].at(-1)).toBe(`@${RELEASED.imageDigest}`);
    expect(model.Properties.PrimaryContainer.ModelDataUrl['Fn::Join'][1].at(-1)).toBe(
      '/models/churn/7/model.tar.gz',
    );
  });

  it('keeps the demo digest in the default config, so synth works offline before any image exists', () => {
    expect(DEFAULT_CONFIG.servedModels).toEqual([
      { name: 'churn', imageDigest: DEMO_IMAGE_DIGEST, modelVersion: '1' },
    ]);
    const { serving } = build();
    Template.fromStack(serving).resourceCountIs('AWS::ApiGateway::RestApi', 1);
    // The real-time endpoint behind the API, and the asynchronous one of the default mode.
    Template.fromStack(serving).resourceCountIs('AWS::SageMaker::Endpoint', 2);
  });

  describe('serving modes', () => {
    type Config = {
      Properties: { AsyncInferenceConfig?: unknown; ProductionVariants: { ModelName: unknown }[] };
    };
    const configs = (serving: ServingStack) =>
      Object.values(Template.fromStack(serving).findResources('AWS::SageMaker::EndpointConfig')) as Config[];

    it('serves the model in two modes by default: real-time behind the API, and asynchronous', () => {
      const { serving } = build();
      const all = configs(serving);
      expect(all.filter((c) => c.Properties.AsyncInferenceConfig === undefined)).toHaveLength(1);
      expect(all.filter((c) => c.Properties.AsyncInferenceConfig !== undefined)).toHaveLength(1);
      // Both modes, and the nightly batch job (test/reference-app/batch.test.ts), run the same
      // image and artifact.
      const models = Object.values(Template.fromStack(serving).findResources('AWS::SageMaker::Model')) as {
        Properties: { PrimaryContainer: unknown };
      }[];
      expect(models).toHaveLength(3);
      for (const m of models.slice(1))
        expect(m.Properties.PrimaryContainer).toEqual(models[0].Properties.PrimaryContainer);
      expect(serving.api.endpoint).toBe(serving.endpoint);
    });

    it("keeps async requests and results in the serving stack's own bucket, encrypted with its key", () => {
      const { serving } = build();
      const asyncConfig = configs(serving).find((c) => c.Properties.AsyncInferenceConfig)!;
      const text = JSON.stringify(asyncConfig.Properties.AsyncInferenceConfig);
      const bucketId = serving.getLogicalId(serving.capture.bucket.node.defaultChild as CfnElement);
      expect(text).toContain(`{"Ref":"${bucketId}"}`);
      // The bucket's own key (the platform's models key): its policy admits no other.
      expect(text).toContain(
        `"KmsKeyId":${JSON.stringify(serving.resolve(serving.capture.encryptionKey.keyArn))}`,
      );
    });

    it("serves real-time only with mode 'realtime'", () => {
      const { serving } = build('prod', DEFAULT_CONFIG, 'realtime');
      expect(serving.asyncEndpoint).toBeUndefined();
      expect(configs(serving).filter((c) => c.Properties.AsyncInferenceConfig !== undefined)).toHaveLength(0);
      Template.fromStack(serving).resourceCountIs('AWS::SageMaker::Endpoint', 1);
    });
  });

  it('lets the endpoint read its artifact and pull its image through its own role, with no platform policy change', () => {
    const { platform, serving } = build();
    const servingJson = JSON.stringify(Template.fromStack(serving).toJSON());
    expect(servingJson).toContain('/models/churn/1/model.tar.gz');
    // Grants live in the serving stack's identity policies: the platform template names no serving role.
    expect(JSON.stringify(Template.fromStack(platform).toJSON())).not.toMatch(/ServingChurn/);
  });

  // One AWS::ApiGateway::Account per account and region, so the platform owns it and each serving
  // stack's API deploys after it: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html
  it('leaves the API Gateway account setting to the platform stack', () => {
    const { platform, serving } = build();
    Template.fromStack(serving).resourceCountIs('AWS::ApiGateway::Account', 0);
    Template.fromStack(platform).resourceCountIs('AWS::ApiGateway::Account', 1);
    expect(serving.api.apiGatewayAccount).toBe(platform.apiGatewayAccount);
  });

  it('outputs what the deployment steps need: endpoint, invocation URL and capture bucket', () => {
    const { serving } = build();
    const outputs = Template.fromStack(serving).toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'EndpointName',
        'InvocationsUrl',
        'CaptureBucketName',
        'AsyncEndpointName',
        'AsyncInputUri',
      ]),
    );
  });

  it('rejects an invalid model name', () => {
    const { app, platform } = build();
    expect(
      () =>
        new ServingStack(app, 'Bad', {
          keys: platform.keys,
          alerts: platform.alerts,
          network: platform.network,
          apiGatewayAccount: platform.apiGatewayAccount,
          imageRepository: platform.servedModelImages.churn,
          modelArtifacts: platform.modelArtifacts,
          modelName: 'Churn Model',
          imageDigest: DEMO_IMAGE_DIGEST,
          modelVersion: '1',
          environment: 'dev',
        }),
    ).toThrow(/^Bad: modelName: is not a valid model name \(got "Churn Model"/);
  });
});
