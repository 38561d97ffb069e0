import { CfnResource } from 'aws-cdk-lib';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { imagePinnedByDigest, modelImages, templateString } from '../../rule-helpers';

/** A tag can be moved to another image, so a model served from a tag is not the model that was reviewed. */
export const SageMakerModelImageDigest: MLOpsRule = {
  name: 'SageMakerModelImageDigest',
  info: 'A SageMaker model container image is not pinned by digest (@sha256:...).',
  explanation:
    'Image tags are mutable: whoever can push to the repository can change what the endpoint runs without any change to the template. Reference every container Image as <repository>@sha256:<digest>. Findings name the container (PrimaryContainer, Containers.<i>).',
  level: NagMessageLevel.ERROR,
  nist: ['CM-2', 'CM-14', 'SI-7'],
  securitySeverity: 6.5,
  resourceTypes: ['AWS::SageMaker::Model'],
  check(node: CfnResource) {
    if (!(node instanceof CfnModel)) return NagRuleCompliance.NOT_APPLICABLE;
    const images = modelImages(node);
    if (images.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const findings = images
      .filter(
        ({ label, image }) => !imagePinnedByDigest(templateString(image) ?? '', `${label}.Image`, image),
      )
      .map(({ label }) => label);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
