/**
 * The `CustomerMetadataProperties` keys a registered model package carries its lineage under
 * (issue 18). The pipeline's `RecordLineage` step writes them with UpdateModelPackage after
 * `RegisterModel` (the pipeline definition schema allows no CustomerMetadataProperties in a
 * RegisterModel step); the `lineage` command and the review gate read them.
 *
 * CreateModelPackage/UpdateModelPackage allow at most 50 entries, keys of 1 to 128 characters and
 * values of at most 256 characters matching `^([\p{L}\p{Z}\p{N}_.:\/=+\-@]*)$`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
 */
export const LINEAGE_METADATA_KEYS = {
  /** `s3://bucket/key` of the dataset manifest JSON (`DatasetManifestSchema`). */
  datasetManifest: 'lineage:dataset-manifest',
  /** Hex sha-256 of the manifest object's bytes. */
  datasetManifestSha256: 'lineage:dataset-manifest-sha256',
  /** The dataset bucket the manifest's object keys are relative to. */
  datasetBucket: 'lineage:dataset-bucket',
  /** Training job ARN or name. */
  trainingJob: 'lineage:training-job',
  /** `sha256:…` digest of the training image. */
  trainingImageDigest: 'lineage:training-image-digest',
  /** The pipeline's code/config version string. */
  codeVersion: 'lineage:code-version',
  /** The pipeline execution ARN. */
  pipelineExecution: 'lineage:pipeline-execution',
  /** `<contract name>@<version>` of the FeatureContract the model was trained against. */
  featureContract: 'lineage:feature-contract',
  /** S3 URI of the evaluation report, when the pipeline evaluates. */
  evaluationReport: 'lineage:evaluation-report',
  /** S3 URI of the pre-training bias report (`bias-reports/<group>/<execution>/pre-training.json`). */
  biasReport: 'lineage:bias-report',
  /** S3 URI of the post-training fairness report (`bias-reports/<group>/<execution>/post-training.json`). */
  fairnessReport: 'lineage:fairness-report',
} as const;

/** One of {@link LINEAGE_METADATA_KEYS}. */
export type LineageMetadataKey = (typeof LINEAGE_METADATA_KEYS)[keyof typeof LINEAGE_METADATA_KEYS];

/** The keys the review gate writes and reads (not lineage, listed so nothing else reuses them). */
export const REVIEW_METADATA_KEYS = {
  reviewer: 'review:reviewer',
  reviewedAt: 'review:reviewed-at',
  biasReport: 'review:bias-report',
} as const;

/**
 * CustomerMetadataProperties value constraints (CreateModelPackage): at most 256 characters of
 * letters, separators, numbers and `_.:/=+-@`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html
 */
export const METADATA_VALUE_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
/** Longest CustomerMetadataProperties value. */
export const METADATA_VALUE_MAX_LENGTH = 256;
/** Most CustomerMetadataProperties entries of one model package. */
export const METADATA_MAX_ENTRIES = 50;
