import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { z } from 'zod';
import {
  DIMENSIONS,
  ENV,
  METRIC_NAMESPACE,
  METRICS,
  REVERT_STATUS,
} from '../../lib/handlers/review-gate/contract';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { functionSubnetsSchema, SecureFunction, subnetProblems } from '../core/secure-function';
import { refs, throwIfProblems, tokenOr, validateProps } from '../core/validate';
import { IAlertDestination, requireAlertPublishers } from '../monitoring/alert-topic';
import { acknowledgeIdentityPrefixGrant } from '../serving/nag-ids';
import { ISecureBucket } from '../storage/secure-bucket';
import { IModelRegistry } from './model-registry';
import { modelPackageStateChanges } from './model-package-events';
import { markReviewGated } from './review-gate-registry';
import { flattenedArn } from './nag-ids';

export { REVIEW_KEYS } from '../../lib/handlers/review-gate/contract';

/** Props for {@link ModelReviewGate}. */
export interface ModelReviewGateProps {
  /** The model registry (model package group) whose approvals need a review record. */
  readonly registry: IModelRegistry;
  /**
   * The bucket of the bias reports reviewers cite in `review:bias-report`: a `SecureBucket`, a
   * `TieredDatasetBucket` or `SecureBucket.fromBucketAttributes(...)`. The gate may read (HEAD)
   * objects under `reportsPrefix` only.
   */
  readonly reportsBucket: ISecureBucket;
  /**
   * The key prefix of the bias reports, ending in `/`; a review citing a report elsewhere is invalid.
   * @default 'bias-reports/<modelPackageGroupName>/'
   */
  readonly reportsPrefix?: string;
  /**
   * Where the alarms go (a reverted approval, a malformed event, a failing gate): the platform's
   * `AlertTopic`, or `AlertTopic.fromTopic(topic)`. A key it names must let CloudWatch publish.
   */
  readonly alerts: IAlertDestination;
  /** The VPC the function runs in; it needs the sagemaker.api, monitoring, logs and S3 endpoints. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the function.
   * @default - the VPC's isolated subnets, else its private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Key for the function's logs, environment and dead-letter queues (the `logs` key): EventBridge
   * delivers undeliverable events to the rule's queue as `events.amazonaws.com`, which the `logs`
   * key's `AlertPublishers` statement allows.
   */
  readonly encryptionKey: kms.IKey;
  /**
   * Attempts per API request; throttling and 5xx are retried with exponential backoff.
   * @default 8
   */
  readonly maxAttempts?: number;
}

const PREFIX = /^[^/].*\/$/;
const schema = z.strictObject({
  registry: z.custom<IModelRegistry>(
    (v) =>
      typeof v === 'object' && v !== null && 'modelPackageGroupName' in v && 'modelPackageArnPattern' in v,
    { params: { expected: 'an IModelRegistry' }, message: 'is not a model registry' },
  ),
  reportsBucket: refs.secureBucket,
  reportsPrefix: tokenOr(z.string().min(2).max(512).regex(PREFIX)).optional(),
  alerts: refs.alerts,
  vpc: refs.vpc,
  vpcSubnets: functionSubnetsSchema.optional(),
  encryptionKey: refs.key,
  maxAttempts: z.number().int().min(1).max(20).optional(),
});

/** Options of the gate's metric helpers. */
export interface ReviewGateMetricOptions {
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
  /** @default 'Sum' */
  readonly statistic?: string;
}

/**
 * The review gate of a high-risk model registry: no version stays approved without a review
 * record — who reviewed it, when, and the bias report they read.
 *
 * A reviewer records the review in the version's `CustomerMetadataProperties`
 * (`review:reviewer`, `review:reviewed-at`, `review:bias-report`, see {@link REVIEW_KEYS}) with
 * `UpdateModelPackage`, then approves. An EventBridge rule on `SageMaker Model Package State
 * Change` events of the group with `ModelApprovalStatus: Approved` invokes a {@link SecureFunction}
 * that reads the version (DescribeModelPackage), checks the record and that the report exists
 * under `reportsPrefix` (HeadObject), and otherwise sets the version back to
 * `PendingManualApproval` with an `ApprovalDescription` saying why. Its role may set no other
 * status (an IAM condition on `sagemaker:ModelApprovalStatus`), on this group's versions only.
 * Each revert counts in `ML/ReviewGate` `ApprovalsReverted`, whose alarm notifies `alerts`.
 *
 * The gate acts after the approval: a deployment triggered by the approval event may start
 * before it is reverted, so deployment automation should also require the record (or listen to
 * the gate's alarm).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-model-package
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
 */
export class ModelReviewGate extends Construct {
  /** The function that checks approvals. */
  public readonly function: SecureFunction;
  /** The rule that sends the group's approvals to the function. */
  public readonly rule: events.Rule;
  /** Approval events EventBridge could not deliver to the function. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The function's permissions on the group's versions and its metrics. */
  public readonly policy: iam.ManagedPolicy;
  /** Alarm: an approval was reverted. */
  public readonly revertedAlarm: cloudwatch.Alarm;
  /** Alarm: an event could not be read. */
  public readonly malformedEventAlarm: cloudwatch.Alarm;
  /** Alarm: the function failed (approvals may stand unchecked until it succeeds). */
  public readonly errorAlarm: cloudwatch.Alarm;
  /** The key prefix of the bias reports. */
  public readonly reportsPrefix: string;
  /** `s3://<bucket>/<reportsPrefix>`: where a review's bias report must be. */
  public readonly reportsS3Uri: string;
  private readonly groupName: string;

