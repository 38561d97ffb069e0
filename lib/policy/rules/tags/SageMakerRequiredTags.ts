import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule, MLOpsRuleConfig } from '../../rule';
import { tagIsSet, tagsOf } from '../../rule-helpers';

/** Untagged ML resources (GPU endpoints, training, Studio) are the largest unattributed line on the bill. */
export const SageMakerRequiredTags: MLOpsRule = {
  name: 'SageMakerRequiredTags',
  info: 'The SageMaker resource lacks a required cost-allocation tag.',
  explanation:
    'Cost allocation, budgets per team and model, and ownership lookups during incidents all key on tags. Tag every taggable SageMaker resource with the required keys (by default owner, cost-center, environment, data-classification; configurable with MLOpsChecksProps.requiredTagKeys), e.g. RequiredTags.apply(stack, {...}). Findings name the missing key.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-8', 'PM-5', 'RA-2'],
  securitySeverity: 2.0,
  resourceTypes: ['AWS::SageMaker::*'],
  check(node: CfnResource, config: MLOpsRuleConfig) {
    const tags = tagsOf(node);
    if (!tags || config.requiredTagKeys.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const missing = config.requiredTagKeys.filter((k) => !tagIsSet(tags[k], k));
    return missing.length > 0 ? missing : NagRuleCompliance.COMPLIANT;
  },
};
