import { Stack } from 'aws-cdk-lib';
import {
  CfnAppImageConfig,
  CfnImage,
  CfnImageVersion,
  CfnNotebookInstanceLifecycleConfig,
} from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { MLOpsChecks } from '../../../lib/policy/mlops-checks';
import { DIGEST, ruleIds } from '../fixtures';

const rule = 'SageMakerRequiredTags';
const props = { requiredTagKeys: ['owner'] };

// The rule reads only resources whose L1 is taggable (aws-cdk-lib generates ITaggable/ITaggableV2
// from the CloudFormation resource schema); the others are not applicable.
describe('MLOps-SageMakerRequiredTags: which SageMaker types it judges', () => {
  // Issue 16 reported the lifecycle config as untaggable. The older CloudFormation reference pages
  // list only NotebookInstanceLifecycleConfigName, OnCreate and OnStart, but the resource now has
  // Tags: aws-cdk-lib 2.276 generates CfnNotebookInstanceLifecycleConfig as ITaggableV2 with
  // `tags` (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-notebookinstancelifecycleconfig.html#cfn-sagemaker-notebookinstancelifecycleconfig-tags,
  // https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_sagemaker.CfnNotebookInstanceLifecycleConfigProps.html),
  // and CreateNotebookInstanceLifecycleConfig takes Tags
  // (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateNotebookInstanceLifecycleConfig.html).
  // So the finding can be fixed, and stays.
  it('judges a notebook lifecycle config: the finding is fixed by tagging it', () => {
    const lcc = (tags?: { key: string; value: string }[]): Stack => {
      const stack = new Stack();
      new CfnNotebookInstanceLifecycleConfig(stack, 'Lcc', { onStart: [{ content: 'ZWNobw==' }], tags });
      return stack;
    };
    expect(ruleIds(lcc(), rule, props)).toEqual([`MLOps-${rule}[owner]`]);
    expect(ruleIds(lcc([{ key: 'owner', value: 'ml-platform' }]), rule, props)).toEqual([]);
  });

  // Issue 16: Studio custom images and their app image configs take Tags
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-appimageconfig.html#cfn-sagemaker-appimageconfig-tags,
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-image.html#cfn-sagemaker-image-tags);
  // aws-cdk-lib 2.276 generates both L1s as ITaggable, and the rule's AWS::SageMaker::* type filter
  // includes them.
  it('judges an app image config and a Studio image: each finding is fixed by tagging it', () => {
    const studio = (tags?: { key: string; value: string }[]): Stack => {
      const stack = new Stack();
      new CfnAppImageConfig(stack, 'AppImageConfig', {
        appImageConfigName: 'custom',
        kernelGatewayImageConfig: { kernelSpecs: [{ name: 'python3' }] },
        tags,
      });
      new CfnImage(stack, 'Image', {
        imageName: 'custom',
        imageRoleArn: 'arn:aws:iam::111111111111:role/studio-image',
        imageDescription: 'custom image',
        tags,
      });
      return stack;
    };
    const paths = new MLOpsChecks(undefined, props)
      .validateScope(studio())
      .violations.filter((v) => v.ruleName === `MLOps-${rule}[owner]`)
      .flatMap((v) => v.violatingResources.map((r) => r.constructPath))
      .sort();
    expect(paths).toEqual(['Default/AppImageConfig', 'Default/Image']);
    expect(ruleIds(studio([{ key: 'owner', value: 'ml-platform' }]), rule, props)).toEqual([]);
  });

  // CfnImageVersion is the one SageMaker L1 of aws-cdk-lib 2.276 without a tagging interface
  // (AWS::SageMaker::ImageVersion has no Tags property): nothing to fix, no finding.
  it('does not judge an image version, which has no Tags', () => {
    const stack = new Stack();
    new CfnImageVersion(stack, 'Version', {
      imageName: 'custom',
      baseImage: `111111111111.dkr.ecr.eu-west-1.amazonaws.com/img@${DIGEST}`,
    });
    expect(ruleIds(stack, rule, props)).toEqual([]);
  });
});
