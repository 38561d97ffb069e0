import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { acknowledgmentFindings } from '../../rule-helpers';

/** An accepted risk nobody owns is a risk nobody will revisit. */
export const AckOwner: MLOpsRule = {
  name: 'AckOwner',
  info: 'An acknowledgment on this resource has no owner.',
  explanation:
    'Every acknowledgment needs an owner (a team or person) who answers for the accepted finding and renews or removes it. Set owner in acknowledge(). Findings name the acknowledged finding id. MLOps-Ack* findings cannot themselves be acknowledged.',
  level: NagMessageLevel.ERROR,
  nist: ['CA-5', 'PM-4', 'RA-7'],
  securitySeverity: 4.0,
  check(node: CfnResource) {
    const result = acknowledgmentFindings(node, (r) => typeof r.owner !== 'string' || r.owner.trim() === '');
    if (result === 'none') return NagRuleCompliance.NOT_APPLICABLE;
    return result === 'ok' ? NagRuleCompliance.COMPLIANT : result;
  },
};
