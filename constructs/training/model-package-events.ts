import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DETAIL_TYPE } from '../../lib/handlers/review-gate/contract';
import { triggerDeadLetterQueue } from './dead-letters';

/** What {@link modelPackageStateChanges} needs. */
export interface ModelPackageStateChangesOptions {
  /** The model package group whose versions' state changes are sent. */
  readonly groupName: string;
  /** The rule's description. */
  readonly description: string;
  /** The function that handles each event. */
  readonly handler: lambda.IFunction;
  /** The dead-letter queue's key (see `triggerDeadLetterQueue`). */
  readonly encryptionKey?: kms.IKey;
  /** Only changes to this approval status. @default - every state change of the group */
  readonly approvalStatus?: 'Approved';
}

/**
 * The EventBridge rule (`<ruleId>`) that sends `SageMaker Model Package State Change` events of
 * one group to a function, retried 10 times and then kept in a dead-letter queue (`DeadLetters`):
 * what the review gate, the legal holds and the model documentation each react to.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-model-package
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
export function modelPackageStateChanges(
  scope: Construct,
  ruleId: string,
  o: ModelPackageStateChangesOptions,
): { rule: events.Rule; deadLetterQueue: sqs.Queue } {
  const deadLetterQueue = triggerDeadLetterQueue(scope, 'DeadLetters', o.encryptionKey);
  const rule = new events.Rule(scope, ruleId, {
    description: o.description,
    eventPattern: {
      source: ['aws.sagemaker'],
      detailType: [DETAIL_TYPE],
      detail: {
        ModelPackageGroupName: [o.groupName],
        ...(o.approvalStatus ? { ModelApprovalStatus: [o.approvalStatus] } : {}),
      },
    },
    targets: [new targets.LambdaFunction(o.handler, { deadLetterQueue, retryAttempts: 10 })],
  });
  return { rule, deadLetterQueue };
}
