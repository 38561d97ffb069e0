import { CfnResource } from 'aws-cdk-lib';
import { CfnFeatureGroup } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { tagIsSet, tagsOf } from '../../rule-helpers';

/** Access reviews, retention and breach response all start from knowing how sensitive a feature group is. */
export const SageMakerFeatureGroupDataClassification: MLOpsRule = {
  name: 'SageMakerFeatureGroupDataClassification',
  info: 'The SageMaker feature group has no data-classification tag.',
  explanation:
    'Feature groups often hold personal or confidential attributes. Without a data-classification tag, access reviews, tag-based access control and incident response cannot tell sensitive groups from public ones. Tag the feature group with data-classification (e.g. public, internal, confidential, restricted).',
  level: NagMessageLevel.ERROR,
  nist: ['RA-2', 'CM-8', 'AC-16'],
  securitySeverity: 4.0,
  resourceTypes: ['AWS::SageMaker::FeatureGroup'],
  check(node: CfnResource) {
    if (!(node instanceof CfnFeatureGroup)) return NagRuleCompliance.NOT_APPLICABLE;
    const value = tagsOf(node)?.['data-classification'];
    return tagIsSet(value, 'data-classification')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
