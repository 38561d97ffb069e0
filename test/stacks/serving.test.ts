import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RequiredTags } from '../../constructs/core/tags';
import { DEFAULT_CONFIG } from '../../lib/stacks/config';
import { PlatformStack } from '../../lib/stacks/platform-stack';
import { DEMO_IMAGE_DIGEST, ServingStack } from '../../lib/stacks/serving';
import { findingLines } from '../support/nag';

function build(environment: 'dev' | 'prod' = 'prod') {
  const app = new App();
  const env = { account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.region };
  const platform = new PlatformStack(app, 'Platform', { env, config: DEFAULT_CONFIG });
  const serving = new ServingStack(app, 'ServingChurn', {
    env,
    keys: platform.keys,
    alerts: platform.alerts,
    network: platform.network,
    apiGatewayAccount: platform.apiGatewayAccount,
    modelName: 'churn',
    environment,
  });
  RequiredTags.apply(app, DEFAULT_CONFIG.tags);
  return { app, platform, serving };
}

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

  it('serves a digest-pinned image from the platform account ECR and an artifact in its models bucket', () => {
    const { serving } = build();
    const template = Template.fromStack(serving);
    const model = Object.values(template.findResources('AWS::SageMaker::Model'))[0] as {
      Properties: {
        PrimaryContainer: {
          Image: { 'Fn::Join': [string, unknown[]] };
          ModelDataUrl: { 'Fn::Join': [string, unknown[]] };
        };
      };
    };
    const image = model.Properties.PrimaryContainer.Image['Fn::Join'][1];
    expect(image[0]).toBe(`${DEFAULT_CONFIG.account}.dkr.ecr.${DEFAULT_CONFIG.region}.`);
    expect(image[2]).toBe(`/churn@${DEMO_IMAGE_DIGEST}`);
    expect(model.Properties.PrimaryContainer.ModelDataUrl['Fn::Join'][1][2]).toBe(
      '/models/churn/1/model.tar.gz',
    );
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::SageMaker::Endpoint', 1);
  });

  // One AWS::ApiGateway::Account per account and region, so the platform owns it and each serving
  // stack's API deploys after it: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html
  it('leaves the API Gateway account setting to the platform stack', () => {
    const { platform, serving } = build();
    Template.fromStack(serving).resourceCountIs('AWS::ApiGateway::Account', 0);
    Template.fromStack(platform).resourceCountIs('AWS::ApiGateway::Account', 1);
    expect(serving.api.apiGatewayAccount).toBe(platform.apiGatewayAccount);
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
          modelName: 'Churn Model',
          environment: 'dev',
        }),
    ).toThrow(/^Bad: modelName: is not a valid model name \(got "Churn Model"/);
  });
});
