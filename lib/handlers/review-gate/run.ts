import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  UpdateModelPackageCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { Logger } from '../shared/log';
import type { ReviewGateConfig } from './config';
import { DIMENSIONS, METRIC_NAMESPACE, METRICS, REVERT_STATUS, REVIEW_KEYS } from './contract';
import { checkReviewRecord, parseEvent, revertDescription } from './review';

/** The clients the gate calls. */
export interface ReviewGateClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly cloudwatch: CloudWatchClient;
}

/** What the gate did with one event. */
export type GateOutcome =
  /** The event could not be read; nothing was called but the metric. */
  | 'malformed'
  /** A package of another group: nothing was called. */
  | 'other-group'
  /** Not an approval (pending, rejected): nothing was called. */
  | 'not-an-approval'
  /** The package is no longer approved (a redelivered event, or already reverted): left alone. */
  | 'no-longer-approved'
  /** Approved with a valid review record: left alone. */
  | 'reviewed'
  /** Approved without a valid review record: set back to PendingManualApproval. */
  | 'reverted';

/** The result of one invocation, logged and returned. */
export interface GateResult {
  readonly outcome: GateOutcome;
  readonly modelPackageArn?: string;
  /** Why the approval was reverted, or why the event was malformed. */
  readonly problems?: readonly string[];
}

/** Options of one run. */
export interface RunOptions {
  readonly log: Logger;
  /** @default - the current time */
  readonly now?: Date;
}

/**
 * Handles one model package state change: an approval of a version of the guarded group without a
 * valid review record is set back to PendingManualApproval with an ApprovalDescription saying
 * why, and counted in `ML/ReviewGate` `ApprovalsReverted`.
 *
 * Idempotent and safe on redelivery (SageMaker may send several events per change, and EventBridge
 * and Lambda retry): the decision is made on the package's current state from
 * DescribeModelPackage, never on the event's, so a second delivery finds the version pending (or
 * validly approved) and changes nothing. SDK errors (throttling beyond the retries, access denied)
 * are thrown, so Lambda retries the event and then keeps it in the dead-letter queue.
 */
export async function handleApprovalEvent(
  clients: ReviewGateClients,
  config: ReviewGateConfig,
  event: unknown,
  opts: RunOptions,
): Promise<GateResult> {
  const parsed = parseEvent(event);
  if (parsed.kind === 'malformed') {
    opts.log.error('malformed event', { reason: parsed.reason });
    await putMetric(clients.cloudwatch, config, METRICS.malformedEvents, 1);
    return { outcome: 'malformed', problems: [parsed.reason] };
  }
  const { change } = parsed;
  const arn = change.modelPackageArn;
  // The ARN names the group in lowercase; both must be the guarded group.
  const group = config.groupName.toLowerCase();
  if (change.modelPackageGroupName.toLowerCase() !== group || arn.split('/')[1] !== group) {
    opts.log.info('ignored: another group', { modelPackageArn: arn, group: change.modelPackageGroupName });
    return { outcome: 'other-group', modelPackageArn: arn };
  }
  if (change.modelApprovalStatus !== 'Approved') {
    return { outcome: 'not-an-approval', modelPackageArn: arn };
  }

  const current = await clients.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  if (current.ModelApprovalStatus !== 'Approved') {
    opts.log.info('no longer approved', { modelPackageArn: arn, status: current.ModelApprovalStatus });
    return { outcome: 'no-longer-approved', modelPackageArn: arn };
  }
  const now = opts.now ?? new Date();
  const check = checkReviewRecord(current.CustomerMetadataProperties, {
    reports: { bucket: config.reportsBucket, prefix: config.reportsPrefix },
    createdAt: current.CreationTime,
    now,
  });
  const problems = check.ok
    ? await reportProblems(clients.s3, config.reportsBucket, check.reportKey)
    : check.problems;
  if (problems.length === 0) {
    opts.log.info('approval has a review record', { modelPackageArn: arn });
    await putMetric(clients.cloudwatch, config, METRICS.approvalsReverted, 0);
    return { outcome: 'reviewed', modelPackageArn: arn };
  }
  await clients.sagemaker.send(
    new UpdateModelPackageCommand({
      ModelPackageArn: arn,
      ModelApprovalStatus: REVERT_STATUS,
      ApprovalDescription: revertDescription(problems),
    }),
  );
  opts.log.warn('approval reverted: no valid review record', { modelPackageArn: arn, problems });
  await putMetric(clients.cloudwatch, config, METRICS.approvalsReverted, 1);
  return { outcome: 'reverted', modelPackageArn: arn, problems };
}

/**
 * Whether the bias report exists. Without `s3:ListBucket`, S3 answers 403 for a missing key; the
 * role may list the reports prefix, so a missing report is a 404. Either way the gate fails closed.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 */
async function reportProblems(s3: S3Client, bucket: string, key: string): Promise<string[]> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return [];
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (e as { name?: string }).name;
    if (status === 404 || name === 'NotFound' || name === 'NoSuchKey') {
      return [`${REVIEW_KEYS.biasReport} names an object that does not exist (s3://${bucket}/${key})`];
    }
    if (status === 403) {
      return [`${REVIEW_KEYS.biasReport} names an object the gate may not read (s3://${bucket}/${key})`];
    }
    throw e;
  }
}

async function putMetric(
  cloudwatch: CloudWatchClient,
  config: ReviewGateConfig,
  metricName: string,
  value: number,
): Promise<void> {
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: [
        {
          MetricName: metricName,
          Value: value,
          Unit: 'Count',
          Dimensions: [{ Name: DIMENSIONS.modelPackageGroupName, Value: config.groupName }],
        },
      ],
    }),
  );
}
