import { Duration, Lazy, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ScopedRole } from '../core/scoped-role';
import {
  describeValue,
  durationBetween,
  PropsProblem,
  refs,
  retentionDays,
  throwIfProblems,
  tokenOr,
  validateProps,
} from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { requireKeyServiceAccess } from '../encryption/service-access';
import { AlertTopic, IAlertDestination, requireAlertPublishers } from '../monitoring/alert-topic';
import { ISecureBucket, SecureBucket } from '../storage/secure-bucket';
import {
  AUDIT_METRIC_NAMESPACE,
  MAX_SELECTOR_VALUES,
  SENSITIVE_EVENTS,
  SensitiveEventName,
} from './defaults';
import { LOG_DELIVERY_ACTIONS } from './perms';

/**
 * A SageMaker feature group whose record reads and writes the trail records, e.g. a
 * `SecureFeatureGroup` or `{ featureGroupArn: cfnFeatureGroup.attrFeatureGroupArn }`.
 */
export interface AuditedFeatureGroup {
  /** The feature group ARN. */
  readonly featureGroupArn: string;
}

/**
 * A resource whose data events the trail records: a bucket (`SecureBucket`, `TieredDatasetBucket`,
 * or one of yours through `SecureBucket.fromBucketAttributes`) or a feature group.
 */
export type AuditedResource = ISecureBucket | AuditedFeatureGroup;

/** Props for {@link AuditTrail}. */
export interface AuditTrailProps {
  /**
   * The customer-managed key for log files, the bucket and the log group. Its key policy must let
   * CloudTrail (describe, generate data keys, decrypt for the bucket key) and CloudWatch Logs use
   * it, as the `audit` key of `EncryptionKeys` does: another domain key is a validation error, an
   * L2 `kms.Key` of the app gets the statements, an imported key is trusted (see
   * constructs/encryption/README.md for the statements).
   * @default - a dedicated `audit` key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Where the sensitive-event alarms notify (ALARM and OK): the platform's `AlertTopic`, or any
   * topic through `AlertTopic.fromTopic(topic)`. A key it names must let CloudWatch publish
   * (`alert-publishers`): a domain key without it is a validation error, an app `kms.Key` gets it.
   * @default - a new AlertTopic
   */
  readonly alerts?: IAlertDestination;
  /**
   * The trail name (3-128 characters: letters, digits, `.`, `_`, `-`).
   * @default - a name unique to this construct's path
   */
  readonly trailName?: string;
  /**
   * Object Lock mode of the log bucket. `COMPLIANCE` lets no one, not even the account root,
   * delete or shorten the retention of a log file; `GOVERNANCE` lets principals with
   * `s3:BypassGovernanceRetention` do so, for non-production accounts.
   * @default 'COMPLIANCE'
   */
  readonly objectLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
  /**
   * How long each log file is write-once-read-many (1 day to 100 years).
   * @default Duration.days(365)
   */
  readonly objectLockRetention?: Duration;
  /**
   * When log files expire from the bucket; at least `objectLockRetention`.
   * @default Duration.days(2555) (seven years)
   */
  readonly logFileRetention?: Duration;
  /**
   * How long the CloudWatch Logs copy of the events is kept (alarms read it; the bucket is the record).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logGroupRetention?: logs.RetentionDays;
  /**
   * Where the log bucket's server access logs go: a log target, which SecureBucket requires to be
   * SSE-S3 (as `AccessLogBucket` is), so a plain `s3.IBucket` rather than an `ISecureBucket`.
   * @default - the stack's shared access-log bucket
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * Buckets whose object-level reads and writes the trail records (datasets, features, models,
   * captures). More can be added with {@link AuditTrail.addDataEvents}.
   * @default - none
   */
  readonly dataEventBuckets?: ISecureBucket[];
  /**
   * Feature groups whose record reads and writes (`GetRecord`, `BatchGetRecord`, `PutRecord`,
   * `DeleteRecord`) the trail records.
   * @default - none
   */
  readonly dataEventFeatureGroups?: AuditedFeatureGroup[];
  /**
   * Denied API calls within five minutes that raise the `UnauthorizedApiCalls` alarm.
   * @default 5
   */
  readonly unauthorizedApiCallsThreshold?: number;
}

const TRAIL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,126}[a-zA-Z0-9]$/;
const FEATURE_GROUP_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:feature-group\/[a-zA-Z0-9-]{1,64}$/;

