import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { describeValue, PropsProblem, throwIfProblems, validateProps } from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { requireAlertPublishers } from '../monitoring/alert-topic';
import { ISecureBucket, SecureBucket } from '../storage/secure-bucket';
import { DEFAULT_MAX_ACCESS_WINDOW } from './defaults';
import { FeatureContract } from './feature-contract';
import {
  FeatureGroupBase,
  ImportedFeatureGroup,
  ISecureFeatureGroup,
  SecureFeatureGroupAttributes,
} from './feature-group-base';
import { buildGroup, SharedSettings } from './feature-group-parts';
import { createCatalog, grantOfflineRead } from './offline-store';
import { ONLINE_KEY_ACTIONS, ONLINE_READ_ACTIONS, RECORD_WRITE_ACTIONS } from './perms';
import { RestrictedFeatureGroup } from './restricted-feature-group';
import {
  crossFieldProblems,
  groupNames,
  nameProblems,
  schema,
  SecureFeatureGroupProps,
} from './secure-feature-group-props';

// SecureFeatureGroup: the construct, its imports and grants. Its parts: props and their rules
// (secure-feature-group-props.ts), the interface, metrics and record grants every group has
// (feature-group-base.ts), one group's resources (feature-group-parts.ts), the offline store
// (offline-store.ts), fixed tags (fixed-tags.ts) and the restricted group (restricted-feature-group.ts).

export type {
  FeatureGroupMetricOptions,
  FeatureStoreOperation,
  ISecureFeatureGroup,
  SecureFeatureGroupAttributes,
} from './feature-group-base';
export type {
  OfflineTableFormat,
  OnlineStorageType,
  SecureFeatureGroupProps,
  ThroughputMode,
} from './secure-feature-group-props';
export { RestrictedFeatureGroup } from './restricted-feature-group';

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

/**
 * A SageMaker Feature Store feature group built from a {@link FeatureContract}, encrypted,
 * catalogued, versioned and access-controlled by sensitivity.
 *
 * - Online store encrypted with a customer-managed key (optional TTL, Standard or InMemory tier).
 * - Offline store in a prefix of a {@link SecureBucket} (or any `ISecureBucket`) under the
 *   bucket's key, Iceberg table format, registered in a Glue database this construct creates,
 *   whose parameters carry each feature's description, owner and PII class.
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
  public readonly offlineStoreBucket?: ISecureBucket;
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
    const names = groupNames(p);
    throwIfProblems(this, nameProblems(p, names));
    // CloudWatch publishes the freshness alarms to the topic: its key must let it (an AlertTopic's does).
    requireAlertPublishers(this, p.alerts);
    const contract = p.contract;
    this.contract = contract;
    this.maxAccessWindow = p.maxAccessWindow ?? DEFAULT_MAX_ACCESS_WINDOW;
    this.athenaWorkGroup = p.athenaWorkGroup ?? 'primary';

    const key =
      p.encryptionKey ?? p.offlineStoreBucket?.encryptionKey ?? createDomainKey(this, 'Key', 'data');
    this.encryptionKey = (p.onlineStore ?? true) ? key : undefined;
    if (p.offlineStore ?? true) {
      this.offlineStoreBucket =
        p.offlineStoreBucket ?? new SecureBucket(this, 'OfflineStore', { encryptionKey: key });
      const catalog = createCatalog(this, contract, names);
      this.glueDatabase = catalog.database;
      this.glueDatabaseName = catalog.databaseName;
    }

    const shared: SharedSettings = {
      contract,
      props: p,
      onlineKey: this.encryptionKey,
      bucket: this.offlineStoreBucket,
      database: this.glueDatabase,
      databaseName: this.glueDatabaseName,
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
    const target = {
      bucket: this.offlineStoreBucket!,
      databaseName: this.glueDatabaseName!,
      athenaWorkGroup: this.athenaWorkGroup,
      featureGroupArn,
      tableName,
      prefix,
    };
    return grantOfflineRead(this, grantee, target, conditions);
  }
}
