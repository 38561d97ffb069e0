import {
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDatum,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { metricOf, QUALITY_METRIC_NAMES, type QualityJoinReport } from '../../model-quality';
import { metricValue } from '../drift-monitor/metrics';
import type { ProblemType } from '../../model-quality';
import { degradation, type PackageBaseline } from './baseline';
import {
  degradationMetricName,
  DIMENSIONS,
  MAX_METRICS_PER_REQUEST,
  METRIC_NAMESPACE,
  METRICS,
} from './contract';

/** The endpoint-level counts of a run, whether or not it produced metrics. */
export interface QualityCounts {
  readonly matchedRecords?: number;
  readonly unmatchedLabels?: number;
  readonly droppedLabels?: number;
  readonly rejectedRecords?: number;
}

const METRIC_BY_NAME = {
  accuracy: METRICS.accuracy,
  precision: METRICS.precision,
  recall: METRICS.recall,
  f1: METRICS.f1,
  auc: METRICS.auc,
  macroPrecision: METRICS.macroPrecision,
  macroRecall: METRICS.macroRecall,
  macroF1: METRICS.macroF1,
  weightedPrecision: METRICS.weightedPrecision,
  weightedRecall: METRICS.weightedRecall,
  weightedF1: METRICS.weightedF1,
  rmse: METRICS.rmse,
  mae: METRICS.mae,
} as const;

function datum(
  name: string,
  value: number,
  endpointName: string,
  timestamp: Date,
  unit: StandardUnit = 'None',
  facet?: string,
): MetricDatum {
  return {
    MetricName: name,
    Dimensions: [
      { Name: DIMENSIONS.endpointName, Value: endpointName },
      ...(facet !== undefined ? [{ Name: DIMENSIONS.facet, Value: facet }] : []),
    ],
    Timestamp: timestamp,
    Value: metricValue(value),
    Unit: unit,
  };
}

/** Sum of the rejections of both sides of a join. */
export function rejectedOf(report: QualityJoinReport): number {
  let n = 0;
  for (const v of Object.values(report.groundTruth.rejected)) n += v;
  for (const v of Object.values(report.captures.rejected)) n += v;
  return n;
}

/** The counts of a report. */
export function countsOf(report: QualityJoinReport): QualityCounts {
  return {
    matchedRecords: report.matched,
    unmatchedLabels: report.groundTruth.unmatchedLabels,
    droppedLabels: report.groundTruth.droppedLabels,
    rejectedRecords: rejectedOf(report),
  };
}

function countMetrics(endpointName: string, counts: QualityCounts, timestamp: Date): MetricDatum[] {
  const out: MetricDatum[] = [];
  const add = (name: string, v: number | undefined): void => {
    if (v !== undefined) out.push(datum(name, v, endpointName, timestamp, 'Count'));
  };
  add(METRICS.matchedRecords, counts.matchedRecords);
  add(METRICS.unmatchedLabels, counts.unmatchedLabels);
  add(METRICS.droppedLabels, counts.droppedLabels);
  add(METRICS.rejectedRecords, counts.rejectedRecords);
  return out;
}

/**
 * The metrics of a run that joined records: every defined quality metric (only when at least
 * `minSamples` pairs were joined: a handful of labels says nothing, and a missing point leaves the
 * degradation alarms as they are), the configured fairness metrics per facet (dimension `Facet`),
 * each extension's non-null values as `<name>.<key>`, the counts,
 * `InsufficientSamples`, `AnalysisErrors` = 0, `DataMissing` = 0 and the `AnalysisRuns` heartbeat.
 */
export function reportMetrics(
  endpointName: string,
  report: QualityJoinReport,
  minSamples: number,
  timestamp: Date,
  fairnessMetrics: readonly string[] = [],
): MetricDatum[] {
  const out: MetricDatum[] = [];
  const enough = report.matched >= minSamples;
  if (enough) {
    for (const name of QUALITY_METRIC_NAMES) {
      const v = metricOf(report.metrics, name);
      if (v !== null) out.push(datum(METRIC_BY_NAME[name], v, endpointName, timestamp));
    }
    // Per facet, the configured post-training metrics that are defined for this window's pairs: an
    // undefined one (an empty facet, DI with no positive prediction in facet a) publishes nothing,
    // so its alarm keeps its state instead of reading a made-up 0.
    for (const f of report.fairness) {
      for (const m of f.metrics) {
        if (m.value !== null && fairnessMetrics.includes(m.metric))
          out.push(datum(m.metric, m.value, endpointName, timestamp, 'None', f.facet));
      }
    }
    for (const [ext, values] of Object.entries(report.extensions)) {
      for (const [key, v] of Object.entries(values)) {
        if (v !== null) out.push(datum(`${ext}.${key}`, v, endpointName, timestamp));
      }
    }
  }
  out.push(
    ...countMetrics(endpointName, countsOf(report), timestamp),
    datum(METRICS.insufficientSamples, enough ? 0 : 1, endpointName, timestamp, 'Count'),
    datum(METRICS.analysisErrors, 0, endpointName, timestamp, 'Count'),
    datum(METRICS.dataMissing, 0, endpointName, timestamp, 'Count'),
    datum(METRICS.analysisRuns, 1, endpointName, timestamp, 'Count'),
  );
  return out;
}

/**
 * The package-baseline metrics of a run that published quality metrics: `BaselineNotRead` (1 when
 * the registered statistics could not be read: no degradation metric then, and the construct's
 * baseline alarm fires instead of the degradation alarms silently not evaluating), and per
 * baseline metric with a value this window `<Metric>Degradation`, worse being positive.
 */
export function baselineMetrics(
  endpointName: string,
  problemType: ProblemType,
  report: QualityJoinReport,
  baseline: PackageBaseline,
  timestamp: Date,
): MetricDatum[] {
  if (!baseline.ok) return [datum(METRICS.baselineNotRead, 1, endpointName, timestamp, 'Count')];
  const out: MetricDatum[] = [];
  for (const [name, base] of Object.entries(baseline.values) as [keyof typeof METRIC_BY_NAME, number][]) {
    const v = metricOf(report.metrics, name);
    if (v !== null)
      out.push(
        datum(
          degradationMetricName(METRIC_BY_NAME[name]),
          degradation(problemType, base, v),
          endpointName,
          timestamp,
        ),
      );
  }
  out.push(datum(METRICS.baselineNotRead, 0, endpointName, timestamp, 'Count'));
  return out;
}

/** The metrics of a run that could not evaluate: `AnalysisErrors` = 1, the heartbeat, known counts. */
export function errorMetrics(
  endpointName: string,
  dataMissing: boolean,
  counts: QualityCounts,
  timestamp: Date,
): MetricDatum[] {
  return [
    ...countMetrics(endpointName, counts, timestamp),
    datum(METRICS.analysisErrors, 1, endpointName, timestamp, 'Count'),
    datum(METRICS.dataMissing, dataMissing ? 1 : 0, endpointName, timestamp, 'Count'),
    datum(METRICS.analysisRuns, 1, endpointName, timestamp, 'Count'),
  ];
}

/**
 * Publishes metrics in batches of at most 1000 per request (the API limit), one request after
 * another. Returns the number of requests.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export async function putMetrics(client: CloudWatchClient, metrics: readonly MetricDatum[]): Promise<number> {
  let requests = 0;
  for (let i = 0; i < metrics.length; i += MAX_METRICS_PER_REQUEST) {
    await client.send(
      new PutMetricDataCommand({
        Namespace: METRIC_NAMESPACE,
        MetricData: metrics.slice(i, i + MAX_METRICS_PER_REQUEST),
      }),
    );
    requests++;
  }
  return requests;
}
