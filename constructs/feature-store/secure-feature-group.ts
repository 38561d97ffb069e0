import {
  Arn,
  ArnFormat,
  AspectPriority,
  Aspects,
  Duration,
  IAspect,
  IResource,
  Resource,
  Stack,
  Tags,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ScopedRole } from '../core/scoped-role';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { markTaggedAtCreationOnly } from '../core/tags';
import {
  describeValue,
  durationBetween,
  PropsProblem,
  refs,
  throwIfProblems,
  validateProps,
} from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { grantKey } from '../encryption/encryption-keys';
import { AlertTopic } from '../monitoring/alert-topic';
import { BUCKET_LIST_ACTIONS, OBJECT_READ_ACTIONS } from '../storage/perms';
import { SecureBucket } from '../storage/secure-bucket';
import {
  ABSOLUTE_MAX_ACCESS_WINDOW,
  DATA_CATALOG,
  DEFAULT_FRESHNESS_WINDOW,
  DEFAULT_MAX_ACCESS_WINDOW,
  featureGroupDescriptionFor,
  freshnessAlarmShape,
  glueDatabaseNameFor,
  glueNameFor,
  MAX_FEATURE_GROUP_NAME_LENGTH,
  offlineStorePrefixFor,
  storageSuffixFor,
  ttlDurationFor,
} from './defaults';
import { ContractFeature, FeatureContract } from './feature-contract';
import {
  ATHENA_QUERY_ACTIONS,
  DESCRIBE_ACTIONS,
  GLUE_OFFLINE_STORE_ACTIONS,
  GLUE_READ_ACTIONS,
  OFFLINE_KEY_READ_ACTIONS,
  OFFLINE_STORE_BUCKET_ACTIONS,
  OFFLINE_STORE_OBJECT_ACL_ACTIONS,
  ONLINE_KEY_ACTIONS,
  ONLINE_READ_ACTIONS,
  RECORD_WRITE_ACTIONS,
} from './perms';

/** The Feature Store runtime operations whose metrics carry a `FeatureGroupName` dimension. */
export type FeatureStoreOperation = 'PutRecord' | 'GetRecord' | 'DeleteRecord';

/** Options for the `metric*` helpers. */
export interface FeatureGroupMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The runtime operation (`OperationName` dimension).
   * @default 'PutRecord' ('GetRecord' for read-unit metrics)
   */
  readonly operation?: FeatureStoreOperation;
}

/** A SageMaker feature group: its name, ARN, grants and metrics. */
export interface ISecureFeatureGroup extends IResource {
  /** The feature group name. */
  readonly featureGroupName: string;
  /** The feature group ARN. */
  readonly featureGroupArn: string;
  /** The online store key, when known. */
  readonly encryptionKey?: kms.IKey;
  /** Lets a principal read the latest records from the online store (and decrypt them). */
  grantReadOnline(grantee: iam.IGrantable): iam.Grant;
  /** Lets a principal put and delete records. */
  grantWriteRecords(grantee: iam.IGrantable): iam.Grant;
  /** Any Feature Store runtime metric of this group (namespace `AWS/SageMaker`). Default: Sum over 5 minutes. */
  metric(metricName: string, options?: FeatureGroupMetricOptions): cloudwatch.Metric;
  /** Requests to an operation. Default: Sum over 5 minutes, `PutRecord`. */
  metricInvocations(options?: FeatureGroupMetricOptions): cloudwatch.Metric;
  /** Requests answered with a 4xx code. Default: Sum over 5 minutes, `PutRecord`. */
  metricOperation4XXErrors(options?: FeatureGroupMetricOptions): cloudwatch.Metric;
  /** Requests answered with a 5xx code. Default: Sum over 5 minutes, `PutRecord`. */
  metricOperation5XXErrors(options?: FeatureGroupMetricOptions): cloudwatch.Metric;
  /** Throttled requests. Default: Sum over 5 minutes, `PutRecord`. */
  metricThrottledRequests(options?: FeatureGroupMetricOptions): cloudwatch.Metric;
  /** Processing time in microseconds. Default: Average over 5 minutes, `PutRecord`. */
  metricLatency(options?: FeatureGroupMetricOptions): cloudwatch.Metric;
  /** On-demand write units consumed. Default: Sum over 5 minutes, `PutRecord`. */
  metricConsumedWriteRequestsUnits(options?: FeatureGroupMetricOptions): cloudwatch.Metric;
  /** On-demand read units consumed. Default: Sum over 5 minutes, `GetRecord`. */
  metricConsumedReadRequestsUnits(options?: FeatureGroupMetricOptions): cloudwatch.Metric;
  /**
   * Successful `PutRecord` calls: invocations less 4xx and 5xx errors (metric math; Feature Store
   * publishes no success count). Default: Sum over 5 minutes.
   */
  metricPutRecordSuccesses(options?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression;
}

/** Attributes of an existing feature group, for {@link SecureFeatureGroup.fromFeatureGroupAttributes}. */
export interface SecureFeatureGroupAttributes {
  /** The feature group name. */
  readonly featureGroupName: string;
  /**
   * The online store key, so that grants include `kms:Decrypt` on it.
   * @default - grants carry no KMS permission; grant the key separately
   */
  readonly encryptionKey?: kms.IKey;
}

const DEFAULT_PERIOD = Duration.minutes(5);

/** One Feature Store runtime metric of a group (namespace `AWS/SageMaker`). Default: Sum over 5 minutes, `PutRecord`. */
function groupMetric(
  featureGroupName: string,
  metricName: string,
  options: FeatureGroupMetricOptions = {},
): cloudwatch.Metric {
  const { operation, ...rest } = options;
  return new cloudwatch.Metric({
    namespace: 'AWS/SageMaker',
    metricName,
    dimensionsMap: { FeatureGroupName: featureGroupName, OperationName: operation ?? 'PutRecord' },
    statistic: cloudwatch.Stats.SUM,
    period: DEFAULT_PERIOD,
    ...rest,
  });
}

/** Successful `PutRecord` calls of a group: invocations less 4xx and 5xx errors. */
function putRecordSuccesses(
  featureGroupName: string,
  options: cloudwatch.MathExpressionOptions = {},
): cloudwatch.MathExpression {
  const period = options.period ?? DEFAULT_PERIOD;
  return new cloudwatch.MathExpression({
    // FILL: error metrics may be absent in a period with invocations; no invocations leaves no data at all.
    expression: 'invocations - FILL(clienterrors, 0) - FILL(servererrors, 0)',
    usingMetrics: {
      invocations: groupMetric(featureGroupName, 'Invocations', { period }),
      clienterrors: groupMetric(featureGroupName, 'Operation4XXErrors', { period }),
      servererrors: groupMetric(featureGroupName, 'Operation5XXErrors', { period }),
    },
    label: `${featureGroupName} successful PutRecord calls`,
    ...options,
    period,
  });
}

/** Metrics of one feature group; the base of the standard group, the restricted group and imports. */
abstract class FeatureGroupMetricsBase extends Resource {
  public abstract readonly featureGroupName: string;

