import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import {
  DEFAULT_CANARY_PERCENT,
  DEFAULT_LINEAR_STEP_PERCENT,
  DEFAULT_ROLLING_BATCH_PERCENT,
  DEFAULT_TERMINATION_WAIT,
  DEFAULT_TRAFFIC_WAIT,
} from './defaults';
import { DeploymentStrategy, IsolatedEndpointProps } from './isolated-endpoint-props';
import { ROLLBACK_ALARM_ACTIONS } from './perms';

// Deployment guardrails of an IsolatedEndpoint: how a new endpoint configuration replaces the old
// one, and the alarms that roll it back.
// https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails.html

/**
 * Lets the execution role read the rollback alarms: deployment guardrails read them as that role,
 * and without this a deployment cannot watch them. The model waits for the policy, so the alarms
 * exist first.
 */
export function allowRollbackAlarmReads(role: iam.IGrantable, rollbackAlarms: cloudwatch.Alarm[]): void {
  role.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DescribeRollbackAlarms',
      actions: [...ROLLBACK_ALARM_ACTIONS],
      resources: rollbackAlarms.map((a) => a.alarmArn),
    }),
  );
}

/** The endpoint's deployment config: canary, linear or rolling (all at once for serverless), rolling back on the alarms. */
export function deploymentConfigFor(
  p: IsolatedEndpointProps,
  strategy: DeploymentStrategy | 'all-at-once',
  rollbackAlarms: cloudwatch.Alarm[],
): sagemaker.CfnEndpoint.DeploymentConfigProperty {
  const autoRollbackConfiguration = { alarms: rollbackAlarms.map((a) => ({ alarmName: a.alarmName })) };
  const wait = (p.trafficWait ?? DEFAULT_TRAFFIC_WAIT).toSeconds();
  const percent = (value: number) => ({ type: 'CAPACITY_PERCENT', value });
  if (strategy === 'rolling') {
    return {
      autoRollbackConfiguration,
      rollingUpdatePolicy: {
        maximumBatchSize: percent(p.rollingBatchPercent ?? DEFAULT_ROLLING_BATCH_PERCENT),
        rollbackMaximumBatchSize: percent(100),
        waitIntervalInSeconds: wait,
      },
    };
  }
  if (strategy === 'all-at-once') {
    // Serverless variants shift all at once; the old fleet still waits out the rollback alarms.
    return {
      autoRollbackConfiguration,
      blueGreenUpdatePolicy: {
        terminationWaitInSeconds: (p.terminationWait ?? DEFAULT_TERMINATION_WAIT).toSeconds(),
        trafficRoutingConfiguration: { type: 'ALL_AT_ONCE' },
      },
    };
  }
  return {
    autoRollbackConfiguration,
    blueGreenUpdatePolicy: {
      terminationWaitInSeconds: (p.terminationWait ?? DEFAULT_TERMINATION_WAIT).toSeconds(),
      trafficRoutingConfiguration:
        strategy === 'canary'
          ? {
              type: 'CANARY',
              canarySize: percent(p.canaryPercent ?? DEFAULT_CANARY_PERCENT),
              waitIntervalInSeconds: wait,
            }
          : {
              type: 'LINEAR',
              linearStepSize: percent(p.linearStepPercent ?? DEFAULT_LINEAR_STEP_PERCENT),
              waitIntervalInSeconds: wait,
            },
    },
  };
}
