import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { IAlertDestination } from '../../constructs/monitoring/alert-topic';
import { DriftMonitor } from '../../constructs/monitoring/drift-monitor';
import { ISecureBucket } from '../../constructs/storage/secure-bucket';

/** Options of {@link addDriftMonitor}. */
export interface AddDriftMonitorOptions {
  /** The served endpoint's name. */
  readonly endpointName: string;
  /**
   * The endpoint's production variant.
   * @default 'primary'
   */
  readonly variantName?: string;
  /** The bucket the endpoint's data capture writes to. */
  readonly captureBucket: ISecureBucket;
  /** The endpoint config's capture prefix (`IsolatedEndpoint`: `data-capture/<endpointName>/`). */
  readonly capturePrefix: string;
  /**
   * The baseline's key in the capture bucket (upload it with
   * `compliant-mlops baseline train.csv --output baseline.json` and `aws s3 cp`).
   * @default 'drift-baselines/<endpointName>/baseline.json'
   */
  readonly baselineKey?: string;
  /** The platform's alert topic (or any `IAlertDestination`). */
  readonly alerts: IAlertDestination;
  /** The VPC of the analysis function (the platform's inference network). */
  readonly vpc: ec2.IVpc;
  /** The platform's `logs` key. */
  readonly encryptionKey: kms.IKey;
  /**
   * Names the drift alarms `<prefix>-max-psi` / `<prefix>-drifted-share` for rules elsewhere.
   * @default - generated names
   */
  readonly alarmNamePrefix?: string;
  /**
   * How often drift is analysed (and how much capture each run reads): a rate expression.
   * @default ScheduleExpression.rate(Duration.hours(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;
}

/**
 * Adds hourly drift monitoring of one endpoint to a stack (the reference app calls it from each
 * serving stack): a {@link DriftMonitor} with the library's default thresholds, reports under
 * `drift-reports/` of the capture bucket, and every alarm on the platform's alert topic. Wire
 * retraining with `monitor.onDrift(pipeline.asRuleTarget())`.
 */
export function addDriftMonitor(stack: Stack, options: AddDriftMonitorOptions): DriftMonitor {
  return new DriftMonitor(stack, 'DriftMonitor', {
    endpoint: { endpointName: options.endpointName, variantName: options.variantName },
    captureBucket: options.captureBucket,
    capturePrefix: options.capturePrefix,
    baselineKey: options.baselineKey ?? `drift-baselines/${options.endpointName}/baseline.json`,
    alerts: options.alerts,
    vpc: options.vpc,
    encryptionKey: options.encryptionKey,
    schedule: options.schedule,
    alarmNamePrefix: options.alarmNamePrefix,
  });
}
