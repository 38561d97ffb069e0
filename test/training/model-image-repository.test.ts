import { describe, expect, it } from 'vitest';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { PropsValidationError } from '../../constructs/core/validate';
import { ModelImageRepository, pinnedImageUri } from '../../constructs/training/model-image-repository';
import { findingLines, testStack } from '../support/nag';
import { DIGEST } from './fixtures';

function repo(props = {}) {
  const stack = testStack();
  return { stack, images: new ModelImageRepository(stack, 'Images', props) };
}

describe('ModelImageRepository', () => {
  it('encrypts with a customer-managed key, immutable tags, scan on push, retained', () => {
    const { stack } = repo();
    const t = Template.fromStack(stack);
    t.hasResource('AWS::ECR::Repository', {
      Properties: {
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.anyValue() },
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
      },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    t.resourceCountIs('AWS::KMS::Key', 1);
  });

  it('expires untagged images after 14 days by default', () => {
    const { stack } = repo();
    const policy = Template.fromStack(stack).findResources('AWS::ECR::Repository');
    const text = Object.values(policy)[0].Properties.LifecyclePolicy.LifecyclePolicyText as string;
    expect(JSON.parse(text).rules).toEqual([
      expect.objectContaining({
        selection: expect.objectContaining({
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countNumber: 14,
        }),
      }),
    ]);
  });

  it('denies principals outside the account and lists the pull principals in the repository policy', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Trainer', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    new ModelImageRepository(stack, 'Images', { pullPrincipals: [role] });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111111111111' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
            Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Trainer'), 'Arn'] } },
          }),
        ],
      },
    });
  });

  it('turns a digest into the pinned URI', () => {
    const { stack, images } = repo();
    const uri = Stack.of(images).resolve(images.imageUri(DIGEST)) as { 'Fn::Join': [string, unknown[]] };
    const parts = uri['Fn::Join'][1];
    expect(parts[parts.length - 1]).toBe(`@${DIGEST}`);
    void stack;
  });

  it('rejects a tag or a malformed digest, naming the path and field', () => {
    const { images } = repo();
    for (const bad of ['latest', 'sha256:abc', `sha256:${'A'.repeat(64)}`]) {
      expect(() => images.imageUri(bad)).toThrow(PropsValidationError);
      expect(() => images.imageUri(bad)).toThrow(/^Test\/Images: digest: is not an image digest/);
    }
  });

  it('makes a pinned image of one digest: this repository, the digest, the same URI as imageUri', () => {
    const { stack, images } = repo();
    const image = images.image(DIGEST);
    expect(image.repository).toBe(images.repository);
    expect(image.digest).toBe(DIGEST);
    expect(stack.resolve(pinnedImageUri(image))).toEqual(stack.resolve(images.imageUri(DIGEST)));
    for (const bad of ['latest', 'sha256:abc']) {
      expect(() => images.image(bad)).toThrow(
        `Test/Images: digest: is not an image digest (got ${JSON.stringify(bad)}; expected sha256:<64 lowercase hex digits>)`,
      );
    }
  });

  it('grants pull on the repository ARN and names the grantee in the repository policy', () => {
    const { stack, images } = repo();
    const role = new ScopedRole(stack, 'Puller', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    images.grantPull(role);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
          Match.objectLike({
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Images'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('validates props', () => {
    expect(() => repo({ repositoryName: 'Bad Name' })).toThrow(
      /^Test\/Images: repositoryName: has an invalid format/,
    );
  });

  it('imports by name with the same digest check', () => {
    const stack = testStack();
    const imported = ModelImageRepository.fromRepositoryName(stack, 'Imported', 'models/churn');
    expect(() => imported.imageUri('v1')).toThrow(/digest: is not an image digest/);
    expect(imported.imageUri(DIGEST)).toContain(`@${DIGEST}`);
    expect(imported.image(DIGEST).repository).toBe(imported.repository);
    expect(() => imported.image('v1')).toThrow(/digest: is not an image digest/);
  });

  it('has zero findings with defaults', () => {
    const { stack } = repo();
    expect(findingLines(stack)).toEqual([]);
  });

  it('refuses names ECR refuses: one character, partial-day retention', () => {
    expect(() => repo({ repositoryName: 'a' })).toThrow(
      'Test/Images: repositoryName: is too small (got "a"; expected length >= 2)',
    );
    expect(() => repo({ untaggedImageRetention: Duration.hours(2200) })).toThrow(
      /^Test\/Images: untaggedImageRetention: must be a whole number of days/,
    );
    expect(() => repo({ repositoryName: 'ab' })).not.toThrow();
  });
});
