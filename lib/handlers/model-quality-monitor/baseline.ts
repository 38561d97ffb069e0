import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ProblemType, QualityMetricName } from '../../model-quality';

/**
 * The registered baseline: the model package's `ModelMetrics.ModelQuality.Statistics`, a JSON
 * object in SageMaker Model Monitor's statistics format, e.g.
 * `{"binary_classification_metrics": {"auc": {"value": 0.91, "standard_deviation": 0.01}, …}}`.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
 */

/** Where the baseline is read from (the construct's `packageBaseline`). */
export interface PackageBaselineSettings {
  /** The model package (version) ARN. */
  readonly modelPackageArn: string;
  /** The bucket the statistics must be in (the role may read nowhere else). */
  readonly statisticsBucket: string;
  /** The prefix the statistics must be under, ending in `/`. */
  readonly statisticsPrefix: string;
  /** The metrics whose baseline is read (each publishes `<Metric>Degradation`). */
  readonly metrics: readonly QualityMetricName[];
}

/** The baselines read, or why not. */
export type PackageBaseline =
  | {
      readonly ok: true;
      readonly values: Readonly<Partial<Record<QualityMetricName, number>>>;
      readonly s3Uri: string;
    }
  | { readonly ok: false; readonly reason: string };

/** The statistics section of each problem type (Model Monitor's names). */
const SECTION: Record<ProblemType, string> = {
  binaryClassification: 'binary_classification_metrics',
  multiclassClassification: 'multiclass_classification_metrics',
  regression: 'regression_metrics',
};

/** A metric's key in the statistics: `weightedF1` → `weighted_f1`. */
export function statisticsKey(metric: QualityMetricName): string {
  return metric.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * The baselines of `metrics` in a statistics document; a metric absent or not a finite number
 * makes the whole read fail (a partial baseline would leave an alarm silently unarmed).
 */
export function baselineFromStatistics(
  statistics: unknown,
  problemType: ProblemType,
  metrics: readonly QualityMetricName[],
): PackageBaseline | { ok: true; values: Partial<Record<QualityMetricName, number>> } {
  const doc =
    typeof statistics === 'object' && statistics !== null ? (statistics as Record<string, unknown>) : {};
  // Model Monitor's section of the problem type, else a pipeline evaluation report's `metrics`
  // (the shape SpotTrainingPipeline's registration gate reads, `metrics.auc.value`).
  const name = doc[SECTION[problemType]] !== undefined ? SECTION[problemType] : 'metrics';
  const section = doc[name];
  if (typeof section !== 'object' || section === null)
    return { ok: false, reason: `the statistics have no ${SECTION[problemType]} (nor metrics)` };
  const values: Partial<Record<QualityMetricName, number>> = {};
  for (const m of metrics) {
    const entry = (section as Record<string, unknown>)[statisticsKey(m)];
    const v =
      typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).value : undefined;
    if (typeof v !== 'number' || !Number.isFinite(v))
      return {
        ok: false,
        reason: `the statistics have no ${SECTION[problemType]}.${statisticsKey(m)}.value`,
      };
    values[m] = v;
  }
  return { ok: true, values };
}

/** `s3://bucket/key` split, or `undefined`. */
function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/**
 * Reads the registered baseline: DescribeModelPackage, then GetObject of its ModelQuality
 * statistics (only under the configured bucket and prefix, the one the role may read). Never
 * throws for a package without statistics, statistics elsewhere or a malformed document: the
 * reason is returned, and the run publishes `BaselineNotRead` = 1. API errors throw (the run fails
 * and reports `AnalysisErrors`), as for the other inputs.
 */
export async function readPackageBaseline(
  clients: { readonly sagemaker: SageMakerClient; readonly s3: S3Client },
  settings: PackageBaselineSettings,
  problemType: ProblemType,
): Promise<PackageBaseline> {
  const pkg = await clients.sagemaker.send(
    new DescribeModelPackageCommand({ ModelPackageName: settings.modelPackageArn }),
  );
  const uri = pkg.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  if (!uri)
    return { ok: false, reason: `${settings.modelPackageArn} has no ModelMetrics.ModelQuality.Statistics` };
  const at = parseS3Uri(uri);
  if (!at || at.bucket !== settings.statisticsBucket || !at.key.startsWith(settings.statisticsPrefix))
    return {
      ok: false,
      reason: `the statistics ${uri} are outside s3://${settings.statisticsBucket}/${settings.statisticsPrefix}, which the monitor may read`,
    };
  const obj = await clients.s3.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
  const text = obj.Body ? await obj.Body.transformToString() : '';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, reason: `the statistics ${uri} are not JSON` };
  }
  const r = baselineFromStatistics(doc, problemType, settings.metrics);
  return r.ok ? { ok: true, values: r.values, s3Uri: uri } : r;
}

/**
 * How far a metric is from its baseline, worse being positive: classification `baseline − value`
 * (absolute, against `maxDrop`), regression `(value − baseline) / baseline` (relative, against
 * `maxIncrease`).
 */
export function degradation(problemType: ProblemType, baseline: number, value: number): number {
  return problemType === 'regression' ? (value - baseline) / baseline : baseline - value;
}
