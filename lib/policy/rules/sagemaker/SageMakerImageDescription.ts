import { CfnResource } from 'aws-cdk-lib';
import { CfnImage } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isSet, resolved } from '../../rule-helpers';

/** A custom Studio image nobody can identify is one nobody patches, reviews or retires. */
export const SageMakerImageDescription: MLOpsRule = {
  name: 'SageMakerImageDescription',
  info: 'The SageMaker image has no description.',
  explanation:
    'Studio users pick custom images by name and description, and reviewers need to know what an image contains and who maintains it before approving its versions; without one, an outdated or unowned image stays in use. Set ImageDescription (up to 512 characters) on the AWS::SageMaker::Image.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-8', 'CM-2', 'PM-5'],
  securitySeverity: 2.0,
  resourceTypes: ['AWS::SageMaker::Image'],
  check(node: CfnResource) {
    if (!(node instanceof CfnImage)) return NagRuleCompliance.NOT_APPLICABLE;
    return isSet(resolved(node, node.imageDescription), 'ImageDescription')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
