import { CloudWatchClient, MetricDataQuery, paginateGetMetricData } from '@aws-sdk/client-cloudwatch';

/**
 * The instance metrics SageMaker publishes for endpoint variants (`/aws/sagemaker/Endpoints`,
 * dimensions EndpointName and VariantName) and training jobs (`/aws/sagemaker/TrainingJobs`,
 * dimension Host = `<job>/algo-<n>`). CPUUtilization and GPUUtilization are the sum over cores or
 * GPUs, each 0–100 (4 vCPUs: 0–400 %), so they are divided by the instance's vCPUs or GPUs;
 * GPUMemoryUtilization likewise by GPUs; MemoryUtilization and DiskUtilization are 0–100.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 */
export const UTILIZATION_METRICS = [
  'CPUUtilization',
  'MemoryUtilization',
  'GPUUtilization',
  'GPUMemoryUtilization',
  'DiskUtilization',
] as const;

/** One of {@link UTILIZATION_METRICS}. */
export type UtilizationMetric = (typeof UTILIZATION_METRICS)[number];

/** Namespace of endpoint instance metrics. */
export const ENDPOINT_NAMESPACE = '/aws/sagemaker/Endpoints';
/** Namespace of training job instance metrics. */
export const TRAINING_NAMESPACE = '/aws/sagemaker/TrainingJobs';

/** p50/p90/p99 of a series and how many points it had. */
export interface Percentiles {
  readonly points: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** Nearest-rank percentile of sorted values (`q` in 0–1); `NaN` for no values. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/** p50, p90 and p99 (nearest rank) of a series. */
export function percentilesOf(values: readonly number[]): Percentiles {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return {
    points: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
  };
}

/**
 * The period of the utilisation series: 5-minute averages while CloudWatch keeps them (63 days),
 * hourly beyond. GetMetricData returns at most 100,800 points per call and pages with NextToken.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
export function periodFor(windowDays: number): number {
  return windowDays <= 63 ? 300 : 3600;
}

/** A metric series to read: an id of the caller's choosing and its dimensions. */
export interface SeriesRequest {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: 'Average' | 'Sum';
}

/** GetMetricData takes at most 500 queries per request. */
const MAX_QUERIES = 500;

/**
 * Reads series with GetMetricData (every page, at most 500 queries per request) and returns the
 * values by request id. Ids must match `^[a-z][a-zA-Z0-9_]*$`.
 */
export async function readSeries(
  client: CloudWatchClient,
  requests: readonly SeriesRequest[],
  start: Date,
  end: Date,
  period: number,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(requests.map((r) => [r.id, []]));
  for (let i = 0; i < requests.length; i += MAX_QUERIES) {
    const queries: MetricDataQuery[] = requests.slice(i, i + MAX_QUERIES).map((r) => ({
      Id: r.id,
      MetricStat: {
        Metric: {
          Namespace: r.namespace,
          MetricName: r.metricName,
          Dimensions: Object.entries(r.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: period,
        Stat: r.stat,
      },
      ReturnData: true,
    }));
    const pages = paginateGetMetricData(
      { client },
      { MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: 'TimestampAscending' },
    );
    for await (const page of pages) {
      for (const r of page.MetricDataResults ?? []) {
        if (r.Id && out.has(r.Id)) out.get(r.Id)!.push(...(r.Values ?? []));
      }
    }
  }
  return out;
}
