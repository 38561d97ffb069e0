import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ScopedRole } from '../core/scoped-role';
import { grantDeadLetterKey } from './dead-letters';

/** What a trigger starts: a pipeline of this stack, with the queue its undelivered starts go to. */
export interface TriggeredPipeline {
  readonly pipelineArn: string;
  readonly resource: sagemaker.CfnPipeline;
  readonly deadLetterQueue: sqs.IQueue;
  readonly eventRole: iam.IRole;
  grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant;
}

/** The role EventBridge rules assume (`<scope>/EventRole`), allowed to start the pipeline only. */
export function pipelineEventRole(
  scope: Construct,
  pipeline: Pick<TriggeredPipeline, 'grantStartPipelineExecution'>,
): ScopedRole {
  const role = new ScopedRole(scope, 'EventRole', {
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    }),
    description: `EventBridge rules that start ${scope.node.path}`,
  });
  pipeline.grantStartPipelineExecution(role);
  return role;
}

/**
 * The EventBridge Scheduler schedule (`<scope>/Schedule`, aws-scheduler's L2 with the
 * aws-scheduler-targets SageMaker pipeline target) that starts the pipeline as its own role
 * (`<scope>/ScheduleRole`, assumable by Scheduler from this account only, allowed to start this
 * pipeline and to dead-letter), with 10 retries within an hour and the dead-letter queue. The
 * time zone is the expression's (aws-scheduler writes `Etc/UTC` for a cron, `at` or expression
 * made without one).
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
 */
export function pipelineSchedule(
  scope: Construct,
  pipeline: TriggeredPipeline & sagemaker.IPipeline,
  expression: scheduler.ScheduleExpression,
): scheduler.Schedule {
  const role = new ScopedRole(scope, 'ScheduleRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    }),
    description: `EventBridge Scheduler schedule that starts ${scope.node.path}`,
  });
  // The target grants the role StartPipelineExecution on the pipeline and sqs:SendMessage on the
  // queue: Scheduler sends undeliverable runs to the dead-letter queue as this role.
  const schedule = new scheduler.Schedule(scope, 'Schedule', {
    description: `Starts ${scope.node.path}`,
    schedule: expression,
    timeWindow: scheduler.TimeWindow.off(),
    target: new schedulerTargets.SageMakerStartPipelineExecution(pipeline, {
      role,
      pipelineParameterList: [],
      retryAttempts: 10,
      maxEventAge: Duration.hours(1),
      deadLetterQueue: pipeline.deadLetterQueue,
    }),
  });
  // ...and SQS encrypts the dead letter with the queue's key, as the sender.
  grantDeadLetterKey(pipeline.deadLetterQueue, role);
  schedule.node.addDependency(role.policy);
  return schedule;
}

/**
 * The EventBridge target that starts a pipeline (aws-cdk-lib 2.276's aws-events-targets has none
 * for SageMaker pipelines): 10 retries within 2 hours, then the dead-letter queue.
 */
export class PipelineStartTarget implements events.IRuleTarget {
  constructor(private readonly pipeline: TriggeredPipeline) {}

  public bind(rule: events.IRule): events.RuleTargetConfig {
    targets.addToDeadLetterQueueResourcePolicy(rule, this.pipeline.deadLetterQueue);
    return {
      ...targets.bindBaseTargetConfig({
        deadLetterQueue: this.pipeline.deadLetterQueue,
        retryAttempts: 10,
        maxEventAge: Duration.hours(2),
      }),
      arn: this.pipeline.pipelineArn,
      role: this.pipeline.eventRole,
      targetResource: this.pipeline.resource,
    };
  }
}
