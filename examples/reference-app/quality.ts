import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IAlertDestination } from '../../constructs/monitoring/alert-topic';
import {
  ModelQualityBaseline,
  ModelQualityMetricName,
  ModelQualityMonitor,
} from '../../constructs/monitoring/model-quality-monitor';
import { ISecureBucket } from '../../constructs/storage/secure-bucket';

/**
 * The quality the reference app's churn model is registered with: the training pipeline registers
 * a model only at `metrics.auc.value ≥ 0.75` (examples/reference-app/training.ts), so an AUC below
 * 0.75 − 0.05 in production is worse than anything registration would have let through. Pass the
 * served version's own evaluation metrics instead when you have them.
 */
export const REGISTERED_CHURN_QUALITY: ModelQualityBaseline = { auc: 0.75 };

/** The metrics of {@link REGISTERED_CHURN_QUALITY}: the churn model's degradation alarms. */
export const REGISTERED_CHURN_METRICS: readonly ModelQualityMetricName[] = ['auc'];

/** Options of {@link addQualityMonitor}. */
export interface AddQualityMonitorOptions {
  /** The served endpoint's name. */
  readonly endpointName: string;
  /** The bucket the endpoint's data capture writes to; labels go under `ground-truth/<endpointName>/` of it. */
  readonly captureBucket: ISecureBucket;
  /** The endpoint config's capture prefix (`IsolatedEndpoint`: `data-capture/<endpointName>/`). */
  readonly capturePrefix: string;
  /** The platform's alert topic (or any `IAlertDestination`). */
  readonly alerts: IAlertDestination;
  /** The VPC of the analysis function (the platform's inference network). */
  readonly vpc: ec2.IVpc;
  /** The platform's `logs` key. */
  readonly encryptionKey: kms.IKey;
  /**
   * Names the degradation alarms `<prefix>-<metric>` for the platform's retraining rule.
   * @default - generated names
   */
  readonly alarmNamePrefix?: string;
  /**
   * The registered model's quality.
   * @default REGISTERED_CHURN_QUALITY
   */
  readonly baseline?: ModelQualityBaseline;
}

/**
 * Adds model quality monitoring of one served binary classifier (the churn model returns the
 * churn probability) to a stack: labels uploaded under `ground-truth/<endpointName>/` of the
 * capture bucket are joined with the captured predictions every 6 hours, with the library's default
 * tolerances, and every alarm goes to the platform's alert topic. The platform stack starts
 * retraining on the degradation alarms by name (`ModelQualityMonitor.degradationEventPattern`).
 */
export function addQualityMonitor(stack: Stack, options: AddQualityMonitorOptions): ModelQualityMonitor {
  return new ModelQualityMonitor(stack, 'QualityMonitor', {
    endpoint: { endpointName: options.endpointName },
    captureBucket: options.captureBucket,
    capturePrefix: options.capturePrefix,
    groundTruthPrefix: `ground-truth/${options.endpointName}/`,
    problemType: 'binaryClassification',
    baseline: options.baseline ?? REGISTERED_CHURN_QUALITY,
    alerts: options.alerts,
    vpc: options.vpc,
    encryptionKey: options.encryptionKey,
    alarmNamePrefix: options.alarmNamePrefix,
  });
}
