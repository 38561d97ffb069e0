/**
 * The `CustomerMetadataProperties` keys of a registered model package that model documentation
 * reads (the lineage conventions of issue 18, written by the pipeline's RecordLineage step, and
 * the review record the review gate checks).
 *
 * TODO(lead): import from lib/lineage/metadata-keys.ts once it is merged (same literals).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html
 */
export const LINEAGE_KEYS = {
  datasetManifest: 'lineage:dataset-manifest',
  datasetManifestSha256: 'lineage:dataset-manifest-sha256',
  datasetBucket: 'lineage:dataset-bucket',
  trainingJob: 'lineage:training-job',
  trainingImageDigest: 'lineage:training-image-digest',
  codeVersion: 'lineage:code-version',
  pipelineExecution: 'lineage:pipeline-execution',
  featureContract: 'lineage:feature-contract',
  evaluationReport: 'lineage:evaluation-report',
  biasReport: 'lineage:bias-report',
  fairnessReport: 'lineage:fairness-report',
} as const;

/** The review record keys (see lib/handlers/review-gate/contract.ts `REVIEW_KEYS`). */
export const REVIEW_RECORD_KEYS = {
  reviewer: 'review:reviewer',
  reviewedAt: 'review:reviewed-at',
  biasReport: 'review:bias-report',
} as const;

/** The lineage keys in the order the documentation lists them. */
export const LINEAGE_KEY_ORDER: readonly string[] = Object.values(LINEAGE_KEYS);
