import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { acknowledgmentFindings } from '../../rule-helpers';

/** Minimum length of an acknowledgment reason: enough for "what is accepted and why", not "n/a". */
export const MIN_ACK_REASON_LENGTH = 20;

/** An auditor must be able to tell from the reason why the finding was accepted. */
export const AckReason: MLOpsRule = {
  name: 'AckReason',
  info: `An acknowledgment on this resource has a reason shorter than ${MIN_ACK_REASON_LENGTH} characters.`,
  explanation:
    'A reason such as "ok" or "false positive" gives a reviewer nothing to check. Say what is accepted and why it is safe or inherent, in at least 20 characters. Findings name the acknowledged finding id. MLOps-Ack* findings cannot themselves be acknowledged.',
  level: NagMessageLevel.ERROR,
  nist: ['CA-5', 'AU-3', 'RA-7'],
  securitySeverity: 3.0,
  check(node: CfnResource) {
    const result = acknowledgmentFindings(
      node,
      (r) => typeof r.reason !== 'string' || r.reason.trim().length < MIN_ACK_REASON_LENGTH,
    );
    if (result === 'none') return NagRuleCompliance.NOT_APPLICABLE;
    return result === 'ok' ? NagRuleCompliance.COMPLIANT : result;
  },
};
