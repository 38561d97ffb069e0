import { Stack } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import {
  inlineBody,
  PINNED_IMAGE,
  pipelineDefinition,
  registerModelStep,
  ROLE_ARN,
  ruleIds,
  trainingStep,
} from '../fixtures';

// Issue 16 (multi-container models): a pipeline creates models too. A Model step's Arguments are a
// CreateModel request (PrimaryContainer or Containers, an inference pipeline) and a RegisterModel
// step's InferenceSpecification.Containers are the images the registered package deploys
// (https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html), so the image
// rules read every one of those containers as they read an AWS::SageMaker::Model's.
const TAGGED = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/models/xgboost:latest';
const PUBLIC = `public.ecr.aws/acme/xgboost@sha256:${'b'.repeat(64)}`;

function pipeline(steps: object[]): Stack {
  const stack = new Stack();
  new CfnPipeline(stack, 'Pipeline', {
    pipelineName: 'p',
    roleArn: ROLE_ARN,
    pipelineDefinition: inlineBody(pipelineDefinition(steps)),
  });
  return stack;
}
const modelStep = (args: object): object => ({
  Name: 'CreateModel',
  Type: 'Model',
  Arguments: { ExecutionRoleArn: ROLE_ARN, EnableNetworkIsolation: true, ...args },
});
const register = (images: string[]): object =>
  registerModelStep('Register', {
    InferenceSpecification: {
      Containers: images.map((Image) => ({ Image })),
      SupportedContentTypes: ['text/csv'],
      SupportedResponseMIMETypes: ['text/csv'],
    },
  });

describe('pipeline steps that create or register models: every container image is judged', () => {
  it('passes pinned private images in Model and RegisterModel steps', () => {
    const stack = pipeline([
      trainingStep(),
      modelStep({ PrimaryContainer: { Image: PINNED_IMAGE } }),
      register([PINNED_IMAGE, PINNED_IMAGE]),
    ]);
    expect(ruleIds(stack, 'SageMakerModelImageDigest')).toEqual([]);
    expect(ruleIds(stack, 'SageMakerModelPrivateRegistry')).toEqual([]);
  });
  it('MLOps-SageMakerModelImageDigest names each container pinned only by tag', () => {
    const stack = pipeline([
      trainingStep(),
      modelStep({ Containers: [{ Image: PINNED_IMAGE }, { Image: TAGGED }] }),
      register([PINNED_IMAGE, TAGGED]),
    ]);
    expect(ruleIds(stack, 'SageMakerModelImageDigest')).toEqual([
      'MLOps-SageMakerModelImageDigest[CreateModel.Containers.1]',
      'MLOps-SageMakerModelImageDigest[Register.InferenceSpecification.Containers.1]',
    ]);
  });
  it('MLOps-SageMakerModelPrivateRegistry names each container from another registry', () => {
    const stack = pipeline([
      trainingStep(),
      modelStep({ PrimaryContainer: { Image: PUBLIC } }),
      register([PUBLIC]),
    ]);
    expect(ruleIds(stack, 'SageMakerModelPrivateRegistry')).toEqual([
      'MLOps-SageMakerModelPrivateRegistry[CreateModel.PrimaryContainer]',
      'MLOps-SageMakerModelPrivateRegistry[Register.InferenceSpecification.Containers.0]',
    ]);
  });
});
