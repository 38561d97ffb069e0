import { Duration, IResource, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { grantKey } from '../encryption/encryption-keys';
import { ONLINE_KEY_ACTIONS, ONLINE_READ_ACTIONS, RECORD_WRITE_ACTIONS } from './perms';

// What every feature group has, created or imported: the interface, metrics and record grants.

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

/** The period of every metric helper. */
const DEFAULT_PERIOD = Duration.minutes(5);

/**
 * One Feature Store runtime metric of a group (namespace `AWS/SageMaker`). Default: Sum over 5 minutes, `PutRecord`.
 * @internal
 */
export function groupMetric(
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

/**
 * Successful `PutRecord` calls of a group: invocations less 4xx and 5xx errors.
 * @internal
 */
export function putRecordSuccesses(
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

/**
 * Metrics of one feature group; the base of the standard group, the restricted group and imports.
 * @internal
 */
export abstract class FeatureGroupMetricsBase extends Resource {
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

/**
 * Grants shared by the standard group and imports.
 * @internal
 */
export abstract class FeatureGroupBase extends FeatureGroupMetricsBase implements ISecureFeatureGroup {
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

/**
 * A feature group imported by name or ARN.
 * @internal
 */
export class ImportedFeatureGroup extends FeatureGroupBase {
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
