import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { createDomainKey } from '../encryption/domain-key';

/** What a sender of undeliverable runs needs on the queue's key (SQS encrypts each message with a data key). */
export const DEAD_LETTER_KEY_ACTIONS: readonly string[] = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * The dead-letter queue of EventBridge rule and Scheduler targets: events that could not be
 * delivered (a throttled `StartPipelineExecution`, an unreachable topic) wait here for 14 days.
 * TLS-only.
 *
 * Encrypted with a customer-managed key (`MLOps-SQSQueueCMK`): the given one, which must be a `logs`
 * domain key or another key whose policy lets `events.amazonaws.com` call `kms:GenerateDataKey` and
 * `kms:Decrypt` (EventBridge rules deliver dead letters as that service principal; the `logs` key's
 * `AlertPublishers` statement allows it), or else a new `logs` domain key. EventBridge Scheduler
 * delivers dead letters as the schedule's role instead: grant that role {@link DEAD_LETTER_KEY_ACTIONS}
 * on the key (see {@link grantDeadLetterKey}).
 *
 * @param encryptionKey the key; @default - a new `logs` domain key (`<id>Key`)
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
 */
export function triggerDeadLetterQueue(scope: Construct, id: string, encryptionKey?: kms.IKey): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: encryptionKey ?? createDomainKey(scope, `${id}Key`, 'logs'),
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  for (const finding of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
    acknowledge(queue, finding, {
      reason:
        'this queue is itself the dead-letter queue of EventBridge targets; a dead-letter queue of a dead-letter queue adds nothing',
      ...INHERENT,
    });
  }
  return queue;
}

/**
 * Lets a principal (a Scheduler schedule's role) encrypt dead letters into a queue made by
 * {@link triggerDeadLetterQueue}: {@link DEAD_LETTER_KEY_ACTIONS} on the queue's key, in its identity policy.
 */
export function grantDeadLetterKey(queue: sqs.IQueue, grantee: iam.IGrantable): iam.Grant | undefined {
  if (!queue.encryptionMasterKey) return undefined;
  return iam.Grant.addToPrincipal({
    grantee,
    actions: [...DEAD_LETTER_KEY_ACTIONS],
    resourceArns: [queue.encryptionMasterKey.keyArn],
  });
}
