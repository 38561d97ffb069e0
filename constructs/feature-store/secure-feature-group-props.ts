import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { z } from 'zod';
import { describeValue, durationBetween, PropsProblem, refs } from '../core/validate';
import type { IAlertDestination } from '../monitoring/alert-topic';
import type { ISecureBucket } from '../storage/secure-bucket';
import { ABSOLUTE_MAX_ACCESS_WINDOW, MAX_FEATURE_GROUP_NAME_LENGTH, storageSuffixFor } from './defaults';
import { FeatureContract } from './feature-contract';

// The props of SecureFeatureGroup, their schema and the rules between them, and the group names
// the storage settings lead to.

/**
 * The standard and restricted group names (the contract's names plus the storage suffix).
 * @internal
 */
export interface GroupNames {
  readonly standard: string;
  readonly restricted: string;
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
   * Where the freshness alarms go (ALARM and OK): the platform's `AlertTopic`, or any topic through
   * `AlertTopic.fromTopic(topic)`. A key it names must let CloudWatch publish (`alert-publishers`).
   */
  readonly alerts: IAlertDestination;
  /**
   * The customer-managed key of the online stores, and of the offline store bucket when this
   * construct creates it. An offline store bucket you pass keeps its own key: its policy rejects
   * objects under any other key, so the offline store always uses the bucket's key.
   * @default - the offline store bucket's key when one is given, else a new `data` key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The bucket of the offline store: a `SecureBucket`, a `TieredDatasetBucket`, or a bucket of yours
   * through `SecureBucket.fromBucketAttributes` (whose policy the app cannot change: the grants then
   * go to the principals' identity policies).
   * @default - a new SecureBucket encrypted with `encryptionKey`
   */
  readonly offlineStoreBucket?: ISecureBucket;
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

/** @internal */
export const schema = z.strictObject({
  contract: z.custom<FeatureContract>((v) => FeatureContract.isFeatureContract(v), {
    params: { expected: 'a FeatureContract (FeatureContract.define(...))' },
    message: 'is not a FeatureContract',
  }),
  alerts: refs.alerts,
  encryptionKey: refs.key.optional(),
  offlineStoreBucket: z
    .custom<ISecureBucket>(
      (v) =>
        Construct.isConstruct(v) &&
        Construct.isConstruct((v as Partial<ISecureBucket>).bucket) &&
        typeof (v as Partial<ISecureBucket>).grantReadWritePrefix === 'function',
      {
        params: {
          expected: 'an ISecureBucket (SecureBucket, TieredDatasetBucket, SecureBucket.fromBucketAttributes)',
        },
        message: 'is not an ISecureBucket',
      },
    )
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

/**
 * Props as the schema returns them.
 * @internal
 */
export type Parsed = z.output<typeof schema>;

/**
 * The rules between props.
 * @internal
 */
export function crossFieldProblems(p: Parsed): PropsProblem[] {
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

/**
 * The group names: the contract's (`<domain>-<name>[-restricted]-v<major>`), plus a suffix standing
 * for the storage settings when they are not the defaults. CloudFormation sets a feature group's
 * `OnlineStoreConfig` and `OfflineStoreConfig` only at creation, so a change of them replaces the
 * group, and it refuses to replace a resource under the name it already has.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 * @internal
 */
export function groupNames(p: Parsed): GroupNames {
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

/**
 * A name too long for Feature Store.
 * @internal
 */
export function nameProblems(p: Parsed, names: GroupNames): PropsProblem[] {
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
