import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import {
  DEFAULT_VARIANT_NAME,
  degradationMetricName,
  DIMENSIONS,
  ENV,
  METRIC_NAMESPACE,
  METRICS,
  QUALITY_DEFAULTS,
} from '../../lib/handlers/model-quality-monitor/contract';
import { metricInfo, type PostTrainingMetric } from '../../lib/fairness/metrics';
import { facetName } from '../../lib/model-quality/fairness';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { SecureFunction } from '../core/secure-function';
import { PropsProblem, throwIfProblems, validateProps } from '../core/validate';
import { acknowledgeIdentityPrefixGrant, flattenForNag } from '../serving/nag-ids';
import { alarmEntersAlarmPattern } from './alarm-events';
import { ratePeriod } from './drift-monitor';
import { DEAD_LETTER_KEY_ACTIONS, PUT_METRIC_DATA_ACTIONS } from './drift-monitor-perms';
import {
  FAIRNESS_COLUMN,
  ModelQualityBaseline,
  ModelQualityMonitorProps,
  modelQualityMonitorSchema,
} from './model-quality-monitor-props';

export type {
  ModelQualityBaseline,
  ModelQualityMonitoredEndpoint,
  ModelQualityMonitorProps,
  ModelQualityPackageBaseline,
} from './model-quality-monitor-props';

/** A metric a baseline and a degradation alarm may name. */
export type ModelQualityMetricName = keyof ModelQualityBaseline;

const CLASSIFICATION: readonly ModelQualityMetricName[] = ['accuracy', 'precision', 'recall', 'f1', 'auc'];
const MULTICLASS: readonly ModelQualityMetricName[] = [
  'accuracy',
  'macroPrecision',
  'macroRecall',
  'macroF1',
  'weightedPrecision',
  'weightedRecall',
  'weightedF1',
];
const REGRESSION: readonly ModelQualityMetricName[] = ['rmse', 'mae'];
const ALL: readonly ModelQualityMetricName[] = [
  ...CLASSIFICATION,
  ...MULTICLASS.filter((m) => !CLASSIFICATION.includes(m)),
  ...REGRESSION,
];

const METRIC_NAME: Record<ModelQualityMetricName, string> = {
  accuracy: METRICS.accuracy,
  precision: METRICS.precision,
  recall: METRICS.recall,
  f1: METRICS.f1,
  auc: METRICS.auc,
  macroPrecision: METRICS.macroPrecision,
  macroRecall: METRICS.macroRecall,
  macroF1: METRICS.macroF1,
  weightedPrecision: METRICS.weightedPrecision,
  weightedRecall: METRICS.weightedRecall,
  weightedF1: METRICS.weightedF1,
  rmse: METRICS.rmse,
  mae: METRICS.mae,
};

/** Construct ids of the degradation alarms (public API: renaming one replaces the alarm). */
const ALARM_ID: Record<ModelQualityMetricName, string> = {
  accuracy: 'AccuracyAlarm',
  precision: 'PrecisionAlarm',
  recall: 'RecallAlarm',
  f1: 'F1Alarm',
  auc: 'AucAlarm',
  macroPrecision: 'MacroPrecisionAlarm',
  macroRecall: 'MacroRecallAlarm',
  macroF1: 'MacroF1Alarm',
  weightedPrecision: 'WeightedPrecisionAlarm',
  weightedRecall: 'WeightedRecallAlarm',
  weightedF1: 'WeightedF1Alarm',
  rmse: 'RmseAlarm',
  mae: 'MaeAlarm',
};

/** The oldest a run's event may be, at Scheduler and again at Lambda (as in DriftMonitor). */
const RUN_EVENT_AGE = Duration.seconds(60);

/** A fairness alarm: a post-training metric of one facet (by its column). */
export interface ModelQualityFairnessAlarm {
  /** The post-training metric (Clarify abbreviation). */
  readonly metric: PostTrainingMetric;
  /** The facet's column (`gender` for `gender=female`). */
  readonly column: string;
}

