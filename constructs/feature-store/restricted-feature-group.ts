import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { FeatureGroupMetricsBase } from './feature-group-base';
import { buildGroup, SharedSettings } from './feature-group-parts';

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
