/**
 * Names shared by the drift-monitor handler and the `DriftMonitor` construct: the metric namespace,
 * the metric names and the environment variables the construct sets. No aws-cdk-lib here (runtime code).
 */

/** CloudWatch namespace of every drift metric. */
export const METRIC_NAMESPACE = 'ML/Drift';

/** Metric names. Per feature (dimensions EndpointName + Feature) and per endpoint (EndpointName). */
export const METRICS = {
  /** Per feature: population stability index of the window against the baseline. */
  psi: 'PSI',
  /** Per feature: KS (numeric) or chi-square (categorical) p-value. */
  pValue: 'PValue',
  /** Per feature: 1 when the feature drifted, else 0. */
  drifted: 'Drifted',
  /** Per endpoint: the largest feature PSI of the run. */
  maxPsi: 'MaxPSI',
  /** Per endpoint: drifted features / all features. */
  driftedShare: 'DriftedShare',
  /** Per endpoint: how many features drifted. */
  driftedFeatures: 'DriftedFeatures',
  /** Per endpoint: capture records read in the window. */
  recordsAnalyzed: 'RecordsAnalyzed',
  /** Per endpoint: capture lines or rows rejected by the parser. */
  rejectedRecords: 'RejectedRecords',
  /** Per endpoint: capture objects read in the window. */
  captureObjects: 'CaptureObjects',
  /** Per endpoint: 1 when the run could not produce a report, else 0. */
  analysisErrors: 'AnalysisErrors',
  /** Per endpoint: 1 when the window held no capture object or no parsable record, else 0. */
  dataMissing: 'DataMissing',
  /** Per endpoint: 1 per run (a heartbeat: missing means the analysis did not run). */
  analysisRuns: 'AnalysisRuns',
} as const;

/** Dimension names. */
export const DIMENSIONS = { endpointName: 'EndpointName', feature: 'Feature' } as const;

/** Environment variables the construct sets and the handler reads. */
export const ENV = {
  endpointName: 'DRIFT_ENDPOINT_NAME',
  variantName: 'DRIFT_VARIANT_NAME',
  captureBucket: 'DRIFT_CAPTURE_BUCKET',
  capturePrefix: 'DRIFT_CAPTURE_PREFIX',
  baselineBucket: 'DRIFT_BASELINE_BUCKET',
  baselineKey: 'DRIFT_BASELINE_KEY',
  expectedSchemaHash: 'DRIFT_EXPECTED_SCHEMA_HASH',
  reportBucket: 'DRIFT_REPORT_BUCKET',
  reportPrefix: 'DRIFT_REPORT_PREFIX',
  reportKmsKeyId: 'DRIFT_REPORT_KMS_KEY_ID',
  windowMinutes: 'DRIFT_WINDOW_MINUTES',
  psiThreshold: 'DRIFT_PSI_THRESHOLD',
  pValue: 'DRIFT_P_VALUE',
  minSampleSize: 'DRIFT_MIN_SAMPLE_SIZE',
  driftedShareThreshold: 'DRIFT_DRIFTED_SHARE_THRESHOLD',
  observedSampleSize: 'DRIFT_OBSERVED_SAMPLE_SIZE',
  maxAttempts: 'DRIFT_MAX_ATTEMPTS',
  requestTimeoutMs: 'DRIFT_REQUEST_TIMEOUT_MS',
} as const;

/** Default variant name, the one `IsolatedEndpoint` uses. */
export const DEFAULT_VARIANT_NAME = 'primary';

/** Default key prefix of the reports. */
export const DEFAULT_REPORT_PREFIX = 'drift-reports/';

/** Default thresholds (PSI 0.2: a significant shift; share 0.3: the AWS drift-monitoring sample's 30%). */
export const DEFAULT_DRIFT_THRESHOLDS = {
  psi: 0.2,
  pValue: 0.01,
  minSampleSize: 100,
  driftedShare: 0.3,
} as const;

/** PutMetricData accepts at most this many metrics per request. */
export const MAX_METRICS_PER_REQUEST = 1000;
