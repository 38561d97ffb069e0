import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { z } from 'zod';
import type { PostTrainingMetric } from '../../lib/fairness/metrics';
import { durationBetween, refs, tokenOr } from '../core/validate';
import { ISecureBucket } from '../storage/secure-bucket';
import type { IModelRegistry } from '../training/model-registry';
import { IAlertDestination } from './alert-topic';
import { DriftMonitoredEndpoint, ratePeriod } from './drift-monitor';

/** The endpoint whose predictions are evaluated: an `IsolatedEndpoint`, or its name (and variant). */
export type ModelQualityMonitoredEndpoint = DriftMonitoredEndpoint;

/**
 * The quality the model was registered with (its evaluation metrics, e.g. from the model package's
 * `ModelQuality` statistics): each metric given here gets a degradation alarm. Binary classifiers
 * take `accuracy`, `precision`, `recall`, `f1` and `auc`; multiclass classifiers `accuracy` and the
 * macro- and weighted-averaged precision, recall and F1 (all in [0, 1]); regression models `rmse`
 * and `mae` (≥ 0).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
 */
export interface ModelQualityBaseline {
  /** @default - no accuracy alarm */
  readonly accuracy?: number;
  /** @default - no precision alarm */
  readonly precision?: number;
  /** @default - no recall alarm */
  readonly recall?: number;
  /** @default - no F1 alarm */
  readonly f1?: number;
  /** Needs `classificationOutput: 'probability'`. @default - no AUC alarm */
  readonly auc?: number;
  /** Multiclass: unweighted mean of the per-class precisions. @default - no alarm */
  readonly macroPrecision?: number;
  /** Multiclass: unweighted mean of the per-class recalls. @default - no alarm */
  readonly macroRecall?: number;
  /** Multiclass: unweighted mean of the per-class F1 scores. @default - no alarm */
  readonly macroF1?: number;
  /** Multiclass: per-class precisions weighted by support. @default - no alarm */
  readonly weightedPrecision?: number;
  /** Multiclass: per-class recalls weighted by support. @default - no alarm */
  readonly weightedRecall?: number;
  /** Multiclass: per-class F1 scores weighted by support. @default - no alarm */
  readonly weightedF1?: number;
  /** @default - no RMSE alarm */
  readonly rmse?: number;
  /** @default - no MAE alarm */
  readonly mae?: number;
}

/**
 * Alarm baselines read at run time from a registered model version: the package's
 * `ModelMetrics.ModelQuality.Statistics` (a JSON document in SageMaker Model Monitor's statistics
 * format, e.g. `binary_classification_metrics.auc.value`). Each run publishes, per metric,
 * `<Metric>Degradation` (classification: baseline − value; regression: (value − baseline) /
 * baseline), and each metric's alarm fires above `maxDrop` / `maxIncrease`: the threshold is the
 * tolerated degradation, whatever version is registered. A run that cannot read the statistics
 * publishes `BaselineNotRead` = 1 (the baseline alarm), never a silent pass.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
 */
export interface ModelQualityPackageBaseline {
  /** The model package group; the role may describe its versions only. */
  readonly registry: IModelRegistry;
  /** The served version (the package `<group>/<version>`). */
  readonly modelVersion: number;
  /** The bucket the statistics are in (any `ISecureBucket`). Read-only, `statisticsPrefix` only. */
  readonly statisticsBucket: ISecureBucket;
  /** The prefix the statistics are under, ending in `/`; statistics elsewhere are not read. */
  readonly statisticsPrefix: string;
  /** The metrics that get a degradation alarm (of the problem type). */
  readonly metrics: readonly (keyof ModelQualityBaseline)[];
}