/** `column=value` or `column:<op><number>`, the facet forms a monitor accepts. */
const FACET = /^([^=:]+)(=.+|:(>=|<=|>|<)\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*)$/;

/** Options of the monitor's metric helpers. */
export type ModelQualityMetricOptions = cloudwatch.MetricOptions;

/**
 * Model quality monitoring without SageMaker Model Monitor: a scheduled Lambda function joins the
 * ground-truth labels uploaded in the last window with the endpoint's captured predictions (by the
 * inference id the `InferenceApi` passes to SageMaker), computes accuracy, precision, recall, F1 and
 * AUC (binary classification), accuracy and macro/weighted precision, recall and F1 (multiclass) or
 * RMSE and MAE (regression), and publishes them in `ML/ModelQuality`.
 * One alarm per metric of the registered `baseline` fires when the metric degrades beyond
 * `maxDrop` / `maxIncrease`; alarms on runs that found no input or did not run at all notify the
 * alert topic too. {@link onDegradation} starts retraining, the same way `DriftMonitor.onDrift` does:
 * on the `CloudWatch Alarm State Change` event of a degradation alarm.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html
 */
export class ModelQualityMonitor extends Construct {
  /** The analysis function (role, logs, dead-letter queue). */
  public readonly function: SecureFunction;
  /** The EventBridge Scheduler schedule that runs it. */
  public readonly schedule: scheduler.Schedule;
  /** The role the schedule invokes the function with (that function only). */
  public readonly scheduleRole: ScopedRole;
  /** The policy that lets the function publish metrics in the `ML/ModelQuality` namespace only. */
  public readonly metricsPolicy: iam.ManagedPolicy;
  /** One alarm per baseline metric, by metric name. */
  public readonly degradationAlarms: Readonly<Partial<Record<ModelQualityMetricName, cloudwatch.Alarm>>>;
  /** One alarm per fairness facet and threshold metric, in facet then threshold order. */
  public readonly fairnessAlarms: readonly cloudwatch.Alarm[];
  /** With `packageBaseline`: a run could not read the registered statistics. */
  public readonly baselineAlarm?: cloudwatch.Alarm;
  /** A run found no ground truth or no capture, or failed. */
  public readonly analysisErrorAlarm: cloudwatch.Alarm;
  /** No run reported for two schedule periods. */
  public readonly analysisMissingAlarm: cloudwatch.Alarm;
  /** Every alarm above, all wired to the alert topic. */
  public readonly alarms: readonly cloudwatch.Alarm[];
  /** The monitored endpoint's name (the `EndpointName` dimension). */
  public readonly endpointName: string;
  /** The evaluated variant. */
  public readonly variantName: string;
  /** How often the analysis runs; the period of the alarms and metric helpers. */
  public readonly period: Duration;
  /** Where labels are expected, e.g. `s3://bucket/ground-truth/churn/`. */
  public readonly groundTruthS3Uri: string;
  private degradationRule?: events.Rule;

