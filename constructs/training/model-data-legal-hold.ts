import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { DIMENSIONS, ENV, METRIC_NAMESPACE, METRICS } from '../../lib/handlers/legal-hold/contract';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { functionSubnetsSchema, SecureFunction, subnetProblems } from '../core/secure-function';
import { refs, throwIfProblems, tokenOr, validateProps } from '../core/validate';
import { IAlertDestination, requireAlertPublishers } from '../monitoring/alert-topic';
import { acknowledgeIdentityPrefixGrant } from '../serving/nag-ids';
import { ISecureBucket } from '../storage/secure-bucket';
import { IModelRegistry } from './model-registry';
import { modelPackageStateChanges } from './model-package-events';
import { flattenedArn } from './nag-ids';

export { LINEAGE_KEYS as LEGAL_HOLD_LINEAGE_KEYS } from '../../lib/handlers/legal-hold/contract';

/** Props for {@link ModelDataLegalHold}. */
export interface ModelDataLegalHoldProps {
  /** The model registry (model package group) whose approved versions' training data is held. */
  readonly registry: IModelRegistry;
  /**
   * The dataset bucket whose object versions are held: a `TieredDatasetBucket` (Object Lock is on
   * by default) or another bucket with S3 Object Lock activated. Manifest objects in any other
   * bucket are refused.
   */
  readonly datasetBucket: ISecureBucket;
  /**
   * Only object versions under this key prefix (empty or ending in `/`) may be held; the role's
   * legal-hold permissions are scoped to it.
   * @default '' (the whole dataset bucket)
   */
  readonly datasetsPrefix?: string;
  /**
   * The bucket of the dataset manifests the pipeline writes (its artifact bucket). The function
   * may read objects under `manifestPrefix` only.
   */
  readonly manifestBucket: ISecureBucket;
  /**
   * Key prefix of the manifests, ending in `/`; a package naming a manifest elsewhere is refused.
   * @default 'lineage/'
   */
  readonly manifestPrefix?: string;
  /**
   * Where the alarms go (holds that could not be placed, an approved package without a manifest,
   * a failing function): the platform's `AlertTopic`, or `AlertTopic.fromTopic(topic)`.
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
   * Key for the function's logs, environment and dead-letter queues (the `logs` key), which must
   * let `events.amazonaws.com` encrypt dead letters (the `logs` key's `AlertPublishers` statement).
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
  datasetBucket: refs.secureBucket,
  datasetsPrefix: tokenOr(z.union([z.literal(''), z.string().max(512).regex(PREFIX)])).optional(),
  manifestBucket: refs.secureBucket,
  manifestPrefix: tokenOr(z.string().min(2).max(512).regex(PREFIX)).optional(),
  alerts: refs.alerts,
  vpc: refs.vpc,
  vpcSubnets: functionSubnetsSchema.optional(),
  encryptionKey: refs.key,
  maxAttempts: z.number().int().min(1).max(20).optional(),
});

/** Options of the construct's metric helpers. */
export interface LegalHoldMetricOptions {
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
  /** @default 'Sum' */
  readonly statistic?: string;
}

/**
 * S3 Object Lock legal holds on the exact dataset object versions behind every approved model
 * of a registry, released when the model is retired.
 *
 * An EventBridge rule sends every `SageMaker Model Package State Change` of the group to a
 * {@link SecureFunction}, which reads the version's current state (DescribeModelPackage) and its
 * dataset manifest (`lineage:dataset-manifest`, checked against `lineage:dataset-manifest-sha256`
 * and `DatasetManifestSchema`):
 * - **Approved**: `PutObjectLegalHold ON` on every object version of the manifest (in
 *   `datasetBucket`, under `datasetsPrefix`, with a version id; anything else is refused and
 *   counted);
 * - **no longer approved** (retiring a model means rejecting its version; a version set back to
 *   pending counts too): `PutObjectLegalHold OFF` on its object versions that no other approved
 *   version of the group references (ListModelPackages, then their manifests), because a legal
 *   hold is one flag per object version, shared by every model trained on it.
 *
 * A legal hold has no expiry and blocks deletion and overwriting of that version until removed,
 * lifecycle expiration included; the bucket needs Object Lock activated but no default retention,
 * so every other version can still be erased on request. Failures count in `ML/LegalHold`
 * `HoldFailures`, approved packages without a manifest in `ApprovedWithoutManifest`; both alarms
 * and the function's error alarm notify `alerts`. Undeliverable events wait in the rule's
 * dead-letter queue.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-legal-holds
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLegalHold.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-model-package
 */
export class ModelDataLegalHold extends Construct {
  /** The function that places and releases holds. */
  public readonly function: SecureFunction;
  /** The rule that sends the group's state changes to the function. */
  public readonly rule: events.Rule;
  /** State changes EventBridge could not deliver to the function. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The function's permissions. */
  public readonly policy: iam.ManagedPolicy;
  /** Alarm: an object version could not be held or released, or a manifest was refused. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** Alarm: a version was approved without a dataset manifest, so its data is not protected. */
  public readonly missingManifestAlarm: cloudwatch.Alarm;
  /** Alarm: the function failed (holds may be missing until a retry succeeds). */
  public readonly errorAlarm: cloudwatch.Alarm;
  /** Prefix of the held object versions. */
  public readonly datasetsPrefix: string;
  /** Prefix of the dataset manifests. */
  public readonly manifestPrefix: string;
  private readonly groupName: string;

