import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';

/**
 * The dead-letter queue of EventBridge rule and Scheduler targets: events that could not be
 * delivered (a throttled `StartPipelineExecution`, an unreachable topic) wait here for 14 days.
 *
 * SQS-managed encryption, because EventBridge delivers to it as the `events.amazonaws.com`
 * service principal and the queue holds only trigger events (no training data). TLS-only.
 */
export function triggerDeadLetterQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  for (const finding of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
    acknowledge(queue, finding, {
      reason: 'this queue is itself the dead-letter queue of EventBridge targets; a dead-letter queue of a dead-letter queue adds nothing',
      ...INHERENT,
    });
  }
  return queue;
}