  constructor(scope: Construct, id: string, props: ModelReviewGateProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    throwIfProblems(this, subnetProblems(p.vpc, p.vpcSubnets));
    requireAlertPublishers(this, p.alerts);
    this.groupName = p.registry.modelPackageGroupName;
    this.reportsPrefix = p.reportsPrefix ?? `bias-reports/${this.groupName}/`;
    this.reportsS3Uri = p.reportsBucket.s3UriForPrefix(this.reportsPrefix);

    this.function = new SecureFunction(this, 'Function', {
      handler: 'review-gate',
      vpc: p.vpc,
      vpcSubnets: p.vpcSubnets,
      encryptionKey: p.encryptionKey,
      description: 'Sets approvals of high-risk model versions without a review record back to pending',
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment: {
        [ENV.groupName]: this.groupName,
        [ENV.reportsBucket]: p.reportsBucket.bucketName,
        [ENV.reportsPrefix]: this.reportsPrefix,
        [ENV.maxAttempts]: String(p.maxAttempts ?? 8),
      },
    });
    const role = this.function.role;

    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Review gate of ${p.registry.modelPackageGroupName}: read its versions, set them back to pending`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadVersions',
          actions: ['sagemaker:DescribeModelPackage'],
          resources: [p.registry.modelPackageArnPattern],
        }),
        // Only ever to PendingManualApproval: the key is absent from a request that sets no
        // status, and StringEquals fails on an absent key, so the role cannot approve, reject,
        // or change a version's metadata (the review record) either.
        new iam.PolicyStatement({
          sid: 'RevertApprovals',
          actions: ['sagemaker:UpdateModelPackage'],
          resources: [p.registry.modelPackageArnPattern],
          conditions: { StringEquals: { 'sagemaker:ModelApprovalStatus': REVERT_STATUS } },
        }),
        new iam.PolicyStatement({
          sid: 'PublishGateMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
        }),
      ],
    });
    acknowledge(this.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason: `cloudwatch:PutMetricData has no resource-level permissions, so Resource must be "*"; the cloudwatch:namespace condition limits it to ${METRIC_NAMESPACE}`,
      ...INHERENT,
    });
    acknowledge(
      this.policy,
      `AwsSolutions-IAM5[Resource::${flattenedArn(this, p.registry.modelPackageArnPattern)}]`,
      {
        reason:
          'SageMaker numbers the versions of the group at registration (model-package/<group>/<n>): the pattern matches this group only',
        ...INHERENT,
      },
    );

    p.reportsBucket.grantReadPrefix(role, this.reportsPrefix);
    acknowledgeIdentityPrefixGrant(
      role,
      p.reportsBucket,
      this.reportsPrefix,
      'reviewers name the bias report of each version under the reports prefix at review time',
    );

    ({ rule: this.rule, deadLetterQueue: this.deadLetterQueue } = modelPackageStateChanges(
      this,
      'Approvals',
      {
        groupName: this.groupName,
        description: `Approvals of ${this.groupName} versions, checked for a review record`,
        handler: this.function.function,
        encryptionKey: p.encryptionKey,
        approvalStatus: 'Approved',
      },
    ));

    const group = `model package group ${this.groupName}`;
    this.revertedAlarm = this.metricApprovalsReverted().createAlarm(this, 'RevertedAlarm', {
      alarmDescription: `Review gate: an approval in ${group} had no valid review record and was set back to PendingManualApproval (reason in the version's ApprovalDescription)`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No approval in a period is no news.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.malformedEventAlarm = this.metricMalformedEvents().createAlarm(this, 'MalformedEventAlarm', {
      alarmDescription: `Review gate of ${group} received an event it could not read (see its logs)`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorAlarm = this.function.function
      .metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM })
      .createAlarm(this, 'ErrorAlarm', {
        alarmDescription: `Review gate of ${group} failed: approvals may stand unchecked until a retry succeeds (see its dead-letter queues)`,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    for (const alarm of [this.revertedAlarm, this.malformedEventAlarm, this.errorAlarm])
      p.alerts.notify(alarm);

    markReviewGated(p.registry);
  }

  /** A metric in `ML/ReviewGate` with this group's dimension. */
  public metric(metricName: string, options: ReviewGateMetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { [DIMENSIONS.modelPackageGroupName]: this.groupName },
      period: options.period ?? Duration.minutes(5),
      statistic: options.statistic ?? cloudwatch.Stats.SUM,
    });
  }

  /** Approvals set back to pending (Sum over 5 minutes). */
  public metricApprovalsReverted(options?: ReviewGateMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.approvalsReverted, options);
  }

  /** Events the gate could not read (Sum over 5 minutes). */
  public metricMalformedEvents(options?: ReviewGateMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.malformedEvents, options);
  }
}
