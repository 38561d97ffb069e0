import { CfnResource } from 'aws-cdk-lib';
import { CfnFeatureGroup } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isSet, resolved } from '../../rule-helpers';

/** A feature group nobody can identify is one nobody reviews, retires or answers for in an incident. */
export const SageMakerFeatureGroupDescription: MLOpsRule = {
  name: 'SageMakerFeatureGroupDescription',
  info: 'The SageMaker feature group has no description.',
  explanation:
    'Feature Store catalog searches, access reviews and lineage show a feature group by its name and Description; without one, reviewers cannot tell what the features are for or whose data they hold. Set Description (up to 128 characters; CloudFormation sets it only at creation, so changing it replaces the group). SecureFeatureGroup sets it from the feature contract.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-8', 'PM-5', 'RA-2'],
  securitySeverity: 2.0,
  resourceTypes: ['AWS::SageMaker::FeatureGroup'],
  check(node: CfnResource) {
    if (!(node instanceof CfnFeatureGroup)) return NagRuleCompliance.NOT_APPLICABLE;
    return isSet(resolved(node, node.description), 'Description')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
