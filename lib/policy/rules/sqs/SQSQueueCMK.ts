import { CfnResource } from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isSet, resolved, templateString } from '../../rule-helpers';

/** The AWS managed SQS key: encrypted, but nobody in the account controls or audits its use. */
const AWS_MANAGED = /^(?:alias\/aws\/sqs|arn:[^:]+:kms:[^:]*:[^:]*:alias\/aws\/sqs)$/;

/** Dead letters and alerts in a queue name models, endpoints and failed payloads: keep them under a key you control. */
export const SQSQueueCMK: MLOpsRule = {
  name: 'SQSQueueCMK',
  info: 'The SQS queue is not encrypted with a customer managed KMS key.',
  explanation:
    'Without KmsMasterKeyId the queue is unencrypted or uses SSE-SQS (SqsManagedSseEnabled), and with alias/aws/sqs it uses the AWS managed key; in each case you cannot restrict who decrypts the messages with a key policy, audit each use in CloudTrail, or revoke access by disabling the key. AwsSolutions-SQS2 accepts SSE-SQS. Set KmsMasterKeyId to a customer managed key whose key policy lets the sending services (events.amazonaws.com for EventBridge dead letters) generate data keys.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12', 'SC-13'],
  securitySeverity: 5.0,
  resourceTypes: ['AWS::SQS::Queue'],
  check(node: CfnResource) {
    if (!(node instanceof CfnQueue)) return NagRuleCompliance.NOT_APPLICABLE;
    const key = resolved(node, node.kmsMasterKeyId);
    if (!isSet(key, 'KmsMasterKeyId')) return NagRuleCompliance.NON_COMPLIANT;
    return AWS_MANAGED.test(templateString(key) ?? '')
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;
  },
};