  public metric(metricName: string, options?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return groupMetric(this.featureGroupName, metricName, options);
  }

  public metricInvocations(options?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', options);
  }

  public metricOperation4XXErrors(options?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('Operation4XXErrors', options);
  }

  public metricOperation5XXErrors(options?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('Operation5XXErrors', options);
  }

  public metricThrottledRequests(options?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('ThrottledRequests', options);
  }

  public metricLatency(options?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('Latency', { statistic: cloudwatch.Stats.AVERAGE, ...options });
  }

  public metricConsumedWriteRequestsUnits(options?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('ConsumedWriteRequestsUnits', options);
  }

  public metricConsumedReadRequestsUnits(options?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('ConsumedReadRequestsUnits', { operation: 'GetRecord', ...options });
  }

  public metricPutRecordSuccesses(options?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return putRecordSuccesses(this.featureGroupName, options);
  }
}

/** Grants shared by the standard group and imports. */
abstract class FeatureGroupBase extends FeatureGroupMetricsBase implements ISecureFeatureGroup {
  public abstract readonly featureGroupArn: string;
  public abstract readonly encryptionKey?: kms.IKey;

  public grantReadOnline(grantee: iam.IGrantable): iam.Grant {
    if (this.encryptionKey) grantKey(this.encryptionKey, grantee, ONLINE_KEY_ACTIONS);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ONLINE_READ_ACTIONS,
      resourceArns: [this.featureGroupArn],
    });
  }

  public grantWriteRecords(grantee: iam.IGrantable): iam.Grant {
    if (this.encryptionKey) grantKey(this.encryptionKey, grantee, ONLINE_KEY_ACTIONS);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: RECORD_WRITE_ACTIONS,
      resourceArns: [this.featureGroupArn],
    });
  }
}

class ImportedFeatureGroup extends FeatureGroupBase {
  public readonly featureGroupName: string;
  public readonly featureGroupArn: string;
  public readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, name: string, arn: string, key?: kms.IKey) {
    super(scope, id);
    this.featureGroupName = name;
    this.featureGroupArn = arn;
    this.encryptionKey = key;
  }
}

/** The online store's storage tier. */
export type OnlineStorageType = 'Standard' | 'InMemory';

/** The offline store's table format. */
export type OfflineTableFormat = 'Iceberg' | 'Glue';

/** How the online store is billed: per request, or per provisioned capacity unit. */
export type ThroughputMode = 'OnDemand' | 'Provisioned';

