/**
 * Names shared by the review-gate handler and the `ModelReviewGate` construct: the review record's
 * metadata keys, the metric namespace and the environment variables the construct sets. No
 * aws-cdk-lib here (runtime code).
 */

/**
 * The keys of a review record in a model package's `CustomerMetadataProperties`, which
 * `UpdateModelPackage` can set on an existing version (keys up to 128 and values up to 256
 * characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, at most 50 entries).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
 */
export const REVIEW_KEYS = {
  /** Who reviewed the version (a person's login or e-mail; 1 to 256 characters). */
  reviewer: 'review:reviewer',
  /** When, an ISO 8601 UTC time such as `2026-12-01T09:30:00Z`; after the version was registered. */
  reviewedAt: 'review:reviewed-at',
  /** The bias report the reviewer read: an `s3://` URI under the gate's reports prefix; the object must exist. */
  biasReport: 'review:bias-report',
} as const;

/** CloudWatch namespace of the gate's metrics (the library's metrics all live under `ML/`). */
export const METRIC_NAMESPACE = 'ML/ReviewGate';

/** Metric names, each with the dimension `ModelPackageGroupName`. */
export const METRICS = {
  /** 1 per approval the gate set back to PendingManualApproval, 0 per approval it let stand. */
  approvalsReverted: 'ApprovalsReverted',
  /** 1 per event the gate could not read (not a model package state change of the expected shape). */
  malformedEvents: 'MalformedEvents',
} as const;

/** Dimension names. */
export const DIMENSIONS = { modelPackageGroupName: 'ModelPackageGroupName' } as const;

/**
 * The status an approval without a valid review record is set back to. Not `Rejected`: SageMaker
 * does not support changing an approval from Approved to Rejected, and a missing record says
 * nothing against the model; the version waits for a review instead.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html
 */
export const REVERT_STATUS = 'PendingManualApproval';

/** The EventBridge detail type of model package approval changes. */
export const DETAIL_TYPE = 'SageMaker Model Package State Change';

/** Environment variables the construct sets and the handler reads. */
export const ENV = {
  groupName: 'REVIEW_GATE_GROUP_NAME',
  reportsBucket: 'REVIEW_GATE_REPORTS_BUCKET',
  reportsPrefix: 'REVIEW_GATE_REPORTS_PREFIX',
  maxAttempts: 'REVIEW_GATE_MAX_ATTEMPTS',
  requestTimeoutMs: 'REVIEW_GATE_REQUEST_TIMEOUT_MS',
} as const;

/** A review may be dated at most this far after the gate's clock (clock skew of the reviewer's machine). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
