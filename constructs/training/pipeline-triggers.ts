import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
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
 * The EventBridge Scheduler schedule (`<scope>/Schedule`) that starts the pipeline, with its own
 * role (`<scope>/ScheduleRole`), 10 retries within an hour, and the dead-letter queue.
 */
export function pipelineSchedule(
  scope: Construct,
  pipeline: TriggeredPipeline,
  expression: string,
  timeZone: string,
): scheduler.CfnSchedule {
  const role = new ScopedRole(scope, 'ScheduleRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    }),
    description: `EventBridge Scheduler schedule that starts ${scope.node.path}`,
  });
  pipeline.grantStartPipelineExecution(role);
  // Scheduler sends undeliverable runs to the dead-letter queue as this role.
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['sqs:SendMessage'],
    resourceArns: [pipeline.deadLetterQueue.queueArn],
  });
  grantDeadLetterKey(pipeline.deadLetterQueue, role);
  const schedule = new scheduler.CfnSchedule(scope, 'Schedule', {
    description: `Starts ${scope.node.path}`,
    scheduleExpression: expression,
    scheduleExpressionTimezone: timeZone,
    flexibleTimeWindow: { mode: 'OFF' },
    target: {
      arn: pipeline.pipelineArn,
      roleArn: role.roleArn,
      sageMakerPipelineParameters: { pipelineParameterList: [] },
      retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
      deadLetterConfig: { arn: pipeline.deadLetterQueue.queueArn },
    },
  });
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