/** Props for {@link SecureFeatureGroup}. */
export interface SecureFeatureGroupProps {
  /** The feature contract: features, types, owners, PII classes and version. */
  readonly contract: FeatureContract;
  /**
   * Where the freshness alarms go: the platform's {@link AlertTopic} (ALARM and OK) or any topic (ALARM).
   */
  readonly alerts: AlertTopic | sns.ITopic;
  /**
   * The customer-managed key of the online stores, and of the offline store bucket when this
   * construct creates it. An offline store bucket you pass keeps its own key: its policy rejects
   * objects under any other key, so the offline store always uses the bucket's key.
   * @default - the offline store bucket's key when one is given, else a new `data` key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The bucket of the offline store.
   * @default - a new SecureBucket encrypted with `encryptionKey`
   */
  readonly offlineStoreBucket?: SecureBucket;
  /**
   * The key prefix under which each feature group gets its own prefix (`<prefix><group name>/`).
   * @default 'feature-store/'
   */
  readonly offlineStorePrefix?: string;
  /**
   * Whether the groups have an online store (low-latency reads of the latest record).
   * @default true
   */
  readonly onlineStore?: boolean;
  /**
   * The online store tier. `InMemory` has no offline store replication, so it needs `offlineStore: false`.
   * @default 'Standard'
   */
  readonly onlineStorageType?: OnlineStorageType;
  /**
   * How long a record stays in the online store after its event time before it is hard-deleted.
   * Like every storage setting other than the default, it adds a suffix to the group names:
   * CloudFormation sets it only at creation, so a change creates new groups (the online records
   * of the old ones are lost; their offline data stays).
   * @default - records never expire
   */
  readonly onlineTtl?: Duration;
  /**
   * Whether the groups have an offline store (the full history in S3, catalogued in Glue).
   * @default true
   */
  readonly offlineStore?: boolean;
  /**
   * The offline store table format. Iceberg compacts small files and needs a `String` event time.
   * @default 'Iceberg'
   */
  readonly tableFormat?: OfflineTableFormat;
  /**
   * The online store throughput mode.
   * @default 'OnDemand'
   */
  readonly throughputMode?: ThroughputMode;
  /**
   * Provisioned read capacity units (with `throughputMode: 'Provisioned'` only).
   * @default - none (required with Provisioned)
   */
  readonly provisionedReadCapacityUnits?: number;
  /**
   * Provisioned write capacity units (with `throughputMode: 'Provisioned'` only).
   * @default - none (required with Provisioned)
   */
  readonly provisionedWriteCapacityUnits?: number;
  /**
   * How long a group may go without a successful `PutRecord` before its freshness alarm fires
   * (5 minutes to 7 days; whole minutes up to a day, whole hours beyond).
   * @default Duration.hours(24)
   */
  readonly freshnessWindow?: Duration;
  /**
   * The longest window {@link SecureFeatureGroup.grantTimeBoundAccess} may grant (at most 7 days).
   * @default Duration.hours(8)
   */
  readonly maxAccessWindow?: Duration;
  /**
   * The Athena workgroup in which {@link SecureFeatureGroup.grantReadOffline} lets principals query.
   * @default 'primary'
   */
  readonly athenaWorkGroup?: string;
}

const alertsRef = z.custom<AlertTopic | sns.ITopic>(
  (v) => v instanceof AlertTopic || (Construct.isConstruct(v) && 'topicArn' in v && 'grantPublish' in v),
  { params: { expected: 'an AlertTopic or sns.ITopic' }, message: 'is not an AlertTopic or sns.ITopic' },
);

const schema = z.strictObject({
  contract: z.custom<FeatureContract>((v) => FeatureContract.isFeatureContract(v), {
    params: { expected: 'a FeatureContract (FeatureContract.define(...))' },
    message: 'is not a FeatureContract',
  }),
  alerts: alertsRef,
  encryptionKey: refs.key.optional(),
  offlineStoreBucket: z
    .custom<SecureBucket>((v) => v instanceof SecureBucket, {
      params: { expected: 'a SecureBucket' },
      message: 'is not a SecureBucket',
    })
    .optional(),
  offlineStorePrefix: z
    .string()
    .max(200)
    .regex(/^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)*\/$/)
    .optional(),
  onlineStore: z.boolean().optional(),
  onlineStorageType: z.enum(['Standard', 'InMemory']).optional(),
  onlineTtl: durationBetween(Duration.minutes(1), Duration.days(365 * 10), {
    unit: 'seconds',
    literal: true,
  }).optional(),
  offlineStore: z.boolean().optional(),
  tableFormat: z.enum(['Iceberg', 'Glue']).optional(),
  throughputMode: z.enum(['OnDemand', 'Provisioned']).optional(),
  provisionedReadCapacityUnits: z.number().int().min(1).max(10_000_000).optional(),
  provisionedWriteCapacityUnits: z.number().int().min(1).max(10_000_000).optional(),
  freshnessWindow: durationBetween(Duration.minutes(5), Duration.days(7), {
    unit: 'seconds',
    literal: true,
  }).optional(),
  maxAccessWindow: durationBetween(Duration.minutes(15), ABSOLUTE_MAX_ACCESS_WINDOW, {
    unit: 'seconds',
    literal: true,
  }).optional(),
  athenaWorkGroup: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,128}$/)
    .optional(),
});

type Parsed = z.output<typeof schema>;