  constructor(scope: Construct, id: string, props: ModelQualityMonitorProps) {
    super(scope, id);
    const p = validateProps(this, modelQualityMonitorSchema, props);
    const scheduleExpression = p.schedule ?? scheduler.ScheduleExpression.rate(Duration.hours(6));
    const schedule = ratePeriod(scheduleExpression) ?? Duration.hours(6);
    const window = p.window ?? schedule;
    // Higher is better for every classification metric; regression metrics are errors.
    const classification = p.problemType !== 'regression';
    const binary = p.problemType === 'binaryClassification';
    const problems: PropsProblem[] = [];
    const own = binary ? CLASSIFICATION : classification ? MULTICLASS : REGRESSION;
    const staticBaseline: ModelQualityBaseline = p.baseline ?? {};
    const pkg = p.packageBaseline;
    const given = pkg
      ? ALL.filter((m) => pkg.metrics.includes(m))
      : ALL.filter((m) => staticBaseline[m] !== undefined);
    if (pkg && p.baseline !== undefined) {
      problems.push({
        field: 'baseline',
        problem: 'is given with packageBaseline, which replaces it: one of them must go',
        got: JSON.stringify(p.baseline),
        expected: 'baseline or packageBaseline',
      });
    }
    const field = pkg ? 'packageBaseline.metrics' : 'baseline';
    const shown = (m: ModelQualityMetricName): string => (pkg ? m : String(staticBaseline[m]));
    if (given.length === 0) {
      problems.push({
        field: 'baseline',
        problem: 'names no metric, so nothing could alarm on degradation',
        got: '{}',
        expected: `at least one of ${own.join(', ')}`,
      });
    }
    for (const m of given.filter((g) => !own.includes(g))) {
      problems.push({
        field: pkg ? field : `baseline.${m}`,
        problem: `${pkg ? `${m} ` : ''}is not a metric of ${p.problemType} models`,
        got: shown(m),
        expected: `one of ${own.join(', ')}`,
      });
    }
    if (given.includes('auc') && p.classificationOutput === 'label') {
      problems.push({
        field: pkg ? field : 'baseline.auc',
        problem: `${pkg ? 'auc ' : ''}needs scores, and the model returns labels`,
        got: shown('auc'),
        expected: "no auc, or classificationOutput 'probability'",
      });
    }
    const binaryOnly = ['positiveLabel', 'classificationOutput', 'probabilityThreshold'] as const;
    const notApplicable = binary
      ? (['maxIncrease'] as const)
      : classification
        ? ([...binaryOnly, 'maxIncrease'] as const)
        : ([...binaryOnly, 'maxDrop'] as const);
    for (const f of notApplicable) {
      if (p[f] !== undefined) {
        problems.push({
          field: f,
          problem: `does not apply to ${p.problemType} models`,
          got: String(p[f]),
          expected: `no ${f}`,
        });
      }
    }
    if (p.probabilityThreshold !== undefined && p.classificationOutput === 'label') {
      problems.push({
        field: 'probabilityThreshold',
        problem: 'needs scores, and the model returns labels',
        got: String(p.probabilityThreshold),
        expected: "no probabilityThreshold, or classificationOutput 'probability'",
      });
    }
    const maxDrop = p.maxDrop ?? 0.05;
    const maxIncrease = p.maxIncrease ?? 0.2;
    const thresholds: Partial<Record<ModelQualityMetricName, number>> = {};
    for (const m of pkg ? [] : given.filter((g) => own.includes(g))) {
      const base = staticBaseline[m] as number;
      // Rounded so a threshold reads as it was meant (0.85 − 0.05 = 0.7999999999999999).
      const t = classification ? base - maxDrop : base * (1 + maxIncrease);
      thresholds[m] = Math.round(t * 1e9) / 1e9;
      if (classification && thresholds[m] <= 0) {
        problems.push({
          field: 'maxDrop',
          problem: `leaves no threshold for baseline.${m}: the alarm could never fire`,
          got: String(maxDrop),
          expected: `less than baseline.${m} (${base})`,
        });
      }
    }
    if (!window.isUnresolved() && window.toSeconds() < schedule.toSeconds()) {
      problems.push({
        field: 'window',
        problem: 'is shorter than the schedule, so labels between runs would never be evaluated',
        got: window.toString(),
        expected: `at least the schedule (${schedule.toString()})`,
      });
    }
    const latestStart = Duration.seconds(RUN_EVENT_AGE.toSeconds() * 2);
    const longestTimeout = Duration.minutes(schedule.toMinutes() - latestStart.toMinutes());
    if (
      p.timeout !== undefined &&
      !p.timeout.isUnresolved() &&
      p.timeout.toSeconds() > longestTimeout.toSeconds()
    ) {
      problems.push({
        field: 'timeout',
        problem: `leaves no room for the ${latestStart.toMinutes()} minutes a run may start late, so runs could overlap`,
        got: p.timeout.toString(),
        expected: `at most the schedule minus ${latestStart.toMinutes()} minutes (${longestTimeout.toString()})`,
      });
    }
    const facets = p.fairnessFacets ?? [];
    const facetColumns: string[] = [];
    if (facets.length > 0 && !binary) {
      problems.push({
        field: 'fairnessFacets',
        problem: `needs predicted and observed binary outcomes, and ${p.problemType} models have none`,
        got: facets.join(', '),
        expected: "no fairnessFacets, or problemType 'binaryClassification'",
      });
    }
    facets.forEach((f, i) => {
      const m = FACET.exec(f);
      const column = m?.[1].trim();
      if (!m || column === undefined || !FAIRNESS_COLUMN.test(column)) {
        problems.push({
          field: `fairnessFacets.${i}`,
          problem: 'is not a facet with a sensitive group',
          got: f,
          expected: 'column=value or column:>=number, the column of letters, digits and _ . - (at most 64)',
        });
      } else if (facetColumns.includes(column)) {
        problems.push({
          field: `fairnessFacets.${i}`,
          problem: 'repeats a facet column: its alarms and metrics would collide',
          got: f,
          expected: 'one facet per column',
        });
      } else facetColumns.push(column);
    });
    const thresholdsGiven = Object.entries(p.fairnessThresholds ?? {}) as [PostTrainingMetric, number][];
    for (const f of ['fairnessGroup', 'requestColumns', 'fairnessThresholds', 'fairnessMetrics'] as const) {
      if (p[f] !== undefined && facets.length === 0) {
        problems.push({
          field: f,
          problem: 'applies to fairness facets, and none is given',
          got: JSON.stringify(p[f]),
          expected: `no ${f}, or fairnessFacets`,
        });
      }
    }
    for (const [metric, x] of thresholdsGiven) {
      if (metricInfo(metric).threshold === 'ratio' && !(x > 0 && x <= 1)) {
        problems.push({
          field: `fairnessThresholds.${metric}`,
          problem: 'is a ratio bound: the alarm fires outside [x, 1/x]',
          got: String(x),
          expected: 'a number in (0, 1], e.g. 0.8',
        });
      }
    }
    const fairnessMetrics = [
      ...new Set<PostTrainingMetric>(p.fairnessMetrics ?? ['DPPL', 'DI', ...thresholdsGiven.map(([m]) => m)]),
    ];
    for (const [metric] of thresholdsGiven) {
      if (!fairnessMetrics.includes(metric)) {
        problems.push({
          field: `fairnessThresholds.${metric}`,
          problem: 'names a metric that fairnessMetrics does not publish, so its alarm could never fire',
          got: String(p.fairnessThresholds?.[metric]),
          expected: `one of ${fairnessMetrics.join(', ')}, or ${metric} in fairnessMetrics`,
        });
      }
    }
    if (fairnessMetrics.includes('CDDPL') && facets.length > 0 && p.fairnessGroup === undefined) {
      problems.push({
        field: 'fairnessGroup',
        problem: 'is needed for CDDPL, which conditions on a group attribute',
        got: 'undefined',
        expected: 'a request or ground-truth column, or no CDDPL',
      });
    }
    throwIfProblems(this, problems);

    this.endpointName = p.endpoint.endpointName;
    this.variantName = p.endpoint.variantName ?? DEFAULT_VARIANT_NAME;
    this.period = schedule;
    const groundTruthBucket = p.groundTruthBucket ?? p.captureBucket;
    this.groundTruthS3Uri = groundTruthBucket.s3UriForPrefix(p.groundTruthPrefix);
    const maxLabelDelay = p.maxLabelDelay ?? Duration.minutes(QUALITY_DEFAULTS.maxLabelDelayMinutes);

    // The version ARN SageMaker assigns: model-package/<group>/<version>.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
    const packageArn = pkg
      ? Stack.of(this).formatArn({
          service: 'sagemaker',
          resource: 'model-package',
          resourceName: `${pkg.registry.modelPackageGroupName}/${pkg.modelVersion}`,
        })
      : undefined;
    this.function = new SecureFunction(this, 'Function', {
      handler: 'model-quality-monitor',
      vpc: p.vpc,
      encryptionKey: p.encryptionKey,
      description:
        'Model quality of SageMaker predictions joined with ground-truth labels (compliant-mlops ModelQualityMonitor)',
      memorySize: p.memorySize ?? 1024,
      // One run at a time without reserved concurrency, as in DriftMonitor: a run starts at most
      // latestStart late or not at all, is not retried, and ends before the next one is due.
      timeout: p.timeout ?? (longestTimeout.toSeconds() < 600 ? longestTimeout : Duration.minutes(10)),
      retryAttempts: 0,
      maxEventAge: RUN_EVENT_AGE,
      environment: {
        [ENV.endpointName]: this.endpointName,
        [ENV.variantName]: this.variantName,
        [ENV.captureBucket]: p.captureBucket.bucketName,
        [ENV.capturePrefix]: p.capturePrefix,
        [ENV.groundTruthBucket]: groundTruthBucket.bucketName,
        [ENV.groundTruthPrefix]: p.groundTruthPrefix,
        [ENV.problemType]: p.problemType,
        ...(binary
          ? {
              [ENV.positiveLabel]: p.positiveLabel ?? QUALITY_DEFAULTS.positiveLabel,
              [ENV.classificationOutput]: p.classificationOutput ?? 'probability',
              [ENV.probabilityThreshold]: String(
                p.probabilityThreshold ?? QUALITY_DEFAULTS.probabilityThreshold,
              ),
            }
          : {}),
        [ENV.windowMinutes]: String(window.toMinutes()),
        [ENV.maxLabelDelayMinutes]: String(maxLabelDelay.toMinutes()),
        [ENV.minSamples]: String(p.minSamples ?? QUALITY_DEFAULTS.minSamples),
        [ENV.maxPendingLabels]: String(p.maxPendingLabels ?? QUALITY_DEFAULTS.maxPendingLabels),
        ...(pkg
          ? {
              [ENV.packageBaseline]: Stack.of(this).toJsonString({
                modelPackageArn: packageArn,
                statisticsBucket: pkg.statisticsBucket.bucketName,
                statisticsPrefix: pkg.statisticsPrefix,
                metrics: given,
              }),
            }
          : {}),
        ...(facets.length > 0
          ? {
              [ENV.fairness]: JSON.stringify({
                facets,
                metrics: fairnessMetrics,
                ...(p.fairnessGroup !== undefined ? { group: p.fairnessGroup } : {}),
                ...(p.requestColumns !== undefined ? { requestColumns: p.requestColumns } : {}),
              }),
            }
          : {}),
      },
    });
    const role = this.function.role;

    // Read-only data access, each grant scoped to the one prefix it needs (the buckets' keys included).
    const capturePrefix = `${p.capturePrefix}${this.endpointName}/${this.variantName}/`;
    p.captureBucket.grantReadPrefix(role, capturePrefix);
    groundTruthBucket.grantReadPrefix(role, p.groundTruthPrefix);
    acknowledgeIdentityPrefixGrant(
      role,
      p.captureBucket,
      capturePrefix,
      'sagemaker names the capture objects of this variant (yyyy/mm/dd/hh/<id>.jsonl) at run time',
    );
    acknowledgeIdentityPrefixGrant(
      role,
      groundTruthBucket,
      p.groundTruthPrefix,
      'labelling jobs name the ground-truth objects (yyyy/mm/dd/hh/<name>.jsonl) when they upload them',
    );

    if (pkg && packageArn !== undefined) {
      // The served version's statistics: DescribeModelPackage on that one version of the group (no
      // wildcard), GetObject on the statistics prefix only (the S3 URI the package names is checked
      // against it at run time).
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'DescribeRegisteredModel',
          actions: ['sagemaker:DescribeModelPackage'],
          resources: [packageArn],
        }),
      );
      pkg.statisticsBucket.grantReadPrefix(role, pkg.statisticsPrefix);
      acknowledgeIdentityPrefixGrant(
        role,
        pkg.statisticsBucket,
        pkg.statisticsPrefix,
        'the training pipeline names the statistics object of each registered version at run time',
      );
    }

    this.metricsPolicy = new iam.ManagedPolicy(this, 'MetricsPolicy', {
      description: `Model quality metrics of ${this.node.path} (namespace ${METRIC_NAMESPACE} only)`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'PublishModelQualityMetrics',
          actions: PUT_METRIC_DATA_ACTIONS,
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
        }),
      ],
    });
    acknowledge(this.metricsPolicy, 'AwsSolutions-IAM5[Resource::*]', {
      reason: `cloudwatch:PutMetricData has no resource-level permissions, so Resource must be "*"; the cloudwatch:namespace condition limits it to ${METRIC_NAMESPACE}`,
      ...INHERENT,
    });

    this.scheduleRole = new ScopedRole(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: `EventBridge Scheduler schedule that runs ${this.node.path}`,
    });
    this.scheduleRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UndeliveredRunsKey',
        actions: DEAD_LETTER_KEY_ACTIONS,
        resources: [p.encryptionKey.keyArn],
      }),
    );
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Model quality analysis of ${this.node.path}`.slice(0, 512),
      schedule: scheduleExpression,
      timeWindow: scheduler.TimeWindow.off(),
      enabled: true,
      target: new schedulerTargets.LambdaInvoke(this.function.function, {
        role: this.scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({ source: 'compliant-mlops.model-quality-monitor' }),
        retryAttempts: 3,
        maxEventAge: RUN_EVENT_AGE,
        deadLetterQueue: this.function.deadLetterQueue,
      }),
    });
    acknowledge(
      this.scheduleRole.policy,
      `AwsSolutions-IAM5[Resource::${flattenForNag(Stack.of(this).resolve(`${this.function.function.functionArn}:*`))}]`,
      {
        reason:
          "aws-cdk-lib's LambdaInvoke target grants lambda:InvokeFunction on the function and <arn>:*, its versions and aliases: the same function, no other",
        ...INHERENT,
      },
    );
    this.schedule.node.addDependency(this.scheduleRole.policy);

    const name = `endpoint ${this.endpointName}/${this.variantName}`;
    const alarms: Partial<Record<ModelQualityMetricName, cloudwatch.Alarm>> = {};
    for (const m of own) {
      const threshold = thresholds[m];
      if (pkg && given.includes(m)) {
        // The baseline is read at run time, so the alarm reads how far the metric fell from it.
        const tolerated = classification ? maxDrop : maxIncrease;
        alarms[m] = this.metric(degradationMetricName(METRIC_NAME[m]), {
          statistic: cloudwatch.Stats.MAXIMUM,
        }).createAlarm(this, ALARM_ID[m], {
          alarmName: p.alarmNamePrefix ? `${p.alarmNamePrefix}-${m}` : undefined,
          alarmDescription: classification
            ? `Model quality: ${METRIC_NAME[m]} fell more than ${maxDrop} below the registered baseline of version ${pkg.modelVersion} on ${name}`
            : `Model quality: ${METRIC_NAME[m]} rose more than ${maxIncrease * 100}% above the registered baseline of version ${pkg.modelVersion} on ${name}`,
          threshold: tolerated,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.IGNORE,
        });
        continue;
      }
      if (threshold === undefined) continue;
      alarms[m] = this.metric(METRIC_NAME[m], {
        statistic: classification ? cloudwatch.Stats.MINIMUM : cloudwatch.Stats.MAXIMUM,
      }).createAlarm(this, ALARM_ID[m], {
        alarmName: p.alarmNamePrefix ? `${p.alarmNamePrefix}-${m}` : undefined,
        alarmDescription: classification
          ? `Model quality: ${METRIC_NAME[m]} fell below ${threshold} (baseline ${staticBaseline[m]} − ${maxDrop}) on ${name}`
          : `Model quality: ${METRIC_NAME[m]} rose above ${threshold} (baseline ${staticBaseline[m]} + ${maxIncrease * 100}%) on ${name}`,
        threshold,
        comparisonOperator: classification
          ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
          : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // A period without metrics (too few labels, no run) says nothing about quality: the alarm
        // keeps its state, so a gap does not turn ALARM into OK and retrain twice.
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
    }
    this.degradationAlarms = alarms;
    const fairnessAlarms: cloudwatch.Alarm[] = [];
    facets.forEach((spec, i) => {
      const facet = facetName(spec);
      const column = facetColumns[i];
      for (const [metric, x] of thresholdsGiven) {
        const value = this.metric(metric, {
          statistic: cloudwatch.Stats.MAXIMUM,
          dimensionsMap: { [DIMENSIONS.facet]: facet },
        });
        const ratio = metricInfo(metric).threshold === 'ratio';
        const upper = Math.round((1 / x) * 1e9) / 1e9;
        // Metric math: a signed metric breaches at |value| > x; DI, whose parity is 1, outside
        // [x, 1/x] (two IF terms, each 1 when its bound is crossed).
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
        const expression = new cloudwatch.MathExpression({
          expression: ratio ? `IF(m < ${x}, 1, 0) + IF(m > ${upper}, 1, 0)` : 'ABS(m)',
          usingMetrics: { m: value },
          period: this.period,
          label: `${metric} of ${facet}`,
        });
        fairnessAlarms.push(
          expression.createAlarm(this, `FairnessAlarm-${metric}-${column}`, {
            alarmName: p.alarmNamePrefix
              ? ModelQualityMonitor.fairnessAlarmName(p.alarmNamePrefix, { metric, column })
              : undefined,
            alarmDescription: ratio
              ? `Model fairness: ${metric} of ${facet} left [${x}, ${upper}] on ${name}`
              : `Model fairness: |${metric}| of ${facet} rose above ${x} on ${name}`,
            threshold: ratio ? 1 : x,
            comparisonOperator: ratio
              ? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
              : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            // As for degradation: a window without the metric (too few pairs, an empty facet) keeps the state.
            treatMissingData: cloudwatch.TreatMissingData.IGNORE,
          }),
        );
      }
    });
    this.fairnessAlarms = fairnessAlarms;
    this.baselineAlarm = pkg
      ? this.metric(METRICS.baselineNotRead, { statistic: cloudwatch.Stats.MAXIMUM }).createAlarm(
          this,
          'BaselineAlarm',
          {
            alarmDescription: `Model quality of ${name}: the registered statistics of ${pkg.registry.modelPackageGroupName}/${pkg.modelVersion} could not be read, so the degradation alarms were not evaluated (reason in the function's logs)`,
            threshold: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          },
        )
      : undefined;
    this.analysisErrorAlarm = this.metricAnalysisErrors().createAlarm(this, 'AnalysisErrorAlarm', {
      alarmDescription: `Model quality analysis of ${name} evaluated nothing: no ground truth under ${this.groundTruthS3Uri} in the window, no capture, or a failed run (reason in the function's logs)`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.analysisMissingAlarm = this.metricAnalysisRuns().createAlarm(this, 'AnalysisMissingAlarm', {
      alarmDescription: `Model quality analysis of ${name} has not run for two periods: the schedule or the function is failing (see its dead-letter queue)`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.alarms = [
      ...own.flatMap((m) => alarms[m] ?? []),
      ...fairnessAlarms,
      ...(this.baselineAlarm ? [this.baselineAlarm] : []),
      this.analysisErrorAlarm,
      this.analysisMissingAlarm,
    ];
    for (const alarm of this.alarms) p.alerts.notify(alarm);
  }

  /**
   * The EventBridge pattern of a quality degradation: a degradation alarm of a monitor created
   * with `alarmNamePrefix` entering ALARM, for a rule where the monitor is out of reach, e.g.
   * `pipeline.onEvent('RetrainOnQuality', { eventPattern: ModelQualityMonitor.degradationEventPattern('churn-quality', ['auc']) })`.
   * @param metrics the baseline's metrics (the alarms that exist)
   * @param fairness the fairness alarms to include (facet column and metric of each threshold)
   * @default metrics - every metric name (names of metrics without an alarm match nothing)
   */
  public static degradationEventPattern(
    alarmNamePrefix: string,
    metrics: readonly ModelQualityMetricName[] = ALL,
    fairness: readonly ModelQualityFairnessAlarm[] = [],
  ): events.EventPattern {
    return alarmEntersAlarmPattern({
      names: [
        ...metrics.map((m) => `${alarmNamePrefix}-${m}`),
        ...fairness.map((f) => ModelQualityMonitor.fairnessAlarmName(alarmNamePrefix, f)),
      ],
    });
  }

  /** The name of a fairness alarm of a monitor created with `alarmNamePrefix`: `<prefix>-<metric>-<column>`. */
  public static fairnessAlarmName(alarmNamePrefix: string, alarm: ModelQualityFairnessAlarm): string {
    return `${alarmNamePrefix}-${alarm.metric}-${alarm.column}`;
  }

  /**
   * Sends the degradation alarms' transitions to ALARM to a target, e.g. the training pipeline's
   * retraining trigger (`pipeline.asRuleTarget()`): one rule on the default bus, every call adds a
   * target to it.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
   */
  public onDegradation(target: events.IRuleTarget): events.Rule {
    if (!this.degradationRule) {
      this.degradationRule = new events.Rule(this, 'DegradationEvents', {
        description: `Model quality degraded on ${this.node.path}`.slice(0, 512),
        // An unfair model is retrained like a degraded one: both are reasons not to keep serving it.
        eventPattern: alarmEntersAlarmPattern({
          arns: [...Object.values(this.degradationAlarms), ...this.fairnessAlarms].map((a) => a.alarmArn),
        }),
      });
    }
    this.degradationRule.addTarget(target);
    return this.degradationRule;
  }

  /** A metric in `ML/ModelQuality` with this endpoint's dimension. Default: Minimum over the schedule period. */
  public metric(metricName: string, options: ModelQualityMetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      // One point per run; Minimum is the worst for the classification metrics and harmless for one point.
      statistic: cloudwatch.Stats.MINIMUM,
      period: this.period,
      ...options,
      dimensionsMap: { [DIMENSIONS.endpointName]: this.endpointName, ...options.dimensionsMap },
    });
  }

  /** Accuracy of each run. Default: Minimum over the schedule period. */
  public metricAccuracy(options?: ModelQualityMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.accuracy, options);
  }

  /** F1 of each run. Default: Minimum over the schedule period. */
  public metricF1(options?: ModelQualityMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.f1, options);
  }

  /** AUC of each run. Default: Minimum over the schedule period. */
  public metricAuc(options?: ModelQualityMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.auc, options);
  }

  /** RMSE of each run. Default: Maximum over the schedule period. */
  public metricRmse(options?: ModelQualityMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.rmse, { statistic: cloudwatch.Stats.MAXIMUM, ...options });
  }

  /**
   * A post-training fairness metric of one facet, as `fairnessFacets` names it
   * (`metricFairness('DPPL', 'gender=female')`). Default: Maximum over the schedule period.
   */
  public metricFairness(
    metric: PostTrainingMetric,
    facet: string,
    options: ModelQualityMetricOptions = {},
  ): cloudwatch.Metric {
    return this.metric(metric, {
      statistic: cloudwatch.Stats.MAXIMUM,
      ...options,
      dimensionsMap: { [DIMENSIONS.facet]: facetName(facet), ...options.dimensionsMap },
    });
  }

  /** Joined pairs per run (the sample size). Default: Sum over the schedule period. */
  public metricMatchedRecords(options?: ModelQualityMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.matchedRecords, { statistic: cloudwatch.Stats.SUM, ...options });
  }

  /** 1 for a run that evaluated nothing. Default: Maximum over the schedule period. */
  public metricAnalysisErrors(options?: ModelQualityMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.analysisErrors, { statistic: cloudwatch.Stats.MAXIMUM, ...options });
  }

  /** Runs that reported (1 per run). Default: SampleCount over the schedule period. */
  public metricAnalysisRuns(options?: ModelQualityMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.analysisRuns, { statistic: cloudwatch.Stats.SAMPLE_COUNT, ...options });
  }
}
