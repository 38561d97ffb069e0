import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { MLOpsRule, MLOpsRuleConfig } from '../../rule';
import { ACK_RULE_IDS, MIN_ACK_REASON_LENGTH } from '../../../shared/acknowledgment';
import { ackRuleCheck } from './judge';

/** Minimum length of an acknowledgment reason, from the shared acknowledgment model. */
export { MIN_ACK_REASON_LENGTH };

/** An auditor must be able to tell from the reason why the finding was accepted. */
export const AckReason: MLOpsRule = {
  name: 'AckReason',
  info: `An acknowledgment on this resource has a reason shorter than ${MIN_ACK_REASON_LENGTH} characters.`,
  explanation:
    'A reason such as "ok" or "false positive" gives a reviewer nothing to check. Say what is accepted and why it is safe or inherent, in at least 20 characters. Findings name the acknowledged finding id. MLOps-Ack* findings cannot themselves be acknowledged.',
  level: NagMessageLevel.ERROR,
  nist: ['CA-5', 'AU-3', 'RA-7'],
  securitySeverity: 3.0,
  check(node: CfnResource, config: MLOpsRuleConfig) {
    return ackRuleCheck(node, ACK_RULE_IDS.reason, config.today);
  },
};
