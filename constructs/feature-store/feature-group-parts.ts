import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ScopedRole } from '../core/scoped-role';
import type { ISecureBucket } from '../storage/secure-bucket';
import {
  DEFAULT_FRESHNESS_WINDOW,
  featureGroupDescriptionFor,
  freshnessAlarmShape,
  ttlDurationFor,
} from './defaults';
import type { FeatureContract } from './feature-contract';
import { putRecordSuccesses } from './feature-group-base';
import { fixTags } from './fixed-tags';
import { offlineStoreFor } from './offline-store';
import type { GroupNames, Parsed } from './secure-feature-group-props';

// One feature group of a contract, standard or restricted: the CfnFeatureGroup with its online
// store, its offline store writer, fixed tags and freshness alarm.

/**
 * What one feature group (standard or restricted) is made of.
 * @internal
 */
export interface GroupParts {
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
  readonly bucket?: ISecureBucket;
  readonly database?: glue.CfnDatabase;
  readonly databaseName?: string;
  readonly prefixBase: string;
  /** The standard and restricted group names (the contract's names plus the storage suffix). */
  readonly names: GroupNames;
}

/**
 * One feature group of the contract, standard or restricted, with its offline store writer and
 * freshness alarm, in `scope` (the SecureFeatureGroup, or its RestrictedFeatureGroup).
 * @internal
 */
export function buildGroup(scope: Construct, shared: SharedSettings, restricted: boolean): GroupParts {
  const { contract, props: p } = shared;
  const name = restricted ? shared.names.restricted : shared.names.standard;
  const arn = Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource: 'feature-group',
    resourceName: name,
  });
  const features = restricted ? contract.restrictedFeatures : contract.standardFeatures;
  const offline =
    shared.bucket && shared.database && shared.databaseName
      ? offlineStoreFor(scope, name, {
          bucket: shared.bucket,
          databaseName: shared.databaseName,
          prefixBase: shared.prefixBase,
          tableFormat: p.tableFormat ?? 'Iceberg',
        })
      : undefined;
  const role = offline?.role;

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
    onlineStoreConfig: onlineStoreConfig(shared),
    offlineStoreConfig: offline?.config,
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
    offlineStorePrefix: offline?.prefix,
    glueTableName: offline?.tableName,
    freshnessAlarm,
  };
}

/** The online store, encrypted with the online key, when the groups have one. */
function onlineStoreConfig(shared: SharedSettings): Record<string, unknown> | undefined {
  const p = shared.props;
  if (!shared.onlineKey) return undefined;
  return {
    EnableOnlineStore: true,
    SecurityConfig: { KmsKeyId: shared.onlineKey.keyArn },
    StorageType: p.onlineStorageType ?? 'Standard',
    ...(p.onlineTtl ? { TtlDuration: ttlDurationFor(p.onlineTtl) } : {}),
  };
}

/**
 * The freshness alarm of one group: no successful `PutRecord` within the window (no data breaches),
 * to the alert destination (ALARM and OK).
 */
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
  p.alerts.notify(alarm);
  return alarm;
}
