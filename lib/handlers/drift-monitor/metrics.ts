import {
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDatum,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import type { DriftReport } from '../../drift';
import { DIMENSIONS, MAX_METRICS_PER_REQUEST, METRIC_NAMESPACE, METRICS } from './contract';

/**
 * CloudWatch rejects values whose magnitude is below 2^-360 (and NaN or infinities), so a tiny
 * p-value such as 1e-173 is sent as 0: for an alarm or a graph, both mean "certainly different".
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
 */
export function metricValue(v: number): number {
  if (!Number.isFinite(v)) return v > 0 ? 2 ** 360 : v < 0 ? -(2 ** 360) : 0;
  if (Math.abs(v) < 2 ** -360) return 0;
  return Math.max(-(2 ** 360), Math.min(2 ** 360, v));
}

/** What the endpoint-level metrics of a run describe. */
export interface RunCounts {
  readonly captureObjects?: number;
  readonly recordsAnalyzed?: number;
  readonly rejectedRecords?: number;
}

function datum(
  name: string,
  value: number,
  dims: Record<string, string>,
  timestamp: Date,
  unit: StandardUnit = 'None',
): MetricDatum {
  return {
    MetricName: name,
    Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    Timestamp: timestamp,
    Value: metricValue(value),
    Unit: unit,
  };
}

/** Sum of every rejection reason of a report's capture parsing. */
export function rejectedOf(report: DriftReport): number {
  return Object.values(report.input.rejected).reduce((a, b) => a + b, 0);
}

/** Largest feature PSI of a report (0 when no feature had values). */
export function maxPsiOf(report: DriftReport): number {
  return report.features.reduce((m, f) => (f.psi !== null && f.psi > m ? f.psi : m), 0);
}

/**
 * The metrics of a successful run: per feature `PSI`, `PValue` (when the feature had values) and
 * `Drifted`; per endpoint `MaxPSI`, `DriftedShare`, `DriftedFeatures`, the input counts,
 * `AnalysisErrors` = 0, `DataMissing` = 0 and the `AnalysisRuns` heartbeat.
 */
export function reportMetrics(
  endpointName: string,
  report: DriftReport,
  counts: RunCounts,
  timestamp: Date,
): MetricDatum[] {
  const out: MetricDatum[] = [];
  for (const f of report.features) {
    const dims = { [DIMENSIONS.endpointName]: endpointName, [DIMENSIONS.feature]: f.name };
    if (f.psi !== null) out.push(datum(METRICS.psi, f.psi, dims, timestamp));
    if (f.pValue !== null) out.push(datum(METRICS.pValue, f.pValue, dims, timestamp));
    out.push(datum(METRICS.drifted, f.drifted ? 1 : 0, dims, timestamp, 'Count'));
  }
  const dims = { [DIMENSIONS.endpointName]: endpointName };
  out.push(
    datum(METRICS.maxPsi, maxPsiOf(report), dims, timestamp),
    datum(METRICS.driftedShare, report.summary.driftedShare, dims, timestamp),
    datum(METRICS.driftedFeatures, report.summary.driftedFeatures, dims, timestamp, 'Count'),
    ...countMetrics(
      endpointName,
      { ...counts, recordsAnalyzed: report.input.records, rejectedRecords: rejectedOf(report) },
      timestamp,
    ),
    datum(METRICS.analysisErrors, 0, dims, timestamp, 'Count'),
    datum(METRICS.dataMissing, 0, dims, timestamp, 'Count'),
    datum(METRICS.analysisRuns, 1, dims, timestamp, 'Count'),
  );
  return out;
}

/**
 * The metrics of a run that could not produce a report: `AnalysisErrors` = 1, `DataMissing` = 1
 * when the window held no usable capture data, the counts known so far, and the heartbeat. No
 * drift metric is sent, so the drift alarms keep their state and the error alarm speaks.
 */
export function errorMetrics(
  endpointName: string,
  dataMissing: boolean,
  counts: RunCounts,
  timestamp: Date,
): MetricDatum[] {
  const dims = { [DIMENSIONS.endpointName]: endpointName };
  return [
    ...countMetrics(endpointName, counts, timestamp),
    datum(METRICS.analysisErrors, 1, dims, timestamp, 'Count'),
    datum(METRICS.dataMissing, dataMissing ? 1 : 0, dims, timestamp, 'Count'),
    datum(METRICS.analysisRuns, 1, dims, timestamp, 'Count'),
  ];
}

function countMetrics(endpointName: string, counts: RunCounts, timestamp: Date): MetricDatum[] {
  const dims = { [DIMENSIONS.endpointName]: endpointName };
  const out: MetricDatum[] = [];
  if (counts.captureObjects !== undefined)
    out.push(datum(METRICS.captureObjects, counts.captureObjects, dims, timestamp, 'Count'));
  if (counts.recordsAnalyzed !== undefined)
    out.push(datum(METRICS.recordsAnalyzed, counts.recordsAnalyzed, dims, timestamp, 'Count'));
  if (counts.rejectedRecords !== undefined)
    out.push(datum(METRICS.rejectedRecords, counts.rejectedRecords, dims, timestamp, 'Count'));
  return out;
}

/** Splits metrics into PutMetricData-sized batches. */
export function batches<T>(items: readonly T[], size = MAX_METRICS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Publishes metrics in batches of at most 1000 per request (the API limit), one request after
 * another so that throttling backs off instead of multiplying. Returns the number of requests.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export async function putMetrics(client: CloudWatchClient, metrics: readonly MetricDatum[]): Promise<number> {
  let requests = 0;
  for (const batch of batches(metrics)) {
    await client.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: batch }));
    requests++;
  }
  return requests;
}
