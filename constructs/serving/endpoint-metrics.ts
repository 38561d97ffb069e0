import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * SageMaker endpoint metrics: invocation metrics live in `AWS/SageMaker`, instance utilization in
 * `/aws/sagemaker/Endpoints`; both are dimensioned by `EndpointName` and `VariantName`.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 */
export const INVOCATION_NAMESPACE = 'AWS/SageMaker';

/** Namespace of the per-variant instance utilization metrics. */
export const INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';

/** Each metric helper's namespace and default statistic (period: one minute unless told). */
export const ENDPOINT_METRICS = {
  Invocations: { namespace: INVOCATION_NAMESPACE, statistic: 'Sum' },
  InvocationsPerInstance: { namespace: INVOCATION_NAMESPACE, statistic: 'Sum' },
  Invocation4XXErrors: { namespace: INVOCATION_NAMESPACE, statistic: 'Sum' },
  Invocation5XXErrors: { namespace: INVOCATION_NAMESPACE, statistic: 'Sum' },
  /** Microseconds. */
  ModelLatency: { namespace: INVOCATION_NAMESPACE, statistic: 'p99' },
  /** Microseconds. */
  OverheadLatency: { namespace: INVOCATION_NAMESPACE, statistic: 'p99' },
  /** Percent, summed over vCPUs (up to 100 x vCPUs). */
  CPUUtilization: { namespace: INSTANCE_NAMESPACE, statistic: 'Average' },
  MemoryUtilization: { namespace: INSTANCE_NAMESPACE, statistic: 'Average' },
  /** Percent, summed over GPUs. */
  GPUUtilization: { namespace: INSTANCE_NAMESPACE, statistic: 'Average' },
  GPUMemoryUtilization: { namespace: INSTANCE_NAMESPACE, statistic: 'Average' },
  DiskUtilization: { namespace: INSTANCE_NAMESPACE, statistic: 'Average' },
} as const;

/** A metric helper's name. */
export type EndpointMetricName = keyof typeof ENDPOINT_METRICS;

/** Options of the metric helpers: any `MetricOptions`, plus the variant. */
export interface EndpointMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The variant whose metric is returned.
   * @default - the endpoint's production variant
   */
  readonly variantName?: string;
}

/** One endpoint metric with its dimensions filled in and its documented default statistic. */
export function endpointMetric(
  endpointName: string,
  defaultVariant: string,
  metricName: EndpointMetricName,
  options: EndpointMetricOptions = {},
): cloudwatch.Metric {
  const { variantName, ...rest } = options;
  const spec = ENDPOINT_METRICS[metricName];
  return new cloudwatch.Metric({
    namespace: spec.namespace,
    metricName,
    statistic: spec.statistic,
    period: Duration.minutes(1),
    ...rest,
    dimensionsMap: {
      EndpointName: endpointName,
      VariantName: variantName ?? defaultVariant,
      ...rest.dimensionsMap,
    },
  });
}

/** vCPUs by instance size suffix, for the common ML families (m, c, r, g, p, inf). */
const VCPUS_BY_SIZE: Record<string, number> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '9xlarge': 36,
  '12xlarge': 48,
  '16xlarge': 64,
  '18xlarge': 72,
  '24xlarge': 96,
  '32xlarge': 128,
  '48xlarge': 192,
};

/**
 * The vCPU count of an instance type, from its size suffix; 1 when unknown (the CPU alarm then
 * compares against a single core, which errs towards alarming).
 */
export function vcpusOf(instanceType: string): number {
  const size = instanceType.split('.')[2] ?? '';
  return VCPUS_BY_SIZE[size] ?? 1;
}