function crossFieldProblems(p: Parsed): PropsProblem[] {
  const problems: PropsProblem[] = [];
  const online = p.onlineStore ?? true;
  const offline = p.offlineStore ?? true;
  const storage = p.onlineStorageType ?? 'Standard';
  const mode = p.throughputMode ?? 'OnDemand';
  if (!online && !offline) {
    problems.push({
      field: 'offlineStore',
      problem: 'leaves the feature group with no store',
      got: 'false (and onlineStore: false)',
      expected: 'at least one store',
    });
  }
  if (online && offline && storage === 'InMemory') {
    problems.push({
      field: 'onlineStorageType',
      problem: 'InMemory online stores do not replicate to an offline store',
      got: '"InMemory" with offlineStore: true',
      expected: '"Standard", or offlineStore: false',
    });
  }
  if (!online) {
    for (const field of ['onlineStorageType', 'onlineTtl'] as const) {
      if (p[field] !== undefined)
        problems.push({
          field,
          problem: 'is set without an online store',
          got: describeValue(p[field]),
          expected: 'onlineStore: true',
        });
    }
  }
  if (!offline) {
    for (const field of ['tableFormat', 'offlineStoreBucket', 'offlineStorePrefix'] as const) {
      if (p[field] !== undefined)
        problems.push({
          field,
          problem: 'is set without an offline store',
          got: describeValue(p[field]),
          expected: 'offlineStore: true',
        });
    }
  }
  for (const field of ['provisionedReadCapacityUnits', 'provisionedWriteCapacityUnits'] as const) {
    if (mode === 'Provisioned' && p[field] === undefined) {
      problems.push({
        field,
        problem: 'is required in Provisioned throughput mode',
        got: 'undefined',
        expected: 'an integer >= 1',
      });
    }
    if (mode === 'OnDemand' && p[field] !== undefined) {
      problems.push({
        field,
        problem: 'is only used in Provisioned throughput mode',
        got: describeValue(p[field]),
        expected: "throughputMode: 'Provisioned'",
      });
    }
  }
  if (mode === 'Provisioned' && (!online || storage !== 'Standard')) {
    problems.push({
      field: 'throughputMode',
      problem: 'Provisioned throughput needs a Standard online store',
      got: '"Provisioned"',
      expected: '"OnDemand"',
    });
  }
  const eventTime = p.contract.feature(p.contract.eventTime);
  if (offline && (p.tableFormat ?? 'Iceberg') === 'Iceberg' && eventTime?.type !== 'String') {
    problems.push({
      field: 'tableFormat',
      problem: 'Iceberg offline stores need a String event time',
      got: `"Iceberg" with ${p.contract.eventTime}: ${eventTime?.type}`,
      expected: "a String event time in the contract, or tableFormat: 'Glue'",
    });
  }
  if (p.freshnessWindow && !p.freshnessWindow.isUnresolved()) {
    const s = p.freshnessWindow.toSeconds();
    const unit = s <= 86400 ? 60 : 3600;
    if (s % unit !== 0) {
      problems.push({
        field: 'freshnessWindow',
        problem: 'is not a whole number of alarm periods',
        got: p.freshnessWindow.toString(),
        expected: unit === 60 ? 'whole minutes up to a day' : 'whole hours beyond a day',
      });
    }
  }
  return problems;
}

/** Options for {@link SecureFeatureGroup.grantTimeBoundAccess}. */
export interface TimeBoundAccessOptions {
  /** When the access ends; IAM denies it from then on (`aws:CurrentTime` `DateLessThan`). */
  readonly until: Date;
  /**
   * The time the window is measured from, for validation (`until` must be after it and within `maxAccessWindow`).
   * @default new Date() (synthesis time)
   */
  readonly now?: Date;
}

/** What one feature group (standard or restricted) is made of. */
interface GroupParts {
  readonly resource: sagemaker.CfnFeatureGroup;
  readonly featureGroupName: string;
  readonly featureGroupArn: string;
  readonly offlineStoreRole?: ScopedRole;
  readonly offlineStorePrefix?: string;
  readonly glueTableName?: string;
  readonly freshnessAlarm: cloudwatch.Alarm;
}

/**
 * Settings the standard and restricted groups share, resolved once by {@link SecureFeatureGroup}.
 * @internal
 */
export interface SharedSettings {
  readonly contract: FeatureContract;
  readonly props: Parsed;
  readonly onlineKey?: kms.IKey;
  readonly bucket?: SecureBucket;
  readonly database?: glue.CfnDatabase;
  readonly databaseName?: string;
  readonly prefixBase: string;
  /** The standard and restricted group names (the contract's names plus the storage suffix). */
  readonly names: { readonly standard: string; readonly restricted: string };
}

/**
 * The restricted feature group of a {@link SecureFeatureGroup}: the contract's `pii` and
 * `sensitive` features, with the record identifier and event time. It has no standing read grant:
 * access goes through {@link SecureFeatureGroup.grantTimeBoundAccess}.
 */
export class RestrictedFeatureGroup extends FeatureGroupMetricsBase {
  /** The feature group. */
  public readonly resource: sagemaker.CfnFeatureGroup;
  /** The feature group name, `<domain>-<name>-restricted-v<major>[-<storage suffix>]`. */
  public readonly featureGroupName: string;
  /** The feature group ARN. */
  public readonly featureGroupArn: string;
  /** The role Feature Store uses to write the offline store, when there is one. */
  public readonly offlineStoreRole?: iam.IRole;
  /** The offline store prefix in the bucket, when there is an offline store. */
  public readonly offlineStorePrefix?: string;
  /** The Glue table of the offline store, when there is one. */
  public readonly glueTableName?: string;
  /** Fires when no `PutRecord` succeeded within the freshness window. */
  public readonly freshnessAlarm: cloudwatch.Alarm;

  /** @internal */
  constructor(scope: Construct, id: string, shared: SharedSettings) {
    super(scope, id);
    const parts = buildGroup(this, shared, true);
    this.resource = parts.resource;
    this.featureGroupName = parts.featureGroupName;
    this.featureGroupArn = parts.featureGroupArn;
    this.offlineStoreRole = parts.offlineStoreRole;
    this.offlineStorePrefix = parts.offlineStorePrefix;
    this.glueTableName = parts.glueTableName;
    this.freshnessAlarm = parts.freshnessAlarm;
  }
}

