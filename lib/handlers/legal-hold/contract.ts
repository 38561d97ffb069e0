import { LINEAGE_METADATA_KEYS } from '../../lineage/metadata-keys';

/**
 * Names shared by the legal-hold handler and the `ModelDataLegalHold` construct: the lineage keys
 * it reads, the metric namespace and the environment variables the construct sets. No
 * aws-cdk-lib here (runtime code).
 */

/**
 * The lineage keys of a model package's `CustomerMetadataProperties` the handler reads (written
 * by the pipeline's RecordLineage step with UpdateModelPackage).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html
 */
export const LINEAGE_KEYS = {
  /** `s3://bucket/key` of the dataset manifest JSON (lib/lineage/manifest.ts `DatasetManifestSchema`). */
  datasetManifest: LINEAGE_METADATA_KEYS.datasetManifest,
  /** Hex sha-256 of the manifest object's bytes. */
  datasetManifestSha256: LINEAGE_METADATA_KEYS.datasetManifestSha256,
  /** The dataset bucket the manifest's keys are relative to. */
  datasetBucket: LINEAGE_METADATA_KEYS.datasetBucket,
} as const;

/** CloudWatch namespace of the handler's metrics. */
export const METRIC_NAMESPACE = 'ML/LegalHold';

/** Metric names, each with the dimension `ModelPackageGroupName`. */
export const METRICS = {
  /** Object versions whose legal hold was set to ON (per event). */
  holdsPlaced: 'HoldsPlaced',
  /** Object versions whose legal hold was set to OFF (per event). */
  holdsReleased: 'HoldsReleased',
  /**
   * Things that should be held and are not, or an event that could not be read: an object version
   * refused (another bucket, no version id, outside the held prefix), missing or denied, a manifest
   * that is invalid or does not match its recorded sha-256, a malformed event.
   */
  holdFailures: 'HoldFailures',
  /** An approved package that names no dataset manifest: its data is not protected. */
  approvedWithoutManifest: 'ApprovedWithoutManifest',
} as const;

/** Dimension names. */
export const DIMENSIONS = { modelPackageGroupName: 'ModelPackageGroupName' } as const;

/** The status whose versions' data is held; leaving it (Rejected, or back to pending) releases. */
export const HELD_STATUS = 'Approved';

/** The EventBridge detail type of model package state changes. */
export const DETAIL_TYPE = 'SageMaker Model Package State Change';

/** Environment variables the construct sets and the handler reads. */
export const ENV = {
  groupName: 'LEGAL_HOLD_GROUP_NAME',
  datasetBucket: 'LEGAL_HOLD_DATASET_BUCKET',
  datasetsPrefix: 'LEGAL_HOLD_DATASETS_PREFIX',
  manifestBucket: 'LEGAL_HOLD_MANIFEST_BUCKET',
  manifestPrefix: 'LEGAL_HOLD_MANIFEST_PREFIX',
  maxAttempts: 'LEGAL_HOLD_MAX_ATTEMPTS',
  requestTimeoutMs: 'LEGAL_HOLD_REQUEST_TIMEOUT_MS',
} as const;