const featureGroupRef = z
  .custom<AuditedFeatureGroup>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as { featureGroupArn?: unknown }).featureGroupArn === 'string',
    { params: { expected: 'an object with a featureGroupArn' }, message: 'is not a feature group' },
  )
  .superRefine((v, ctx) => {
    if (!Token.isUnresolved(v.featureGroupArn) && !FEATURE_GROUP_ARN.test(v.featureGroupArn)) {
      ctx.addIssue({
        code: 'custom',
        message: 'is not a feature group ARN',
        path: ['featureGroupArn'],
        input: v.featureGroupArn,
        params: { expected: 'arn:<partition>:sagemaker:<region>:<account>:feature-group/<name>' },
      });
    }
  });

function isSecureBucket(v: unknown): v is ISecureBucket {
  return (
    Construct.isConstruct(v) &&
    Construct.isConstruct((v as Partial<ISecureBucket>).bucket) &&
    typeof (v as Partial<ISecureBucket>).bucketArn === 'string' &&
    typeof (v as Partial<ISecureBucket>).grantReadPrefix === 'function'
  );
}

const schema = z.strictObject({
  encryptionKey: refs.key.optional(),
  alerts: refs.alerts.optional(),
  trailName: tokenOr(z.string().regex(TRAIL_NAME)).optional(),
  objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).optional(),
  objectLockRetention: durationBetween(Duration.days(1), Duration.days(36500), {
    unit: 'days',
    literal: true,
  }).optional(),
  logFileRetention: durationBetween(Duration.days(1), Duration.days(36500), { unit: 'days' }).optional(),
  logGroupRetention: retentionDays().optional(),
  accessLogsBucket: refs.bucket.optional(),
  dataEventBuckets: z.array(refs.secureBucket).optional(),
  dataEventFeatureGroups: z.array(featureGroupRef).optional(),
  unauthorizedApiCallsThreshold: z.number().int().min(1).optional(),
});

