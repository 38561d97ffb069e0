import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { MLOpsRule, MLOpsRuleConfig } from '../../rule';
import { ACK_RULE_IDS } from '../../../shared/acknowledgment';
import { ackRuleCheck } from './judge';

/** An accepted risk nobody owns is a risk nobody will revisit. */
export const AckOwner: MLOpsRule = {
  name: 'AckOwner',
  info: 'An acknowledgment on this resource has no owner.',
  explanation:
    'Every acknowledgment needs an owner (a team or person) who answers for the accepted finding and renews or removes it. Set owner in acknowledge(); a plain CDK Validations.of(c).acknowledge() records none, so use acknowledge() instead. Findings name the acknowledged finding id. MLOps-Ack* findings cannot themselves be acknowledged.',
  level: NagMessageLevel.ERROR,
  nist: ['CA-5', 'PM-4', 'RA-7'],
  securitySeverity: 4.0,
  check(node: CfnResource, config: MLOpsRuleConfig) {
    return ackRuleCheck(node, ACK_RULE_IDS.owner, config.today);
  },
};