/**
 * A SageMaker Feature Store feature group built from a {@link FeatureContract}, encrypted,
 * catalogued, versioned and access-controlled by sensitivity.
 *
 * - Online store encrypted with a customer-managed key (optional TTL, Standard or InMemory tier).
 * - Offline store in a {@link SecureBucket} prefix under the bucket's key, Iceberg table format,
 *   registered in a Glue database this construct creates, whose parameters carry each feature's
 *   description, owner and PII class.
 * - Named `<domain>-<name>-v<major>`: a major contract version deploys side by side.
 * - `pii` and `sensitive` features go to a separate restricted group (`restricted` property),
 *   readable only through {@link grantTimeBoundAccess}.
 * - One offline-store role per group, scoped to its bucket prefix, key and Glue table.
 * - A freshness alarm per group: no successful `PutRecord` within the window (missing data
 *   breaches) notifies the alert topic.
 * - Template tags: `data-classification` and `feature-contract` only, fixed by the group name;
 *   other tags reach the groups as stack-level tags at creation (CloudFormation sets feature
 *   group tags only at creation, and a replacement under the same name is refused).
 * - Non-default storage settings add a 6-hex suffix to the names, since they too are create-only.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-security.html
 */
export class SecureFeatureGroup extends FeatureGroupBase {
  /** Imports a feature group by name. */
  public static fromFeatureGroupName(
    scope: Construct,
    id: string,
    featureGroupName: string,
  ): ISecureFeatureGroup {
    return SecureFeatureGroup.fromFeatureGroupAttributes(scope, id, { featureGroupName });
  }

