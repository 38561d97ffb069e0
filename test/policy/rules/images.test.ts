import { Fn, Stack } from 'aws-cdk-lib';
import { CfnImage, CfnImageProps } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { expectJudged, ROLE_ARN, ruleIds } from '../fixtures';

function image(props: Partial<CfnImageProps> = {}): Stack {
  const stack = new Stack();
  new CfnImage(stack, 'Image', {
    imageName: 'team-jupyterlab',
    imageRoleArn: ROLE_ARN,
    imageDescription: 'JupyterLab with the team baseline, maintained by ml-platform',
    ...props,
  });
  return stack;
}

// ImageDescription: optional, 1 to 512 characters:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-image.html#cfn-sagemaker-image-imagedescription
// (AWS Config sagemaker-image-description:
// https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-image-description.html)
describe('MLOps-SageMakerImageDescription', () => {
  const rule = 'SageMakerImageDescription';
  it('passes a description', () => expect(ruleIds(image(), rule)).toEqual([]));
  it('flags a missing or blank description', () => {
    expect(ruleIds(image({ imageDescription: undefined }), rule)).toEqual([`MLOps-${rule}`]);
    expect(ruleIds(image({ imageDescription: ' ' }), rule)).toEqual([`MLOps-${rule}`]);
  });
  it('judges a description behind Fn::If branch by branch', () => {
    expectJudged(
      [`MLOps-${rule}: when condition C is false: The SageMaker image has no description.`],
      image({ imageDescription: Fn.conditionIf('C', 'Team image', Fn.ref('AWS::NoValue')).toString() }),
      rule,
    );
  });
});
