import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { MLOpsRule, MLOpsRuleConfig } from '../../rule';
import { ACK_RULE_IDS } from '../../../shared/acknowledgment';
import { ackRuleCheck } from './judge';

/** An acknowledgment is a time-boxed risk acceptance; past its date nobody has re-accepted the risk. */
export const AckExpired: MLOpsRule = {
  name: 'AckExpired',
  info: 'An acknowledgment on this resource has expired or has no valid expiry date.',
  explanation:
    'Acknowledgments accept a finding until a date (YYYY-MM-DD, the last day it holds). Past that date, or without a valid date, the finding is back: fix it, or renew the acknowledgment with a new expiry after review. Findings name the acknowledged finding id. MLOps-Ack* findings cannot themselves be acknowledged: acknowledge() refuses them.',
  level: NagMessageLevel.ERROR,
  nist: ['CA-5', 'CA-7', 'PM-4', 'RA-7'],
  securitySeverity: 5.0,
  check(node: CfnResource, config: MLOpsRuleConfig) {
    return ackRuleCheck(node, ACK_RULE_IDS.expired, config.today);
  },
};