  /** Imports a feature group by ARN. */
  public static fromFeatureGroupArn(
    scope: Construct,
    id: string,
    featureGroupArn: string,
  ): ISecureFeatureGroup {
    const name = Arn.split(featureGroupArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? '';
    return new ImportedFeatureGroup(scope, id, name, featureGroupArn);
  }

  /** Imports a feature group by name, with its online store key so grants include it. */
  public static fromFeatureGroupAttributes(
    scope: Construct,
    id: string,
    attrs: SecureFeatureGroupAttributes,
  ): ISecureFeatureGroup {
    const arn = Stack.of(scope).formatArn({
      service: 'sagemaker',
      resource: 'feature-group',
      resourceName: attrs.featureGroupName,
    });
    return new ImportedFeatureGroup(scope, id, attrs.featureGroupName, arn, attrs.encryptionKey);
  }

  /** The contract the groups implement. */
  public readonly contract: FeatureContract;
  /** The standard feature group (the contract's unrestricted features). */
  public readonly resource: sagemaker.CfnFeatureGroup;
  /** The standard feature group's name, `<domain>-<name>-v<major>[-<storage suffix>]` (the suffix only with non-default storage settings). */
  public readonly featureGroupName: string;
  /** The standard feature group's ARN. */
  public readonly featureGroupArn: string;
  /** The online store key (undefined without an online store). */
  public readonly encryptionKey?: kms.IKey;
  /** The offline store bucket (undefined without an offline store). */
  public readonly offlineStoreBucket?: SecureBucket;
  /** The role Feature Store uses to write the standard group's offline store. */
  public readonly offlineStoreRole?: iam.IRole;
  /** The standard group's offline store prefix. */
  public readonly offlineStorePrefix?: string;
  /** The Glue database of the offline stores. */
  public readonly glueDatabase?: glue.CfnDatabase;
  /** The Glue database name, `<domain>_<name>_v<major>`. */
  public readonly glueDatabaseName?: string;
  /** The standard group's Glue table. */
  public readonly glueTableName?: string;
  /** The standard group's freshness alarm. */
  public readonly freshnessAlarm: cloudwatch.Alarm;
  /** The restricted group, when the contract has `pii` or `sensitive` features. */
  public readonly restricted?: RestrictedFeatureGroup;
  /** The longest window {@link grantTimeBoundAccess} grants. */
  public readonly maxAccessWindow: Duration;
  private readonly athenaWorkGroup: string;

  constructor(scope: Construct, id: string, props: SecureFeatureGroupProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    throwIfProblems(this, crossFieldProblems(p));
    const contract = p.contract;
    const online = p.onlineStore ?? true;
    const offline = p.offlineStore ?? true;
    const names = groupNames(p);
    throwIfProblems(this, nameProblems(p, names));

    this.contract = contract;
    this.maxAccessWindow = p.maxAccessWindow ?? DEFAULT_MAX_ACCESS_WINDOW;
    this.athenaWorkGroup = p.athenaWorkGroup ?? 'primary';

    let key = p.encryptionKey ?? p.offlineStoreBucket?.encryptionKey;
    if (!key) key = createDomainKey(this, 'Key', 'data');
    this.encryptionKey = online ? key : undefined;

    let database: glue.CfnDatabase | undefined;
    let databaseName: string | undefined;
    if (offline) {
      this.offlineStoreBucket =
        p.offlineStoreBucket ?? new SecureBucket(this, 'OfflineStore', { encryptionKey: key });
      databaseName = glueDatabaseNameFor(contract.domain, contract.name, contract.majorVersion);
      database = new glue.CfnDatabase(this, 'Catalog', {
        catalogId: Stack.of(this).account,
        databaseInput: {
          name: databaseName,
          description:
            `Offline store of feature contract ${contract.domain}/${contract.name} v${contract.majorVersion}: ${contract.description}`.slice(
              0,
              2048,
            ),
          parameters: catalogParameters(contract, names),
        },
      });
      this.glueDatabase = database;
      this.glueDatabaseName = databaseName;
    }

    const shared: SharedSettings = {
      contract,
      props: p,
      onlineKey: this.encryptionKey,
      bucket: this.offlineStoreBucket,
      database,
      databaseName,
      prefixBase: p.offlineStorePrefix ?? 'feature-store/',
      names,
    };
    const standard = buildGroup(this, shared, false);
    this.resource = standard.resource;
    this.featureGroupName = standard.featureGroupName;
    this.featureGroupArn = standard.featureGroupArn;
    this.offlineStoreRole = standard.offlineStoreRole;
    this.offlineStorePrefix = standard.offlineStorePrefix;
    this.glueTableName = standard.glueTableName;
    this.freshnessAlarm = standard.freshnessAlarm;

    if (contract.hasRestrictedFeatures)
      this.restricted = new RestrictedFeatureGroup(this, 'Restricted', shared);
  }

  /** Lets a principal put and delete records in the standard group and, when there is one, the restricted group. */
  public override grantWriteRecords(grantee: iam.IGrantable): iam.Grant {
    const grant = super.grantWriteRecords(grantee);
    if (!this.restricted) return grant;
    return grant.combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: RECORD_WRITE_ACTIONS,
        resourceArns: [this.restricted.featureGroupArn],
      }),
    );
  }

  /**
   * Lets a principal query the standard group's offline store: describe the group, read its Glue
   * database and table, run Athena queries in the workgroup, read its S3 prefix (bucket policy) and
   * decrypt with the bucket's key. Athena's own query-result location is the workgroup's concern.
   */
  public grantReadOffline(grantee: iam.IGrantable): iam.Grant {
    if (!this.offlineStoreBucket || !this.offlineStorePrefix || !this.glueTableName) {
      throwIfProblems(this, [
        {
          field: 'grantReadOffline',
          problem: 'the feature group has no offline store',
          got: 'offlineStore: false',
          expected: 'offlineStore: true',
        },
      ]);
    }
    return this.grantOffline(grantee, this.featureGroupArn, this.glueTableName!, this.offlineStorePrefix!);
  }

  /**
   * Just-in-time access to the restricted group: online reads, and offline reads when there is an
   * offline store, until `until`. Every statement (identity policy, bucket policy, key use) carries
   * `DateLessThan: { aws:CurrentTime: until }`, so IAM itself ends the access; the window may not
   * exceed `maxAccessWindow`.
   *
   * @throws PropsValidationError when the contract has no restricted features, `until` is not
   *   after `now`, or the window is longer than `maxAccessWindow`
   */
  public grantTimeBoundAccess(grantee: iam.IGrantable, options: TimeBoundAccessOptions): iam.Grant {
    const problems: PropsProblem[] = [];
    const now = options.now ?? new Date();
    const until = options.until;
    if (!this.restricted) {
      problems.push({
        field: 'grantTimeBoundAccess',
        problem: 'the contract has no restricted features',
        got: `${this.contract.label} without pii or sensitive features`,
        expected: 'a contract with pii or sensitive features',
      });
    }
    if (!(until instanceof Date) || Number.isNaN(until.getTime())) {
      problems.push({
        field: 'until',
        problem: 'is not a valid Date',
        got: describeValue(until),
        expected: 'a Date',
      });
    } else if (until.getTime() <= now.getTime()) {
      problems.push({
        field: 'until',
        problem: 'is not in the future',
        got: until.toISOString(),
        expected: `after ${now.toISOString()}`,
      });
    } else if (until.getTime() - now.getTime() > this.maxAccessWindow.toMilliseconds()) {
      problems.push({
        field: 'until',
        problem: 'is beyond the maximum access window',
        got: until.toISOString(),
        expected: `at most ${this.maxAccessWindow.toHumanString()} after ${now.toISOString()}`,
      });
    }
    throwIfProblems(this, problems);
    const restricted = this.restricted!;
    const conditions = { DateLessThan: { 'aws:CurrentTime': until.toISOString() } };
    let grant: iam.Grant | undefined;
    const merge = (g: iam.Grant) => (grant = grant ? grant.combine(g) : g);
    if (this.encryptionKey) {
      merge(
        iam.Grant.addToPrincipal({
          grantee,
          actions: ONLINE_KEY_ACTIONS,
          resourceArns: [this.encryptionKey.keyArn],
          conditions,
        }),
      );
      merge(
        iam.Grant.addToPrincipal({
          grantee,
          actions: ONLINE_READ_ACTIONS,
          resourceArns: [restricted.featureGroupArn],
          conditions,
        }),
      );
    }
    if (this.offlineStoreBucket && restricted.offlineStorePrefix && restricted.glueTableName) {
      merge(
        this.grantOffline(
          grantee,
          restricted.featureGroupArn,
          restricted.glueTableName,
          restricted.offlineStorePrefix,
          conditions,
        ),
      );
    }
    return grant!;
  }

  private grantOffline(
    grantee: iam.IGrantable,
    featureGroupArn: string,
    tableName: string,
    prefix: string,
    conditions?: Record<string, Record<string, unknown>>,
  ): iam.Grant {
    const bucket = this.offlineStoreBucket!;
    const stack = Stack.of(this);
    let grant = iam.Grant.addToPrincipal({
      grantee,
      actions: DESCRIBE_ACTIONS,
      resourceArns: [featureGroupArn],
      conditions,
    });
    grant = grant.combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: GLUE_READ_ACTIONS,
        resourceArns: glueArns(this, this.glueDatabaseName!, tableName),
        conditions,
      }),
    );
    grant = grant.combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: ATHENA_QUERY_ACTIONS,
        resourceArns: [
          stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.athenaWorkGroup }),
        ],
        conditions,
      }),
    );
    if (!conditions) return grant.combine(bucket.grantReadPrefix(grantee, prefix));
    // SecureBucket's prefix grants take no conditions, so the time-bound ones are written here.
    bucket.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [grantee.grantPrincipal],
        actions: BUCKET_LIST_ACTIONS,
        resources: [bucket.bucketArn],
        conditions: { ...conditions, StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
    bucket.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [grantee.grantPrincipal],
        actions: OBJECT_READ_ACTIONS,
        resources: [bucket.bucket.arnForObjects(`${prefix}*`)],
        conditions,
      }),
    );
    return grant.combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: OFFLINE_KEY_READ_ACTIONS,
        resourceArns: [bucket.encryptionKey.keyArn],
        conditions,
      }),
    );
  }
}

