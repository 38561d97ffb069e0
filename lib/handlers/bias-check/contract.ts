/**
 * Names shared by the bias-check handler and `SpotTrainingPipeline`'s bias check: the environment
 * the construct sets, the Lambda step's arguments and its output parameters. No aws-cdk-lib here
 * (runtime code).
 */

/** Environment variables the construct sets and the handler reads. */
export const ENV = {
  /** JSON of {@link BiasCheckSpec}: what to measure and the thresholds that fail the pipeline. */
  spec: 'BIAS_CHECK_SPEC',
  /** The dataset bucket; the step's `datasetUri` must name it. */
  datasetBucket: 'BIAS_CHECK_DATASET_BUCKET',
  /** The dataset's prefix (every version); the step's `datasetUri` must be under it. */
  datasetPrefix: 'BIAS_CHECK_DATASET_PREFIX',
  /** Bucket of the bias reports (the pipeline's artifact bucket). */
  reportsBucket: 'BIAS_CHECK_REPORTS_BUCKET',
  /** Key prefix of the reports, ending in `/`: `bias-reports/<model package group>/`. */
  reportsPrefix: 'BIAS_CHECK_REPORTS_PREFIX',
  /** The KMS key the reports are encrypted with (SSE-KMS). */
  reportsKeyArn: 'BIAS_CHECK_REPORTS_KEY_ARN',
  maxAttempts: 'BIAS_CHECK_MAX_ATTEMPTS',
  requestTimeoutMs: 'BIAS_CHECK_REQUEST_TIMEOUT_MS',
} as const;

/** What the check measures, as the construct serialises it into {@link ENV.spec}. */
export interface BiasCheckSpec {
  readonly format: 'csv' | 'jsonl';
  readonly label: string;
  readonly facets: readonly string[];
  readonly group?: string;
  readonly failOn?: Readonly<Record<string, number>>;
  readonly proxyThreshold?: number;
}

/**
 * The Lambda step's `Arguments`, which SageMaker Pipelines passes to the function as its event:
 * the training channel of this execution's dataset version, and the execution id (the report's
 * sub-prefix).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 */
export const ARGUMENTS = { datasetUri: 'datasetUri', executionId: 'executionId' } as const;

/**
 * The function's result keys, declared as the step's `OutputParameters`: SageMaker reads each
 * declared output from the returned object.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 */
export const OUTPUTS = {
  /** Boolean: a fairness threshold was crossed (the pipeline fails before training). */
  crossed: 'crossed',
  /** String: `s3://` URI of the report the reviewers cite. */
  reportUri: 'reportUri',
} as const;

/** The report's file name under `<reportsPrefix><executionId>/`. */
export const PRE_TRAINING_REPORT = 'pre-training.json';