/** Props for {@link ModelQualityMonitor}. */
export interface ModelQualityMonitorProps {
  /** The monitored endpoint. */
  readonly endpoint: ModelQualityMonitoredEndpoint;
  /** The bucket the endpoint's data capture writes to (any `ISecureBucket`). Read-only. */
  readonly captureBucket: ISecureBucket;
  /**
   * The endpoint config's capture prefix, empty or ending in `/`; SageMaker writes
   * `<capturePrefix><endpointName>/<variant>/yyyy/mm/dd/hh/*.jsonl`.
   */
  readonly capturePrefix: string;
  /**
   * The bucket ground-truth labels are uploaded to (any `ISecureBucket`). Read-only.
   * @default - the capture bucket
   */
  readonly groundTruthBucket?: ISecureBucket;
  /**
   * Where labels arrive, ending in `/`: JSON lines (optionally gzip) in SageMaker Model Monitor's
   * merge format under `<groundTruthPrefix>yyyy/mm/dd/hh/`, the hour of upload, one record per
   * labelled inference: `{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata":
   * {"eventId": "<inference id>"}, "eventVersion": "0"}`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html
   */
  readonly groundTruthPrefix: string;
  /**
   * What the model predicts: a binary label (with or without a score), one of several labels
   * (`multiclassClassification`: the captured output is the predicted label, compared as text with
   * the ground truth) or a number.
   */
  readonly problemType: 'binaryClassification' | 'multiclassClassification' | 'regression';
  /**
   * The label that counts as positive, compared as text with the ground truth (and with predicted
   * labels). Binary classification only.
   * @default '1'
   */
  readonly positiveLabel?: string;
  /**
   * What the binary classifier returns: `probability` (the positive label's score, AUC computed) or
   * `label` (the predicted label; no AUC).
   * @default 'probability'
   */
  readonly classificationOutput?: 'probability' | 'label';
  /**
   * Score at or above which a prediction counts as positive (`classificationOutput: 'probability'`).
   * @default 0.5
   */
  readonly probabilityThreshold?: number;
  /**
   * The registered model's quality; each metric given gets a degradation alarm.
   * @default - none: `packageBaseline` names the metrics (one of the two is required)
   */
  readonly baseline?: ModelQualityBaseline;
  /**
   * Take the baselines from the registered model package at run time instead of `baseline`.
   * @default - the static `baseline`
   */
  readonly packageBaseline?: ModelQualityPackageBaseline;
  /**
   * Classification: a metric alarms when it falls below `baseline − maxDrop` (absolute).
   * @default 0.05
   */
  readonly maxDrop?: number;
  /**
   * Regression: an error metric alarms when it rises above `baseline × (1 + maxIncrease)`.
   * @default 0.2
   */
  readonly maxIncrease?: number;
  /**
   * Joined pairs a run needs before it publishes quality metrics (fewer are noise; the alarms then
   * keep their state).
   * @default 100
   */
  readonly minSamples?: number;
  /**
   * How long after a prediction its label may arrive: each run reads captures written from this
   * long before its window to the window's end. Longer delays read more capture per run.
   * @default Duration.days(1)
   */
  readonly maxLabelDelay?: Duration;
  /**
   * Labels one run holds while it looks for their predictions; more are counted (`DroppedLabels`)
   * and not evaluated, which bounds the function's memory (about 100 bytes per label).
   * @default 1000000
   */
  readonly maxPendingLabels?: number;
  /**
   * Post-training fairness (binary classification): facets as `column=value` or
   * `column:>=number` (`gender=female`, `age:>=40`; facet d is the pairs the condition selects, the
   * other pairs with a value facet a), one per column. Each run computes Clarify's post-training
   * metrics per facet over the joined pairs (`lib/fairness`) and publishes {@link fairnessMetrics}
   * in `ML/ModelQuality` with the dimensions `EndpointName` and `Facet`. A facet's value is read
   * from the captured request (a JSON object's member, or the CSV cell {@link requestColumns}
   * names), else from the ground-truth record (`groundTruthData` holding a JSON object such as
   * `{"label": 1, "gender": "female"}`).
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-post-training-bias.html
   * @default - no fairness metrics
   */
  readonly fairnessFacets?: readonly string[];
  /**
   * The group attribute CDDPL conditions on (a request or ground-truth field, e.g. `region`).
   * @default - no CDDPL
   */
  readonly fairnessGroup?: string;
  /**
   * Names of the cells of a CSV request, in order (SageMaker CSV requests have no header), so a
   * facet can name a CSV column.
   * @default - facets are read from JSON requests or the ground truth only
   */
  readonly requestColumns?: readonly string[];
  /**
   * Alarm thresholds by post-training metric, one alarm per facet and metric, named
   * `<alarmNamePrefix>-<metric>-<facet column>` (`churn-quality-DPPL-gender`): a signed metric
   * alarms when |value| > x; `DI`, whose parity value is 1, when it is below x or above 1/x
   * (x in (0, 1], e.g. 0.8, the four-fifths rule).
   * @default - no fairness alarm
   */
  readonly fairnessThresholds?: Readonly<Partial<Record<PostTrainingMetric, number>>>;
  /**
   * The post-training metrics published per facet (each is a custom metric, billed per month).
   * @default - DPPL, DI and the metrics of fairnessThresholds
   */
  readonly fairnessMetrics?: readonly PostTrainingMetric[];
  /** Where every alarm sends its ALARM and OK transitions. */
  readonly alerts: IAlertDestination;
  /** The VPC the analysis function runs in (it reaches S3 and CloudWatch through VPC endpoints). */
  readonly vpc: ec2.IVpc;
  /** Key of the function's logs, environment and dead-letter queue (the platform's `logs` key). */
  readonly encryptionKey: kms.IKey;
  /**
   * Names the degradation alarms `<alarmNamePrefix>-<metric>` (`churn-quality-f1`), so a rule in
   * another stack matches them with {@link ModelQualityMonitor.degradationEventPattern}.
   * @default - names generated by CloudFormation
   */
  readonly alarmNamePrefix?: string;
  /**
   * How often the analysis runs: a rate of 5 minutes to 12 hours (the alarms' period too).
   * @default ScheduleExpression.rate(Duration.hours(6))
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /**
   * Labels written in this window before a run are evaluated by it. At least the schedule, or
   * labels between runs would never be evaluated.
   * @default - the schedule
   */
  readonly window?: Duration;
  /**
   * Memory of the analysis function.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Timeout of the analysis function; a run stops reading 30 s before it. At most the schedule
   * minus 2 minutes, so runs never overlap.
   * @default - Duration.minutes(10), or the schedule minus 2 minutes when that is shorter
   */
  readonly timeout?: Duration;
}

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/** A facet, group or CSV column: it becomes part of alarm names, construct ids and a dimension. */
const COLUMN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const POST_TRAINING = [
  'DPPL',
  'DI',
  'DCAcc',
  'DCR',
  'SD',
  'RD',
  'DAR',
  'DRR',
  'AD',
  'TE',
  'CDDPL',
  'GE',
] as const satisfies readonly PostTrainingMetric[];
const PREFIX = /^([^/].*\/)?$/;
const unit = z.number().min(0).max(1);

