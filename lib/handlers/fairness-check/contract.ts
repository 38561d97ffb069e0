/**
 * Names shared by the fairness-check handler and `SpotTrainingPipeline`'s `fairnessCheck`: the
 * environment the construct sets, the Lambda step's arguments and its output parameters, and the
 * evaluation output contract (the predictions file). No aws-cdk-lib here (runtime code).
 */

/** Environment variables the construct sets and the handler reads. */
export const ENV = {
  /** JSON of {@link FairnessCheckSpec}: what to measure and the thresholds that block registration. */
  spec: 'FAIRNESS_CHECK_SPEC',
  /** Bucket of the evaluation outputs (the pipeline's artifact bucket). */
  evaluationBucket: 'FAIRNESS_CHECK_EVALUATION_BUCKET',
  /** Key prefix of the evaluation outputs, ending in `/`: `evaluation/<pipeline name>/`. */
  evaluationPrefix: 'FAIRNESS_CHECK_EVALUATION_PREFIX',
  /** Bucket of the bias reports (the pre-training check's bucket). */
  reportsBucket: 'FAIRNESS_CHECK_REPORTS_BUCKET',
  /** Key prefix of the reports, ending in `/`: `bias-reports/<model package group>/`. */
  reportsPrefix: 'FAIRNESS_CHECK_REPORTS_PREFIX',
  /** The KMS key the reports are encrypted with (SSE-KMS). */
  reportsKeyArn: 'FAIRNESS_CHECK_REPORTS_KEY_ARN',
  maxAttempts: 'FAIRNESS_CHECK_MAX_ATTEMPTS',
  requestTimeoutMs: 'FAIRNESS_CHECK_REQUEST_TIMEOUT_MS',
} as const;

/** What the check measures, as the construct serialises it into {@link ENV.spec}. */
export interface FairnessCheckSpec {
  /** The predictions file's name in the evaluation output (`predictions.jsonl`, `predictions.csv.gz`). */
  readonly predictionsFile: string;
  readonly format: 'csv' | 'jsonl';
  /** The observed label and its positive outcome (`churned=1`). */
  readonly label: string;
  /** The predicted label or score column, with its positive outcome (`predicted`, `score:>=0.5`). */
  readonly prediction: string;
  readonly facets: readonly string[];
  readonly group?: string;
  readonly failOn: Readonly<Record<string, number>>;
}

/**
 * The evaluation output contract: with `fairnessCheck`, the Evaluate step's container writes, next
 * to its evaluation report under `/opt/ml/processing/evaluation/`, one row per scored example with
 * the label, the predicted label or score, and the facet (and group) columns. The step's
 * environment carries the path in this variable, so the container need not hard-code it.
 */
export const PREDICTIONS_PATH_ENV = 'PREDICTIONS_PATH';

/** The default name of the predictions file. */
export const DEFAULT_PREDICTIONS_FILE = 'predictions.jsonl';

/** Names a predictions file may have: CSV (with a header row) or JSON lines, optionally gzipped. */
export const PREDICTIONS_FILE_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\.(csv|jsonl)(\.gz)?$/;

/** The data format a predictions file name declares. */
export function predictionsFormat(fileName: string): 'csv' | 'jsonl' {
  return /\.jsonl(\.gz)?$/.test(fileName) ? 'jsonl' : 'csv';
}

/**
 * The Lambda step's `Arguments`, which SageMaker Pipelines passes to the function as its event:
 * the predictions file of this execution's evaluation, and the execution id (the report's
 * sub-prefix).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 */
export const ARGUMENTS = { predictionsUri: 'predictionsUri', executionId: 'executionId' } as const;

/**
 * The function's result keys, declared as the step's `OutputParameters`.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 */
export const OUTPUTS = {
  /** Boolean: a post-training fairness threshold was crossed (the model is not registered). */
  crossed: 'crossed',
  /** String: `s3://` URI of the post-training report. */
  reportUri: 'reportUri',
} as const;

/** The report's file name under `<reportsPrefix><executionId>/` (beside `pre-training.json`). */
export const POST_TRAINING_REPORT = 'post-training.json';
