import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RequiredTags } from '../../constructs/core/tags';
import { DEFAULT_CONFIG } from '../../examples/reference-app/config';
import { addLegalHold } from '../../examples/reference-app/legal-hold';
import { PlatformStack } from '../../examples/reference-app/platform-stack';
import { addTraining } from '../../examples/reference-app/training';
import { findingLines } from '../support/nag';

function platformWithLegalHold() {
  const app = new App();
  const stack = new PlatformStack(app, 'Platform', {
    env: { account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.region },
    config: DEFAULT_CONFIG,
  });
  RequiredTags.apply(app, DEFAULT_CONFIG.tags);
  const training = addTraining(stack);
  return { stack, training, holds: addLegalHold(stack, training) };
}

describe('addLegalHold', () => {
  it('passes every pack', () => {
    expect(findingLines(platformWithLegalHold().stack)).toEqual([]);
  });

  // Enabling Object Lock on a deployed bucket would replace it (ObjectLockEnabled: Update requires
  // Replacement): the reference dataset bucket has had it from its first deployment, and must keep it.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html#cfn-s3-bucket-objectlockenabled
  it('holds churn-model data in the dataset bucket that has always had Object Lock, without a default retention', () => {
    const { stack } = platformWithLegalHold();
    const t = Template.fromStack(stack);
    const datasets = stack.getLogicalId(stack.datasets.bucket.node.defaultChild as never);
    const bucket = t.toJSON().Resources[datasets] as { Properties: Record<string, unknown> };
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toBeUndefined();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { ModelPackageGroupName: ['churn-model'] } }),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ModelDataLegalHoldFunction'), 'Arn'] },
        }),
      ],
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          LEGAL_HOLD_DATASET_BUCKET: { Ref: datasets },
          LEGAL_HOLD_DATASETS_PREFIX: 'datasets/',
          LEGAL_HOLD_MANIFEST_BUCKET: { Ref: Match.stringLikeRegexp('^ChurnTrainingArtifacts') },
          LEGAL_HOLD_MANIFEST_PREFIX: 'lineage/churn-training/',
        }),
      },
    });
  });
});
