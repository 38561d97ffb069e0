/**
 * Names shared by the model-quality-monitor handler and the `ModelQualityMonitor` construct: the
 * metric namespace, the metric names and the environment variables the construct sets. No
 * aws-cdk-lib here (runtime code).
 */

/** CloudWatch namespace of every model quality metric. */
export const METRIC_NAMESPACE = 'ML/ModelQuality';

/**
 * Dimension names (every metric has `EndpointName`; the fairness metrics, named by their Clarify
 * abbreviation, `DPPL`, `DI`…, also `Facet`, e.g. `gender=female`).
 */
export const DIMENSIONS = { endpointName: 'EndpointName', facet: 'Facet' } as const;

/** Metric names, all per endpoint. */
export const METRICS = {
  /** Binary classification: (TP + TN) / joined pairs. */
  accuracy: 'Accuracy',
  /** Binary classification: TP / (TP + FP). */
  precision: 'Precision',
  /** Binary classification: TP / (TP + FN). */
  recall: 'Recall',
  /** Binary classification: harmonic mean of precision and recall. */
  f1: 'F1',
  /** Binary classification with scores: area under the ROC curve. */
  auc: 'AUC',
  /** Multiclass classification: unweighted mean of the per-class precisions. */
  macroPrecision: 'MacroPrecision',
  /** Multiclass classification: unweighted mean of the per-class recalls. */
  macroRecall: 'MacroRecall',
  /** Multiclass classification: unweighted mean of the per-class F1 scores. */
  macroF1: 'MacroF1',
  /** Multiclass classification: per-class precisions weighted by support. */
  weightedPrecision: 'WeightedPrecision',
  /** Multiclass classification: per-class recalls weighted by support. */
  weightedRecall: 'WeightedRecall',
  /** Multiclass classification: per-class F1 scores weighted by support. */
  weightedF1: 'WeightedF1',
  /** Regression: root mean squared error. */
  rmse: 'RMSE',
  /** Regression: mean absolute error. */
  mae: 'MAE',
  /** Predictions joined with a label in the run (the sample size of the metrics above). */
  matchedRecords: 'MatchedRecords',
  /** Labels of the window whose prediction was not found in the captures read. */
  unmatchedLabels: 'UnmatchedLabels',
  /** Labels not evaluated because the run already held `maxPendingLabels`. */
  droppedLabels: 'DroppedLabels',
  /** Capture and ground-truth lines rejected by the parser. */
  rejectedRecords: 'RejectedRecords',
  /** 1 when the run had fewer joined pairs than `minSamples` (no quality metric then), else 0. */
  insufficientSamples: 'InsufficientSamples',
  /** 1 when the run could not evaluate anything (an input or API error), else 0. */
  analysisErrors: 'AnalysisErrors',
  /** 1 when the window held no ground truth or no capture object, else 0. */
  dataMissing: 'DataMissing',
  /**
   * With a package baseline: 1 when the run could not read the registered statistics (no
   * statistics, outside the readable prefix, malformed, a metric missing), so no `<Metric>Degradation`
   * was published; else 0.
   */
  baselineNotRead: 'BaselineNotRead',
  /** 1 per run (a heartbeat: missing means the analysis did not run). */
  analysisRuns: 'AnalysisRuns',
} as const;

/** Environment variables the construct sets and the handler reads. */
export const ENV = {
  endpointName: 'QUALITY_ENDPOINT_NAME',
  variantName: 'QUALITY_VARIANT_NAME',
  captureBucket: 'QUALITY_CAPTURE_BUCKET',
  capturePrefix: 'QUALITY_CAPTURE_PREFIX',
  groundTruthBucket: 'QUALITY_GROUND_TRUTH_BUCKET',
  groundTruthPrefix: 'QUALITY_GROUND_TRUTH_PREFIX',
  problemType: 'QUALITY_PROBLEM_TYPE',
  positiveLabel: 'QUALITY_POSITIVE_LABEL',
  classificationOutput: 'QUALITY_CLASSIFICATION_OUTPUT',
  probabilityThreshold: 'QUALITY_PROBABILITY_THRESHOLD',
  windowMinutes: 'QUALITY_WINDOW_MINUTES',
  maxLabelDelayMinutes: 'QUALITY_MAX_LABEL_DELAY_MINUTES',
  minSamples: 'QUALITY_MIN_SAMPLES',
  maxPendingLabels: 'QUALITY_MAX_PENDING_LABELS',
  maxAttempts: 'QUALITY_MAX_ATTEMPTS',
  requestTimeoutMs: 'QUALITY_REQUEST_TIMEOUT_MS',
  /** JSON of the package baseline settings (`PackageBaselineSettings`); absent: static baselines. */
  packageBaseline: 'QUALITY_PACKAGE_BASELINE',
  /** JSON of {@link FairnessSettings}; absent: no fairness metrics. */
  fairness: 'QUALITY_FAIRNESS',
} as const;

/** The fairness settings the construct passes as JSON in `QUALITY_FAIRNESS`. */
export interface FairnessSettings {
  /** Facet specs, `gender=female`, `age:>=40`, one per column. */
  readonly facets: readonly string[];
  /** The group attribute of CDDPL. */
  readonly group?: string;
  /** Names of the cells of a CSV request, in order. */
  readonly requestColumns?: readonly string[];
  /** The post-training metrics published per facet (Clarify abbreviations). */
  readonly metrics: readonly string[];
}

/**
 * The metric a package-baseline alarm reads: `<Metric>Degradation` (`AUCDegradation`), the
 * baseline minus the value (classification) or the relative increase (regression): worse is
 * positive.
 */
export function degradationMetricName(metricName: string): string {
  return `${metricName}Degradation`;
}

/** Default variant name, the one `IsolatedEndpoint` uses. */
export const DEFAULT_VARIANT_NAME = 'primary';

/** Defaults shared by the construct and the handler. */
export const QUALITY_DEFAULTS = {
  positiveLabel: '1',
  probabilityThreshold: 0.5,
  minSamples: 100,
  maxPendingLabels: 1_000_000,
  /** Labels may arrive up to a day after the prediction. */
  maxLabelDelayMinutes: 24 * 60,
} as const;

/** PutMetricData accepts at most this many metrics per request. */
export const MAX_METRICS_PER_REQUEST = 1000;
