import { CfnResource } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isTrue, literal, resolved } from '../../rule-helpers';

/** A single-region trail misses what an attacker does in every other region, and IAM/STS calls. */
export const CloudTrailMultiRegion: MLOpsRule = {
  name: 'CloudTrailMultiRegion',
  info: 'The CloudTrail trail is not multi-region or does not include global service events.',
  explanation:
    'A trail with IsMultiRegionTrail false records only its home region, so SageMaker jobs, endpoints or keys created in another region leave no record; without IncludeGlobalServiceEvents, IAM and STS calls (role changes, credential use) are missing. The public packs only require that a trail exists, is encrypted and validates its log files. Set IsMultiRegionTrail to true and leave IncludeGlobalServiceEvents at its default (true). Findings name the property: MLOps-CloudTrailMultiRegion[IsMultiRegionTrail].',
  level: NagMessageLevel.ERROR,
  nist: ['AU-2', 'AU-12', 'AU-12(1)', 'SI-4'],
  securitySeverity: 5.5,
  resourceTypes: ['AWS::CloudTrail::Trail'],
  check(node: CfnResource) {
    if (!(node instanceof CfnTrail)) return NagRuleCompliance.NOT_APPLICABLE;
    const findings: string[] = [];
    if (!isTrue(resolved(node, node.isMultiRegionTrail), 'IsMultiRegionTrail'))
      findings.push('IsMultiRegionTrail');
    // Absent means the CreateTrail default (true); only an explicit false drops IAM and STS events.
    const global = literal(resolved(node, node.includeGlobalServiceEvents), 'IncludeGlobalServiceEvents');
    if (global === false || global === 'false') findings.push('IncludeGlobalServiceEvents');
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
