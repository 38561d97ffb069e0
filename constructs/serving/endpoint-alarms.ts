import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  DEFAULT_ERROR_THRESHOLD,
  DEFAULT_LATENCY_P99_THRESHOLD,
  DEFAULT_UTILIZATION_THRESHOLD_PERCENT,
  isGpuInstanceType,
} from './defaults';
import { IIsolatedEndpoint } from './endpoint-base';
import { vcpusOf } from './endpoint-metrics';
import { IsolatedEndpointProps } from './isolated-endpoint-props';

// The alarms of an IsolatedEndpoint: errors and latency (which also roll deployments back) and
// utilization, each sending its ALARM and OK transitions to the alert destination.

/** Alarms of an {@link IsolatedEndpoint}, all notifying its alert destination. */
export interface EndpointAlarms {
  /** 5XX responses (also a rollback alarm). */
  readonly invocation5XXErrors: cloudwatch.Alarm;
  /** 4XX responses: invocation errors of the model (also a rollback alarm). */
  readonly invocation4XXErrors: cloudwatch.Alarm;
  /** ModelLatency p99 (also a rollback alarm). */
  readonly modelLatencyP99: cloudwatch.Alarm;
  /** CPU utilization (instance-based endpoints). */
  readonly cpuUtilization?: cloudwatch.Alarm;
  /** GPU utilization (GPU instance types). */
  readonly gpuUtilization?: cloudwatch.Alarm;
  /** Disk utilization (instance-based endpoints). */
  readonly diskUtilization?: cloudwatch.Alarm;
}

/** The alarms that roll a deployment back: errors and latency, not utilization. */
export function rollbackAlarmsOf(alarms: EndpointAlarms): cloudwatch.Alarm[] {
  return [alarms.invocation5XXErrors, alarms.invocation4XXErrors, alarms.modelLatencyP99];
}

/**
 * Creates the endpoint's alarms in `scope` (the endpoint construct): 5XX and 4XX responses and
 * ModelLatency p99 always; CPU and disk for instance-based endpoints; GPU for GPU instance types.
 */
export function createEndpointAlarms(
  scope: Construct,
  endpoint: IIsolatedEndpoint,
  p: IsolatedEndpointProps,
  instanceType: string,
  instanceBased: boolean,
): EndpointAlarms {
  const errors = p.errorThreshold ?? DEFAULT_ERROR_THRESHOLD;
  const utilization = p.utilizationThresholdPercent ?? DEFAULT_UTILIZATION_THRESHOLD_PERCENT;
  const make = (
    alarmId: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    periods: number,
    description: string,
  ) => {
    const alarm = new cloudwatch.Alarm(scope, alarmId, {
      metric,
      threshold,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${endpoint.endpointName}: ${description}`,
    });
    p.alerts.notify(alarm);
    return alarm;
  };
  const latency = p.latencyP99Threshold ?? DEFAULT_LATENCY_P99_THRESHOLD;
  const fiveMinutes = { period: Duration.minutes(5) };
  return {
    invocation5XXErrors: make(
      'Invocation5XXErrorsAlarm',
      endpoint.metricInvocation5XXErrors(),
      errors,
      2,
      `more than ${errors} 5XX responses a minute`,
    ),
    invocation4XXErrors: make(
      'Invocation4XXErrorsAlarm',
      endpoint.metricInvocation4XXErrors(),
      errors,
      2,
      `more than ${errors} invocation errors (4XX) a minute`,
    ),
    modelLatencyP99: make(
      'ModelLatencyAlarm',
      endpoint.metricModelLatency(),
      latency.toMilliseconds() * 1000,
      3,
      `ModelLatency p99 above ${latency.toHumanString()}`,
    ),
    cpuUtilization: instanceBased
      ? make(
          'CPUUtilizationAlarm',
          endpoint.metricCPUUtilization(fiveMinutes),
          utilization * vcpusOf(instanceType),
          3,
          `CPU above ${utilization}% of all vCPUs`,
        )
      : undefined,
    gpuUtilization:
      instanceBased && isGpuInstanceType(instanceType)
        ? make(
            'GPUUtilizationAlarm',
            endpoint.metricGPUUtilization(fiveMinutes),
            utilization,
            3,
            `GPU utilization above ${utilization}%`,
          )
        : undefined,
    diskUtilization: instanceBased
      ? make(
          'DiskUtilizationAlarm',
          endpoint.metricDiskUtilization(fiveMinutes),
          utilization,
          1,
          `disk above ${utilization}%`,
        )
      : undefined,
  };
}
