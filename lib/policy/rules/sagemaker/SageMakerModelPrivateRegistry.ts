import { CfnResource } from 'aws-cdk-lib';
import { CfnModel, CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import {
  argImage,
  checkablePipelineSteps,
  imageInPrivateEcr,
  modelImages,
  namesPrivateEcr,
  pipelineModelImages,
  templateString,
} from '../../rule-helpers';

/** Images from public registries bypass your scanning, signing and retention controls. */
export const SageMakerModelPrivateRegistry: MLOpsRule = {
  name: 'SageMakerModelPrivateRegistry',
  info: 'A SageMaker model container image is not from a private ECR registry.',
  explanation:
    'Images from public.ecr.aws, Docker Hub or other hosts are outside your image scanning, replication and access controls, and can disappear or change upstream. Copy the image into a private ECR repository (<account>.dkr.ecr.<region>.amazonaws.com/...) and reference it from there. Findings name the container (PrimaryContainer, Containers.<i>; in a pipeline <step>.PrimaryContainer, <step>.Containers.<i>, <step>.InferenceSpecification.Containers.<i>).',
  level: NagMessageLevel.ERROR,
  nist: ['CM-7', 'SA-9', 'SR-3', 'SI-7'],
  securitySeverity: 6.5,
  resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::Pipeline'],
  check(node: CfnResource) {
    if (node instanceof CfnPipeline) {
      const steps = checkablePipelineSteps(node);
      if (!steps) return NagRuleCompliance.NOT_APPLICABLE;
      const images = pipelineModelImages(steps);
      if (images.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
      const findings = images
        .filter(({ image }) => !namesPrivateEcr(argImage(image) ?? ''))
        .map((i) => i.label);
      return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
    }
    if (!(node instanceof CfnModel)) return NagRuleCompliance.NOT_APPLICABLE;
    const images = modelImages(node);
    if (images.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const findings = images
      .filter(({ label, image }) => !imageInPrivateEcr(templateString(image) ?? '', `${label}.Image`, image))
      .map(({ label }) => label);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