  constructor(scope: Construct, id: string, props: ModelDataLegalHoldProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    throwIfProblems(this, subnetProblems(p.vpc, p.vpcSubnets));
    requireAlertPublishers(this, p.alerts);
    this.groupName = p.registry.modelPackageGroupName;
    this.datasetsPrefix = p.datasetsPrefix ?? '';
    this.manifestPrefix = p.manifestPrefix ?? 'lineage/';

    this.function = new SecureFunction(this, 'Function', {
      handler: 'legal-hold',
      vpc: p.vpc,
      vpcSubnets: p.vpcSubnets,
      encryptionKey: p.encryptionKey,
      description:
        'Places S3 legal holds on the training data of approved model versions, releases them at retirement',
      // A release reads every approved version's manifest: minutes for a long-lived group.
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment: {
        [ENV.groupName]: this.groupName,
        [ENV.datasetBucket]: p.datasetBucket.bucketName,
        [ENV.datasetsPrefix]: this.datasetsPrefix,
        [ENV.manifestBucket]: p.manifestBucket.bucketName,
        [ENV.manifestPrefix]: this.manifestPrefix,
        [ENV.maxAttempts]: String(p.maxAttempts ?? 8),
      },
    });
    const role = this.function.role;

    const heldObjects = p.datasetBucket.bucket.arnForObjects(`${this.datasetsPrefix}*`);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Legal holds on the training data of ${this.groupName}'s approved versions`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadVersions',
          actions: ['sagemaker:DescribeModelPackage'],
          resources: [p.registry.modelPackageArnPattern],
        }),
        // The Service Authorization Reference gives ListModelPackages an (optional) model-package
        // resource type: scoped to this group and its versions, as ModelRegistry.grantApprove does.
        new iam.PolicyStatement({
          sid: 'ListVersions',
          actions: ['sagemaker:ListModelPackages'],
          resources: [p.registry.modelPackageGroupArn, p.registry.modelPackageArnPattern],
        }),
        // Setting and reading the hold flag only: no delete, no retention, no bypass.
        new iam.PolicyStatement({
          sid: 'LegalHolds',
          actions: ['s3:PutObjectLegalHold', 's3:GetObjectLegalHold'],
          resources: [heldObjects],
        }),
        new iam.PolicyStatement({
          sid: 'PublishHoldMetrics',
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
    acknowledge(this.policy, `AwsSolutions-IAM5[Resource::${flattenedArn(this, heldObjects)}]`, {
      reason:
        'the object versions to hold are named by each approved model version at run time; the role may only set and read their legal-hold flag',
      ...INHERENT,
    });

    p.manifestBucket.grantReadPrefix(role, this.manifestPrefix);
    acknowledgeIdentityPrefixGrant(
      role,
      p.manifestBucket,
      this.manifestPrefix,
      'the pipeline writes one dataset manifest per execution under the manifest prefix',
    );

    ({ rule: this.rule, deadLetterQueue: this.deadLetterQueue } = modelPackageStateChanges(
      this,
      'StateChanges',
      {
        groupName: this.groupName,
        description: `Approval changes of ${this.groupName} versions: legal holds placed or released`,
        handler: this.function.function,
        encryptionKey: p.encryptionKey,
      },
    ));

    const group = `model package group ${this.groupName}`;
    const alarmOf = (metric: cloudwatch.Metric, alarmId: string, description: string) =>
      metric.createAlarm(this, alarmId, {
        alarmDescription: description,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // No state change in a period is no news.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.failureAlarm = alarmOf(
      this.metricHoldFailures(),
      'FailureAlarm',
      `Legal holds of ${group}: an object version could not be held or released, or a manifest was refused (see the function's logs)`,
    );
    this.missingManifestAlarm = alarmOf(
      this.metricApprovedWithoutManifest(),
      'MissingManifestAlarm',
      `Legal holds of ${group}: a version was approved without lineage:dataset-manifest, so its training data is not held`,
    );
    this.errorAlarm = alarmOf(
      this.function.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      'ErrorAlarm',
      `Legal holds of ${group}: the function failed, holds may be missing until a retry succeeds (see its dead-letter queues)`,
    );
    for (const alarm of [this.failureAlarm, this.missingManifestAlarm, this.errorAlarm])
      p.alerts.notify(alarm);
  }

  /** A metric in `ML/LegalHold` with this group's dimension. */
  public metric(metricName: string, options: LegalHoldMetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { [DIMENSIONS.modelPackageGroupName]: this.groupName },
      period: options.period ?? Duration.minutes(5),
      statistic: options.statistic ?? cloudwatch.Stats.SUM,
    });
  }

  /** Object versions set to ON (Sum over 5 minutes). */
  public metricHoldsPlaced(options?: LegalHoldMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.holdsPlaced, options);
  }

  /** Object versions set to OFF (Sum over 5 minutes). */
  public metricHoldsReleased(options?: LegalHoldMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.holdsReleased, options);
  }

  /** Object versions or manifests that could not be held, and malformed events (Sum over 5 minutes). */
  public metricHoldFailures(options?: LegalHoldMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.holdFailures, options);
  }

  /** Approved versions without a dataset manifest (Sum over 5 minutes). */
  public metricApprovedWithoutManifest(options?: LegalHoldMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.approvedWithoutManifest, options);
  }
}