/**
 * The platform's audit trail: who touched which data, model and key, kept where no one can alter it.
 *
 * A multi-region CloudTrail trail with global service events and log file validation, encrypted
 * with a customer-managed key, delivering to an S3 bucket with Object Lock (compliance mode, one
 * year, by default), server access logs, replication and a bucket policy that admits only this
 * trail (`aws:SourceArn`), and to a KMS-encrypted CloudWatch Logs log group with a retention
 * period. It records every management event, and data events (object reads and writes, feature
 * group record reads and writes) through advanced event selectors scoped to the ARNs of the
 * platform's buckets and feature groups. Metric filters and alarms to the alert topic catch keys
 * being disabled or scheduled for deletion, key policy changes, grants created by principals rather
 * than by AWS services, model approval changes, bucket policy, trail and IAM policy changes, and
 * denied API calls.
 *
 * CloudTrail does not record `InvokeEndpoint`: the per-prediction record is the inference API's
 * access log and the endpoint's data capture, which share one request id (see README).
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
export class AuditTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.CfnTrail;
  /** The trail name. */
  public readonly trailName: string;
  /** The trail ARN (in the stack's region). */
  public readonly trailArn: string;
  /** The key that encrypts log files, the bucket and the log group. */
  public readonly encryptionKey: kms.IKey;
  /** The Object Lock bucket that holds the log files. */
  public readonly bucket: SecureBucket;
  /** The CloudWatch Logs copy of the events, read by the metric filters. */
  public readonly logGroup: logs.LogGroup;
  /** The role CloudTrail assumes to write to the log group. */
  public readonly logsRole: ScopedRole;
  /** Where the alarms notify: the `alerts` given, or an AlertTopic of its own. */
  public readonly alerts: IAlertDestination;
  /** One metric filter per sensitive event class. */
  public readonly metricFilters: Readonly<Record<SensitiveEventName, logs.MetricFilter>>;
  /** One alarm per sensitive event class. */
  public readonly alarms: Readonly<Record<SensitiveEventName, cloudwatch.Alarm>>;

  private readonly bucketArns: string[] = [];
  private readonly featureGroupArns: string[] = [];

  constructor(scope: Construct, id: string, props: AuditTrailProps = {}) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const lockRetention = p.objectLockRetention ?? Duration.days(365);
    const fileRetention = p.logFileRetention ?? Duration.days(2555);
    const problems: PropsProblem[] = [];
    if (
      !lockRetention.isUnresolved() &&
      !fileRetention.isUnresolved() &&
      fileRetention.toDays() < lockRetention.toDays()
    ) {
      problems.push({
        field: 'logFileRetention',
        problem: 'is shorter than the object lock retention',
        got: describeValue(fileRetention),
        expected: `at least objectLockRetention (${lockRetention.toDays()} days)`,
      });
    }
    throwIfProblems(this, problems);
    // CloudWatch publishes the alarms to the topic: its key must let it (an AlertTopic's does).
    if (p.alerts) requireAlertPublishers(this, p.alerts);

    const stack = Stack.of(this);
    this.encryptionKey = p.encryptionKey ?? createDomainKey(this, 'Key', 'audit');
    requireKeyServiceAccess(this, 'encryptionKey', this.encryptionKey, ['cloudtrail', 'logs']);
    this.trailName = p.trailName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    // Built from the name rather than read from the trail: the bucket policy and the role's trust
    // policy must exist before the trail, which CloudTrail validates on creation.
    this.trailArn = stack.formatArn({
      service: 'cloudtrail',
      resource: 'trail',
      resourceName: this.trailName,
    });

    this.bucket = new SecureBucket(this, 'Bucket', {
      encryptionKey: this.encryptionKey,
      accessLogsBucket: p.accessLogsBucket,
      objectLock: { mode: p.objectLockMode ?? 'COMPLIANCE', retention: lockRetention },
      lifecycleRules: [{ id: 'expire-log-files', expiration: fileRetention }],
      // Digest files are SSE-S3 whatever the trail's key: CloudTrail alone may write them, there only.
      // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
      sseS3ServiceWrites: [
        {
          servicePrincipal: 'cloudtrail.amazonaws.com',
          prefix: `AWSLogs/${stack.account}/CloudTrail-Digest/`,
        },
      ],
    });
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const fromThisTrail = { 'aws:SourceArn': this.trailArn };
    this.bucket.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailAclCheck',
        principals: [cloudTrail],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: fromThisTrail },
      }),
    );
    this.bucket.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWrite',
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        resources: [this.bucket.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
        conditions: { StringEquals: { ...fromThisTrail, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: this.encryptionKey,
      retention: p.logGroupRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logsRole = new ScopedRole(this, 'LogsRole', {
      assumedBy: cloudTrail.withConditions({ StringEquals: fromThisTrail }),
      description: `CloudTrail delivery of ${this.trailName} to CloudWatch Logs`,
    });
    this.logsRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeliverTrailEvents',
        actions: [...LOG_DELIVERY_ACTIONS],
        // The log group ARN attribute ends in `:*`, which covers CloudTrail's per-region streams.
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: this.trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      s3BucketName: this.bucket.bucketName,
      kmsKeyId: this.encryptionKey.keyArn,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: this.logsRole.roleArn,
      advancedEventSelectors: Lazy.any({ produce: () => this.renderSelectors() }),
    });
    if (this.bucket.bucket.policy) this.trail.node.addDependency(this.bucket.bucket.policy);
    this.trail.node.addDependency(this.logsRole.policy);
    this.node.addValidation({ validate: () => this.validateSelectors() });

    this.alerts = p.alerts ?? new AlertTopic(this, 'Alerts');
    const filters: Partial<Record<SensitiveEventName, logs.MetricFilter>> = {};
    const alarms: Partial<Record<SensitiveEventName, cloudwatch.Alarm>> = {};
    for (const [name, event] of Object.entries(SENSITIVE_EVENTS) as [
      SensitiveEventName,
      (typeof SENSITIVE_EVENTS)[SensitiveEventName],
    ][]) {
      const filter = new logs.MetricFilter(this, `${name}Filter`, {
        logGroup: this.logGroup,
        filterPattern: logs.FilterPattern.literal(event.pattern),
        metricNamespace: AUDIT_METRIC_NAMESPACE,
        metricName: name,
        metricValue: '1',
      });
      const alarm = new cloudwatch.Alarm(this, `${name}Alarm`, {
        metric: this.metricSensitiveEvent(name),
        threshold: name === 'UnauthorizedApiCalls' ? (p.unauthorizedApiCallsThreshold ?? 5) : 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${event.description} (trail ${this.trailName})`,
      });
      this.alerts.notify(alarm);
      filters[name] = filter;
      alarms[name] = alarm;
    }
    this.metricFilters = filters as Record<SensitiveEventName, logs.MetricFilter>;
    this.alarms = alarms as Record<SensitiveEventName, cloudwatch.Alarm>;

    for (const b of p.dataEventBuckets ?? []) this.addDataEvents(b);
    for (const g of p.dataEventFeatureGroups ?? []) this.addDataEvents(g);
  }

  /**
   * Records the data events of one more resource: object-level reads and writes of a bucket,
   * or record reads and writes of a feature group. Adding the same ARN twice records it once.
   *
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/filtering-data-events.html
   */
  public addDataEvents(resource: AuditedResource): void {
    const candidate: unknown = resource;
    if (isFeatureGroup(candidate)) {
      const parsed = featureGroupRef.safeParse(candidate, { reportInput: true });
      if (!parsed.success) {
        throwIfProblems(this, [
          {
            field: 'addDataEvents.resource.featureGroupArn',
            problem: 'is not a feature group ARN',
            got: describeValue(candidate.featureGroupArn),
            expected: 'arn:<partition>:sagemaker:<region>:<account>:feature-group/<name>',
          },
        ]);
      }
      pushOnce(this.featureGroupArns, candidate.featureGroupArn);
      return;
    }
    if (isSecureBucket(candidate)) {
      pushOnce(this.bucketArns, `${candidate.bucketArn}/`);
      return;
    }
    throwIfProblems(this, [
      {
        field: 'addDataEvents.resource',
        problem: 'is neither a bucket nor a feature group',
        got: describeValue(candidate),
        expected: 'an ISecureBucket or an object with a featureGroupArn',
      },
    ]);
  }

  /**
   * The number of sensitive events of one class, from the trail's metric filter.
   * @default - sum over 5 minutes
   */
  public metricSensitiveEvent(
    name: SensitiveEventName,
    options: cloudwatch.MetricOptions = {},
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: AUDIT_METRIC_NAMESPACE,
      metricName: name,
      statistic: 'Sum',
      period: Duration.minutes(5),
      ...options,
    });
  }

  /**
   * Lets a principal (an investigator, an Athena workgroup role) read the log files, through the
   * bucket policy, and decrypt them with the trail's key.
   */
  public grantReadLogFiles(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantReadPrefix(grantee, 'AWSLogs/');
  }

  /** The number of values the advanced event selectors hold, against CloudTrail's quota of 500. */
  public get selectorValueCount(): number {
    return countValues(this.renderSelectors());
  }

  private renderSelectors(): cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] {
    const selectors: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] = [
      { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] },
    ];
    if (this.bucketArns.length > 0) {
      selectors.push({
        name: 'Object reads and writes of the platform buckets',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
          { field: 'resources.ARN', startsWith: [...this.bucketArns] },
        ],
      });
    }
    if (this.featureGroupArns.length > 0) {
      selectors.push({
        name: 'Record reads and writes of the platform feature groups',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::SageMaker::FeatureGroup'] },
          { field: 'resources.ARN', startsWith: [...this.featureGroupArns] },
        ],
      });
    }
    return selectors;
  }

  private validateSelectors(): string[] {
    const count = this.selectorValueCount;
    if (count <= MAX_SELECTOR_VALUES) return [];
    return [
      `${this.node.path}: dataEvents: has too many selector values (got ${count}; expected <= ${MAX_SELECTOR_VALUES}, CloudTrail's quota per trail)`,
    ];
  }
}

function isFeatureGroup(value: unknown): value is AuditedFeatureGroup {
  return typeof value === 'object' && value !== null && 'featureGroupArn' in value;
}

/** Token-encoded ARNs are stable strings per token, so one comparison dedupes both kinds. */
function pushOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function countValues(selectors: readonly cloudtrail.CfnTrail.AdvancedEventSelectorProperty[]): number {
  let n = 0;
  for (const s of selectors) {
    for (const f of s.fieldSelectors as cloudtrail.CfnTrail.AdvancedFieldSelectorProperty[]) {
      n += (f.equalTo?.length ?? 0) + (f.startsWith?.length ?? 0) + (f.notEquals?.length ?? 0);
      n += (f.notStartsWith?.length ?? 0) + (f.endsWith?.length ?? 0) + (f.notEndsWith?.length ?? 0);
    }
  }
  return n;
}
