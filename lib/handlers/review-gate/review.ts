import { DETAIL_TYPE, MAX_CLOCK_SKEW_MS, REVIEW_KEYS } from './contract';

/** A model package approval change, as the gate reads it from an EventBridge event. */
export interface ApprovalChange {
  readonly modelPackageArn: string;
  readonly modelPackageGroupName: string;
  readonly modelApprovalStatus: string;
}

/** What {@link parseEvent} makes of an event: a change, or why it is not one. */
export type ParsedEvent =
  | { readonly kind: 'change'; readonly change: ApprovalChange }
  | { readonly kind: 'malformed'; readonly reason: string };

const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[^/]+\/\d+$/;

/**
 * Reads a `SageMaker Model Package State Change` event: `detail` carries `ModelPackageArn`,
 * `ModelPackageGroupName` and `ModelApprovalStatus`. Anything else is malformed (never thrown:
 * a retry of the same event cannot succeed).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-model-package
 */
export function parseEvent(event: unknown): ParsedEvent {
  const malformed = (reason: string): ParsedEvent => ({ kind: 'malformed', reason });
  if (typeof event !== 'object' || event === null) return malformed('the event is not an object');
  const e = event as Record<string, unknown>;
  if (e.source !== 'aws.sagemaker')
    return malformed(`source is ${JSON.stringify(e.source)}, not "aws.sagemaker"`);
  if (e['detail-type'] !== DETAIL_TYPE)
    return malformed(`detail-type is ${JSON.stringify(e['detail-type'])}, not "${DETAIL_TYPE}"`);
  const d = e.detail;
  if (typeof d !== 'object' || d === null) return malformed('detail is not an object');
  const detail = d as Record<string, unknown>;
  const arn = detail.ModelPackageArn;
  const group = detail.ModelPackageGroupName;
  const status = detail.ModelApprovalStatus;
  if (typeof arn !== 'string' || !PACKAGE_ARN.test(arn))
    return malformed(`detail.ModelPackageArn is not a versioned model package ARN (${JSON.stringify(arn)})`);
  if (typeof group !== 'string' || group === '') return malformed('detail.ModelPackageGroupName is missing');
  if (typeof status !== 'string') return malformed('detail.ModelApprovalStatus is missing');
  return {
    kind: 'change',
    change: { modelPackageArn: arn, modelPackageGroupName: group, modelApprovalStatus: status },
  };
}

/** Where bias reports must live. */
export interface ReportLocation {
  readonly bucket: string;
  /** Empty or ending in `/`. */
  readonly prefix: string;
}

/** The result of checking a review record's fields (the report object's existence is checked apart). */
export type RecordCheck =
  | { readonly ok: true; readonly reviewer: string; readonly reportKey: string }
  | { readonly ok: false; readonly problems: readonly string[] };

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z$/;

/**
 * Checks a review record in a model package's customer metadata: a reviewer, a review time (ISO
 * 8601 UTC, not before the version was created, not in the future) and a bias report URI under
 * the reports location. Every problem is listed, so the reviewer fixes them at once.
 */
export function checkReviewRecord(
  metadata: Readonly<Record<string, string>> | undefined,
  opts: { readonly reports: ReportLocation; readonly createdAt?: Date; readonly now: Date },
): RecordCheck {
  const m = metadata ?? {};
  const problems: string[] = [];
  const reviewer = (m[REVIEW_KEYS.reviewer] ?? '').trim();
  if (reviewer === '') problems.push(`${REVIEW_KEYS.reviewer} is missing`);

  const reviewedAt = m[REVIEW_KEYS.reviewedAt];
  if (reviewedAt === undefined || reviewedAt.trim() === '') {
    problems.push(`${REVIEW_KEYS.reviewedAt} is missing`);
  } else if (!ISO_UTC.test(reviewedAt) || Number.isNaN(Date.parse(reviewedAt))) {
    problems.push(
      `${REVIEW_KEYS.reviewedAt} is not an ISO 8601 UTC time (got ${JSON.stringify(reviewedAt)})`,
    );
  } else {
    const at = Date.parse(reviewedAt);
    if (opts.createdAt && at < opts.createdAt.getTime()) {
      problems.push(
        `${REVIEW_KEYS.reviewedAt} is before the version was registered (got ${reviewedAt}; registered ${opts.createdAt.toISOString()})`,
      );
    }
    if (at > opts.now.getTime() + MAX_CLOCK_SKEW_MS) {
      problems.push(`${REVIEW_KEYS.reviewedAt} is in the future (got ${reviewedAt})`);
    }
  }

  const uri = m[REVIEW_KEYS.biasReport];
  const expected = `s3://${opts.reports.bucket}/${opts.reports.prefix}`;
  let reportKey = '';
  if (uri === undefined || uri.trim() === '') {
    problems.push(`${REVIEW_KEYS.biasReport} is missing`);
  } else if (!uri.startsWith(expected) || uri.length === expected.length || uri.endsWith('/')) {
    problems.push(
      `${REVIEW_KEYS.biasReport} is not an object under ${expected} (got ${JSON.stringify(uri)})`,
    );
  } else {
    reportKey = uri.slice(`s3://${opts.reports.bucket}/`.length);
    if (reportKey.split('/').some((part) => part === '..' || part === '.')) {
      problems.push(`${REVIEW_KEYS.biasReport} has a relative path segment (got ${JSON.stringify(uri)})`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, reviewer, reportKey };
}

/** ApprovalDescription accepts at most 1024 characters. */
const MAX_DESCRIPTION = 1024;

/**
 * The ApprovalDescription of a reverted approval: why, and how to record a review.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
 */
export function revertDescription(problems: readonly string[]): string {
  const text =
    `review gate: approval set back to PendingManualApproval, the high-risk version has no valid review record: ` +
    `${problems.join('; ')}. Set ${REVIEW_KEYS.reviewer}, ${REVIEW_KEYS.reviewedAt} and ${REVIEW_KEYS.biasReport} ` +
    `(update-model-package --customer-metadata-properties), then approve again`;
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}
