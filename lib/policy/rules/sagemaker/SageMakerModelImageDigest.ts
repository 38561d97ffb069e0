import { CfnResource } from 'aws-cdk-lib';
import { CfnImageVersion, CfnModel, CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import {
  argImage,
  checkablePipelineSteps,
  ContainerImage,
  endsWithDigest,
  imagePinnedByDigest,
  modelImages,
  pipelineModelImages,
  resolved,
  templateString,
} from '../../rule-helpers';

/**
 * A tag can be moved to another image, so a model served from a tag (or a Studio image version
 * built from one) is not the image that was reviewed.
 */
export const SageMakerModelImageDigest: MLOpsRule = {
  name: 'SageMakerModelImageDigest',
  info: 'A SageMaker container image (model container or Studio image version) is not pinned by digest (@sha256:...).',
  explanation:
    'Image tags are mutable: whoever can push to the repository can change what the endpoint runs without any change to the template. Reference every container Image as <repository>@sha256:<digest>. Studio custom images (AWS::SageMaker::ImageVersion BaseImage) and the models a pipeline creates (Model steps) or registers (RegisterModel steps) likewise. Findings name the container (PrimaryContainer, Containers.<i>, <step>.PrimaryContainer, <step>.Containers.<i>, <step>.InferenceSpecification.Containers.<i>) or BaseImage.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-2', 'CM-14', 'SI-7'],
  securitySeverity: 6.5,
  resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::ImageVersion', 'AWS::SageMaker::Pipeline'],
  check(node: CfnResource) {
    if (node instanceof CfnPipeline) {
      // A pipeline image may be a pipeline expression, rebuilt with placeholders: it must still end in a digest.
      const steps = checkablePipelineSteps(node);
      if (!steps) return NagRuleCompliance.NOT_APPLICABLE;
      const images = pipelineModelImages(steps);
      if (images.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
      const findings = images
        .filter(({ image }) => !endsWithDigest(argImage(image) ?? ''))
        .map((i) => i.label);
      return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
    }
    let images: ContainerImage[];
    if (node instanceof CfnModel) images = modelImages(node);
    // A Studio image version's BaseImage is an ECR URI with a tag or a digest:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-imageversion.html#cfn-sagemaker-imageversion-baseimage
    else if (node instanceof CfnImageVersion)
      images = [{ label: 'BaseImage', image: resolved(node, node.baseImage) }];
    else return NagRuleCompliance.NOT_APPLICABLE;
    if (images.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const findings = images
      .filter(
        ({ label, image }) =>
          !imagePinnedByDigest(
            templateString(image) ?? '',
            label === 'BaseImage' ? label : `${label}.Image`,
            image,
          ),
      )
      .map(({ label }) => label);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
