/**
 * Names shared by the dataset-manifest handler and `SpotTrainingPipeline`'s `WriteManifest` Lambda
 * step: the environment the construct sets, the step's arguments and its output parameters. No
 * aws-cdk-lib here (runtime code).
 */

/** Environment variables the construct sets and the handler reads. */
export const ENV = {
  /** The dataset bucket; the step's `datasetUri` must name it. */
  datasetBucket: 'DATASET_MANIFEST_DATASET_BUCKET',
  /** The dataset's prefix of every version (`<tier>/<dataset>/v`); `datasetUri` must be under it. */
  datasetPrefix: 'DATASET_MANIFEST_DATASET_PREFIX',
  /** Comma-separated training channels listed into the manifest (`train,validation`). */
  channels: 'DATASET_MANIFEST_CHANNELS',
  /** Bucket of the manifests (the pipeline's artifact bucket). */
  manifestBucket: 'DATASET_MANIFEST_BUCKET',
  /** Key prefix of the manifests, ending in `/`: `lineage/<pipeline>/`. */
  manifestPrefix: 'DATASET_MANIFEST_PREFIX',
  /** The KMS key the manifests are encrypted with (SSE-KMS). */
  manifestKeyArn: 'DATASET_MANIFEST_KEY_ARN',
  /**
   * Set for a third-party dataset: the key, relative to the dataset version prefix, of its
   * provenance document. Unset: first-party data, no provenance required.
   */
  provenanceKey: 'DATASET_MANIFEST_PROVENANCE_KEY',
  /** The most bytes the channels may hold together; more fails the step before reading. */
  maxBytes: 'DATASET_MANIFEST_MAX_BYTES',
  maxAttempts: 'DATASET_MANIFEST_MAX_ATTEMPTS',
  requestTimeoutMs: 'DATASET_MANIFEST_REQUEST_TIMEOUT_MS',
} as const;

/**
 * The Lambda step's `Arguments`, which SageMaker Pipelines passes to the function as its event:
 * the prefix of this execution's dataset version, and the execution id (the manifest's sub-prefix).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 */
export const ARGUMENTS = { datasetUri: 'datasetUri', executionId: 'executionId' } as const;

/**
 * The function's result keys, declared as the step's `OutputParameters`.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 */
export const OUTPUTS = {
  /** String: `s3://` URI of the manifest written. */
  manifestUri: 'manifestUri',
  /** String: hex sha-256 of the manifest object's bytes. */
  manifestSha256: 'manifestSha256',
} as const;

/** The manifest's file name under `<manifestPrefix><executionId>/`. */
export const MANIFEST_FILE = 'dataset-manifest.json';

/** The default provenance document key, relative to the dataset version prefix. */
export const DEFAULT_PROVENANCE_KEY = 'provenance.json';