function glueArns(scope: Construct, database: string, table: string): string[] {
  const stack = Stack.of(scope);
  return [
    stack.formatArn({ service: 'glue', resource: 'catalog' }),
    stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
    stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/${table}` }),
  ];
}

/** Glue database parameters: the contract, and each feature's description, owner and PII class. */
function catalogParameters(
  contract: FeatureContract,
  names: SharedSettings['names'],
): Record<string, string> {
  const params: Record<string, string> = {
    'feature-contract': `${contract.domain}/${contract.name}`,
    'feature-contract-version': contract.version,
    'feature-contract-owner': contract.owner,
    classification: 'iceberg',
  };
  for (const f of contract.features) {
    params[`feature.${f.name}`] = JSON.stringify({
      description: f.description,
      type: f.type,
      owner: f.owner,
      pii: f.pii,
      required: f.required,
      group: f.restricted ? names.restricted : names.standard,
    });
  }
  return params;
}

function buildGroup(scope: Construct, shared: SharedSettings, restricted: boolean): GroupParts {
  const { contract, props: p } = shared;
  const stack = Stack.of(scope);
  const name = restricted ? shared.names.restricted : shared.names.standard;
  const arn = stack.formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: name });
  const features: readonly ContractFeature[] = restricted
    ? contract.restrictedFeatures
    : contract.standardFeatures;

  let role: ScopedRole | undefined;
  let prefix: string | undefined;
  let tableName: string | undefined;
  let offlineStoreConfig: Record<string, unknown> | undefined;
  if (shared.bucket && shared.database && shared.databaseName) {
    const bucket = shared.bucket;
    prefix = offlineStorePrefixFor(shared.prefixBase, name);
    tableName = glueNameFor(name);
    role = new ScopedRole(scope, 'OfflineStoreRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Feature Store offline store writer of ${name}`,
    });
    bucket.grantReadWritePrefix(role, prefix);
    bucket.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [role],
        actions: OFFLINE_STORE_BUCKET_ACTIONS,
        resources: [bucket.bucketArn],
      }),
    );
    bucket.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [role],
        actions: OFFLINE_STORE_OBJECT_ACL_ACTIONS,
        resources: [bucket.bucket.arnForObjects(`${prefix}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: GLUE_OFFLINE_STORE_ACTIONS,
        resources: glueArns(scope, shared.databaseName, tableName),
      }),
    );
    offlineStoreConfig = {
      S3StorageConfig: { S3Uri: bucket.s3UriForPrefix(prefix), KmsKeyId: bucket.encryptionKey.keyArn },
      // Feature Store creates (and, for Iceberg, maintains) the table: Iceberg requires it to.
      DisableGlueTableCreation: false,
      TableFormat: p.tableFormat ?? 'Iceberg',
      DataCatalogConfig: { Catalog: DATA_CATALOG, Database: shared.databaseName, TableName: tableName },
    };
  }

  const online = shared.onlineKey
    ? {
        EnableOnlineStore: true,
        SecurityConfig: { KmsKeyId: shared.onlineKey.keyArn },
        StorageType: p.onlineStorageType ?? 'Standard',
        ...(p.onlineTtl ? { TtlDuration: ttlDurationFor(p.onlineTtl) } : {}),
      }
    : undefined;

  const mode = p.throughputMode ?? 'OnDemand';
  const resource = new sagemaker.CfnFeatureGroup(scope, 'Resource', {
    featureGroupName: name,
    description: featureGroupDescriptionFor(
      contract.domain,
      contract.name,
      contract.majorVersion,
      restricted,
    ),
    recordIdentifierFeatureName: contract.recordIdentifier,
    eventTimeFeatureName: contract.eventTime,
    featureDefinitions: features.map((f) => ({ featureName: f.name, featureType: f.type })),
    onlineStoreConfig: online,
    offlineStoreConfig,
    roleArn: role?.roleArn,
    throughputConfig: {
      throughputMode: mode,
      provisionedReadCapacityUnits: mode === 'Provisioned' ? p.provisionedReadCapacityUnits : undefined,
      provisionedWriteCapacityUnits: mode === 'Provisioned' ? p.provisionedWriteCapacityUnits : undefined,
    },
  });
  if (role) {
    // The writer's permissions (role policy, bucket policy) and the database must exist before the group.
    resource.node.addDependency(role.policy);
    if (shared.bucket?.bucket.policy) resource.node.addDependency(shared.bucket.bucket.policy);
    resource.node.addDependency(shared.database!);
  }
  fixTags(resource, {
    'data-classification': restricted ? 'restricted' : contract.classification,
    'feature-contract': `${contract.domain}/${contract.name}`,
  });

  const freshnessAlarm = freshness(scope, name, p);
  freshnessAlarm.node.addDependency(resource);
  return {
    resource,
    featureGroupName: name,
    featureGroupArn: arn,
    offlineStoreRole: role,
    offlineStorePrefix: prefix,
    glueTableName: tableName,
    freshnessAlarm,
  };
}

function freshness(scope: Construct, featureGroupName: string, p: Parsed): cloudwatch.Alarm {
  const window = p.freshnessWindow ?? DEFAULT_FRESHNESS_WINDOW;
  const { period, evaluationPeriods } = freshnessAlarmShape(window);
  const alarm = new cloudwatch.Alarm(scope, 'FreshnessAlarm', {
    alarmDescription: `No successful PutRecord to feature group ${featureGroupName} for ${window.toHumanString()}: its features are stale.`,
    metric: putRecordSuccesses(featureGroupName, { period }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods,
    datapointsToAlarm: evaluationPeriods,
    // No data means no writes at all: exactly what this alarm is for.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  if (p.alerts instanceof AlertTopic) p.alerts.notify(alarm);
  else alarm.addAlarmAction(new cwActions.SnsAction(p.alerts));
  return alarm;
}

/**
 * The group names: the contract's (`<domain>-<name>[-restricted]-v<major>`), plus a suffix standing
 * for the storage settings when they are not the defaults. CloudFormation sets a feature group's
 * `OnlineStoreConfig` and `OfflineStoreConfig` only at creation, so a change of them replaces the
 * group, and it refuses to replace a resource under the name it already has.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 */
function groupNames(p: Parsed): SharedSettings['names'] {
  const suffix = storageSuffixFor({
    onlineStore: p.onlineStore ?? true,
    onlineStorageType: p.onlineStorageType ?? 'Standard',
    onlineTtlSeconds: p.onlineTtl?.toSeconds(),
    offlineStore: p.offlineStore ?? true,
    tableFormat: p.tableFormat ?? 'Iceberg',
    offlineStorePrefix: p.offlineStorePrefix ?? 'feature-store/',
  });
  return {
    standard: `${p.contract.featureGroupName}${suffix}`,
    restricted: `${p.contract.restrictedFeatureGroupName}${suffix}`,
  };
}

function nameProblems(p: Parsed, names: SharedSettings['names']): PropsProblem[] {
  const longest = p.contract.hasRestrictedFeatures ? names.restricted : names.standard;
  if (longest.length <= MAX_FEATURE_GROUP_NAME_LENGTH) return [];
  return [
    {
      field: 'contract',
      problem: 'with these storage settings the feature group name is too long',
      got: `"${longest}" (${longest.length} characters)`,
      expected: `at most ${MAX_FEATURE_GROUP_NAME_LENGTH} characters: a shorter domain or name, or the default storage settings`,
    },
  ];
}

/**
 * Keeps exactly `fixed` as the feature group's tags: CloudFormation can set a feature group's `Tags`
 * only at creation, so a stack or app tag that changes would replace the group under its fixed name,
 * which CloudFormation refuses. Stack-level tags still reach the group at creation (CloudFormation
 * applies them outside the template), and {@link markTaggedAtCreationOnly} lets
 * `RequiredTags.enforce` count them.
 */
function fixTags(resource: sagemaker.CfnFeatureGroup, fixed: Record<string, string>): void {
  for (const [key, value] of Object.entries(fixed)) Tags.of(resource).add(key, value, { priority: 300 });
  // After every tag aspect, whatever AspectPriority.MUTATING is configured to be.
  Aspects.of(resource).add(new WithholdTags(Object.keys(fixed)), { priority: AspectPriority.DEFAULT + 100 });
  markTaggedAtCreationOnly(resource);
}

/**
 * Removes every tag but the fixed keys from one feature group, so no tag change reaches its
 * template. A withheld tag the stack itself carries reaches the group as a stack-level tag when
 * CloudFormation creates it, so its `MLOps-SageMakerRequiredTags` finding is acknowledged; a tag
 * applied below the stack reaches nothing and its finding stays.
 */
class WithholdTags implements IAspect {
  private readonly acknowledged = new Set<string>();

  constructor(private readonly keep: readonly string[]) {}

  public visit(node: Construct): void {
    if (!(node instanceof sagemaker.CfnFeatureGroup)) return;
    const stackTags = Stack.of(node).tags.tagValues();
    for (const [key, value] of Object.entries(node.tags.tagValues())) {
      if (this.keep.includes(key)) continue;
      node.tags.removeTag(key, WITHHELD_PRIORITY);
      if (stackTags[key] !== value || this.acknowledged.has(key)) continue;
      this.acknowledged.add(key);
      acknowledge(node, `MLOps-SageMakerRequiredTags[${key}]`, {
        reason: `CloudFormation sets feature group tags only at creation, so the stack tag ${key} is applied to the group as a stack-level tag, not in its template, where a change would replace the group under its fixed name`,
        ...INHERENT,
      });
    }
  }
}

/** Above any priority a tag is applied with in this library or aws-cdk-lib's defaults (100, 200, 300). */
const WITHHELD_PRIORITY = 1000;