/** A rate schedule of 5 minutes to 12 hours (the period sets the timeout, window and alarm periods). */
const rateSchedule = z
  .custom<scheduler.ScheduleExpression>((v) => v instanceof scheduler.ScheduleExpression, {
    message: 'is not a scheduler.ScheduleExpression',
    params: { expected: 'ScheduleExpression.rate(duration)' },
  })
  .superRefine((e, ctx) => {
    const period = ratePeriod(e);
    if (!period || period.toMinutes() < 5 || period.toMinutes() > 720) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a rate expression of 5 minutes to 12 hours: its period sets the timeout, the window and the alarm periods',
        input: e.expressionString,
        params: { expected: 'between rate(5 minutes) and rate(12 hours)' },
      });
    }
  });

/** Facet, group and CSV column names the schema accepts (letters, digits, `_ . -`, ≤ 64). */
export const FAIRNESS_COLUMN = COLUMN;

/** The props' schema; cross-field rules are in the construct. */
export const modelQualityMonitorSchema = z.strictObject({
  endpoint: z.object({
    endpointName: tokenOr(z.string().regex(NAME)),
    variantName: tokenOr(z.string().regex(NAME)).optional(),
  }),
  captureBucket: refs.secureBucket,
  capturePrefix: tokenOr(z.string().max(512).regex(PREFIX)),
  groundTruthBucket: refs.secureBucket.optional(),
  groundTruthPrefix: tokenOr(
    z
      .string()
      .min(1)
      .max(512)
      .regex(/^[^/].*\/$/),
  ),
  problemType: z.enum(['binaryClassification', 'multiclassClassification', 'regression']),
  positiveLabel: z.string().min(1).max(256).optional(),
  classificationOutput: z.enum(['probability', 'label']).optional(),
  probabilityThreshold: z.number().gt(0).lt(1).optional(),
  baseline: z
    .strictObject({
      accuracy: unit.optional(),
      precision: unit.optional(),
      recall: unit.optional(),
      f1: unit.optional(),
      auc: unit.optional(),
      macroPrecision: unit.optional(),
      macroRecall: unit.optional(),
      macroF1: unit.optional(),
      weightedPrecision: unit.optional(),
      weightedRecall: unit.optional(),
      weightedF1: unit.optional(),
      rmse: z.number().gt(0).optional(),
      mae: z.number().gt(0).optional(),
    })
    .optional(),
  packageBaseline: z
    .strictObject({
      registry: z.custom<IModelRegistry>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          'modelPackageGroupName' in v &&
          'modelPackageArnPattern' in v,
        { params: { expected: 'an IModelRegistry' }, message: 'is not a model registry' },
      ),
      modelVersion: z.number().int().min(1),
      statisticsBucket: refs.secureBucket,
      statisticsPrefix: tokenOr(
        z
          .string()
          .min(2)
          .max(512)
          .regex(/^[^/].*\/$/),
      ),
      metrics: z
        .array(
          z.enum([
            'accuracy',
            'precision',
            'recall',
            'f1',
            'auc',
            'macroPrecision',
            'macroRecall',
            'macroF1',
            'weightedPrecision',
            'weightedRecall',
            'weightedF1',
            'rmse',
            'mae',
          ]),
        )
        .min(1),
    })
    .optional(),
  maxDrop: z.number().gt(0).lt(1).optional(),
  maxIncrease: z.number().gt(0).max(100).optional(),
  minSamples: z.number().int().min(1).max(10_000_000).optional(),
  maxLabelDelay: durationBetween(Duration.minutes(0), Duration.days(30), {
    literal: true,
    unit: 'minutes',
  }).optional(),
  maxPendingLabels: z.number().int().min(1).max(10_000_000).optional(),
  fairnessFacets: z.array(z.string().min(1).max(200)).min(1).max(20).optional(),
  fairnessGroup: z.string().regex(COLUMN).optional(),
  requestColumns: z.array(z.string().regex(COLUMN)).min(1).max(10_000).optional(),
  fairnessThresholds: z.partialRecord(z.enum(POST_TRAINING), z.number().min(0).max(100)).optional(),
  fairnessMetrics: z.array(z.enum(POST_TRAINING)).min(1).optional(),
  alerts: refs.alerts,
  vpc: refs.vpc,
  encryptionKey: refs.key,
  alarmNamePrefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$/)
    .optional(),
  schedule: rateSchedule.optional(),
  window: durationBetween(Duration.minutes(5), Duration.days(7), {
    literal: true,
    unit: 'minutes',
  }).optional(),
  memorySize: z.number().int().min(256).max(10240).optional(),
  timeout: durationBetween(Duration.minutes(1), Duration.minutes(15), { unit: 'seconds' }).optional(),
});
