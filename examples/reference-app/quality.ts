import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IAlertDestination } from '../../constructs/monitoring/alert-topic';
import {
  ModelQualityBaseline,
  ModelQualityFairnessAlarm,
  ModelQualityMetricName,
  ModelQualityMonitor,
} from '../../constructs/monitoring/model-quality-monitor';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ISecureBucket, SecureBucket } from '../../constructs/storage/secure-bucket';
import { ModelRegistry } from '../../constructs/training/model-registry';

/**
 * The quality the reference app's churn model is registered with: the training pipeline registers
 * a model only at `metrics.auc.value ≥ 0.75` (examples/reference-app/training.ts), so an AUC below
 * 0.75 − 0.05 in production is worse than anything registration would have let through. Pass the
 * served version's own evaluation metrics instead when you have them.
 */
export const REGISTERED_CHURN_QUALITY: ModelQualityBaseline = { auc: 0.75 };

/** The metrics of {@link REGISTERED_CHURN_QUALITY}: the churn model's degradation alarms. */
export const REGISTERED_CHURN_METRICS: readonly ModelQualityMetricName[] = ['auc'];

/**
 * The facets the churn model is checked for after deployment, the same as its pre-training bias
 * check (examples/reference-app/training.ts). The churn requests carry numeric rows only, so the
 * labelling job writes them into each ground-truth record:
 * `{"groundTruthData": {"data": "{\"label\": 1, \"gender\": \"female\", \"age\": 70}", "encoding": "JSON"}, …}`.
 */
export const CHURN_FAIRNESS_FACETS = ['gender=female', 'age:>=65'];

/**
 * Fairness alarms of the served churn model: |DPPL| above 0.1, or disparate impact outside
 * [0.8, 1.25] (the four-fifths rule), for each facet.
 */
export const CHURN_FAIRNESS_THRESHOLDS = { DPPL: 0.1, DI: 0.8 } as const;

/** The fairness alarms of {@link CHURN_FAIRNESS_FACETS}, for the platform's retraining rule. */
export const CHURN_FAIRNESS_ALARMS: readonly ModelQualityFairnessAlarm[] = CHURN_FAIRNESS_FACETS.flatMap(
  (f) =>
    (Object.keys(CHURN_FAIRNESS_THRESHOLDS) as (keyof typeof CHURN_FAIRNESS_THRESHOLDS)[]).map((metric) => ({
      metric,
      column: f.split(/[=:]/)[0],
    })),
);

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
   * The registered model's quality, as fixed numbers.
   * @default - read at run time from the served version's registered statistics when
   *   `registeredVersion` is given, else REGISTERED_CHURN_QUALITY
   */
  readonly baseline?: ModelQualityBaseline;
  /**
   * The served version of the `churn-model` package group and the platform's artifact bucket:
   * the degradation alarms then compare with that version's evaluation statistics (written by
   * the training pipeline under `evaluation/churn-training/`).
   * @default - the static baseline
   */
  readonly registeredVersion?: { readonly modelVersion: number; readonly artifactsBucket: ISecureBucket };
}

/**
 * Adds model quality monitoring of one served binary classifier (the churn model returns the
 * churn probability) to a stack: labels uploaded under `ground-truth/<endpointName>/` of the
 * capture bucket are joined with the captured predictions every 6 hours, with the library's default
 * tolerances (against the served version's registered statistics when given), the fairness of
 * {@link CHURN_FAIRNESS_FACETS} is measured on the same pairs, and every alarm goes to the
 * platform's alert topic. The platform stack starts
 * retraining on the degradation alarms by name (`ModelQualityMonitor.degradationEventPattern`).
 */
export function addQualityMonitor(stack: Stack, options: AddQualityMonitorOptions): ModelQualityMonitor {
  const registered = options.baseline === undefined ? options.registeredVersion : undefined;
  return new ModelQualityMonitor(stack, 'QualityMonitor', {
    endpoint: { endpointName: options.endpointName },
    captureBucket: options.captureBucket,
    capturePrefix: options.capturePrefix,
    groundTruthPrefix: `ground-truth/${options.endpointName}/`,
    problemType: 'binaryClassification',
    ...(registered
      ? {
          packageBaseline: {
            registry: ModelRegistry.fromModelPackageGroupName(stack, 'ChurnModelRegistry', 'churn-model'),
            modelVersion: registered.modelVersion,
            // Imported by an explicit export: the grant lands in the monitor's identity policy, so
            // the platform's bucket policy (another stack, deployed first) never names a serving
            // role, and the import is named before synthesis, so the prefix grant's acknowledgment
            // names the same resource as the synthesized policy.
            statisticsBucket: SecureBucket.fromBucketAttributes(stack, 'RegisteredStatisticsBucket', {
              bucket: s3.Bucket.fromBucketName(
                stack,
                'RegisteredStatisticsBucketRef',
                Stack.of(registered.artifactsBucket).exportValue(registered.artifactsBucket.bucketName, {
                  name: `${Stack.of(registered.artifactsBucket).stackName}-model-artifacts-bucket`,
                }),
              ),
              encryptionKey: registered.artifactsBucket.encryptionKey,
            }),
            statisticsPrefix: 'evaluation/churn-training/',
            metrics: REGISTERED_CHURN_METRICS,
          },
        }
      : { baseline: options.baseline ?? REGISTERED_CHURN_QUALITY }),
    fairnessFacets: CHURN_FAIRNESS_FACETS,
    fairnessThresholds: CHURN_FAIRNESS_THRESHOLDS,
    alerts: options.alerts,
    vpc: options.vpc,
    encryptionKey: options.encryptionKey,
    alarmNamePrefix: options.alarmNamePrefix,
  });
}
