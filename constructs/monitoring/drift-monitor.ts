import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { z } from 'zod';
import {
  DEFAULT_DRIFT_THRESHOLDS,
  DEFAULT_REPORT_PREFIX,
  DEFAULT_VARIANT_NAME,
  DIMENSIONS,
  ENV,
  METRIC_NAMESPACE,
  METRICS,
} from '../../lib/runtime/drift-monitor/constants';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { SecureFunction } from '../core/secure-function';
import { durationBetween, refs, throwIfProblems, tokenOr, validateProps } from '../core/validate';
import { SecureBucket } from '../storage/secure-bucket';
import { AlertTopic } from './alert-topic';
import {
  DEAD_LETTER_KEY_ACTIONS,
  DEAD_LETTER_SEND_ACTIONS,
  INVOKE_FUNCTION_ACTIONS,
  PUT_METRIC_DATA_ACTIONS,
} from './drift-monitor-perms';

/**
 * The endpoint whose captured traffic is analysed. An `IsolatedEndpoint` fits; so does any object
 * with the endpoint's name (and variant).
 */
export interface DriftMonitoredEndpoint {
  /** The SageMaker endpoint name (the second level of the data capture layout). */
  readonly endpointName: string;
  /**
   * The production variant whose captures are analysed (the third level of the layout).
   * @default 'primary' (the variant name `IsolatedEndpoint` uses)
   */
  readonly variantName?: string;
}

/** Props for {@link DriftMonitor}. */
export interface DriftMonitorProps {
  /** The monitored endpoint. */
  readonly endpoint: DriftMonitoredEndpoint;
  /** The bucket the endpoint's data capture writes to. */
  readonly captureBucket: SecureBucket;
  /**
   * The capture prefix of the endpoint config (`DestinationS3Uri` without bucket), empty or ending
   * in `/`; SageMaker writes `<capturePrefix><endpointName>/<variant>/yyyy/mm/dd/hh/*.jsonl`.
   * `IsolatedEndpoint` uses `data-capture/<endpointName>/` unless told otherwise.
   */
  readonly capturePrefix: string;
  /** S3 key of the baseline JSON (`compliant-mlops baseline train.csv --output baseline.json`). */
  readonly baselineKey: string;
  /**
   * The bucket that holds the baseline.
   * @default - the capture bucket
   */
  readonly baselineBucket?: SecureBucket;
  /**
   * The schema hash the served model expects (`schemaHash` of its baseline); a baseline with another
   * schema then raises the analysis-error alarm instead of producing numbers.
   * @default - any baseline schema is accepted (captures must still fit it)
   */
  readonly expectedSchemaHash?: string;
  /**
   * Where the JSON reports go, encrypted with this bucket's key.
   * @default - the capture bucket
   */
  readonly reportBucket?: SecureBucket;
  /**
   * Key prefix of the reports, empty or ending in `/`: `<reportPrefix><endpointName>/<time>.json`.
   * @default 'drift-reports/'
   */
  readonly reportPrefix?: string;
  /** Every alarm of the monitor notifies this topic. */
  readonly alerts: AlertTopic;
  /** The VPC the analysis function runs in (it reaches S3 and CloudWatch through VPC endpoints). */
  readonly vpc: ec2.IVpc;
  /** Key of the function's logs, environment and dead-letter queue (the platform's `logs` key). */
  readonly encryptionKey: kms.IKey;
  /**
   * How often the analysis runs (EventBridge Scheduler `rate(...)`), whole minutes, 5 minutes to 12
   * hours. Also the period of the alarms.
   * @default Duration.hours(1)
   */
  readonly schedule?: Duration;
  /**
   * How much capture each run reads (objects written in the window before the run). At least the
   * schedule, or captures between runs would never be analysed; longer windows overlap.
   * @default - the schedule
   */
  readonly window?: Duration;
  /**
   * A feature with `PSI ≥` this has drifted, and the max-PSI alarm fires at it. 0.1–0.2 is commonly
   * read as a moderate, ≥ 0.2 as a significant population shift.
   * @default 0.2
   */
  readonly psiThreshold?: number;
  /**
   * Significance level: a feature whose KS (numeric) or chi-square (categorical) p-value is below
   * it has drifted.
   * @default 0.01
   */
  readonly pValue?: number;
  /**
   * Observed values a feature needs in a window before it can count as drifted (smaller samples are noise).
   * @default 100
   */
  readonly minSampleSize?: number;
  /**
   * The drifted-share alarm fires when at least this share of the features drifted.
   * @default 0.3 (the 30% of AWS's drift-monitoring sample)
   */
  readonly driftedShareThreshold?: number;
  /**
   * Memory of the analysis function (CPU scales with it; parsing is CPU-bound).
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Timeout of the analysis function. A run stops reading 30 s before it and reports what it read.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
}

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const PREFIX = /^([^/].*\/)?$/;

const wholeMinutes = (d: Duration): boolean => d.isUnresolved() || d.toMilliseconds() % 60_000 === 0;

const schema = z.strictObject({
  endpoint: z.object({
    endpointName: tokenOr(z.string().regex(NAME)),
    variantName: tokenOr(z.string().regex(NAME)).optional(),
  }),
  captureBucket: z.instanceof(SecureBucket, { message: 'is not a SecureBucket' }),
  capturePrefix: tokenOr(z.string().max(512).regex(PREFIX)),
  baselineKey: tokenOr(z.string().min(1).max(1024).regex(/^[^/](.*[^/])?$/)),
  baselineBucket: z.instanceof(SecureBucket, { message: 'is not a SecureBucket' }).optional(),
  expectedSchemaHash: z.string().regex(/^sha256:[0-9a-f]{64}$/).optional(),
  reportBucket: z.instanceof(SecureBucket, { message: 'is not a SecureBucket' }).optional(),
  reportPrefix: tokenOr(z.string().max(512).regex(PREFIX)).optional(),
  alerts: z.instanceof(AlertTopic, { message: 'is not an AlertTopic' }),
  vpc: refs.vpc,
  encryptionKey: refs.key,
  schedule: durationBetween(Duration.minutes(5), Duration.hours(12), { literal: true })
    .refine(wholeMinutes, { message: 'is not whole minutes', params: { expected: 'a whole number of minutes' } })
    .optional(),
  window: durationBetween(Duration.minutes(5), Duration.days(7), { literal: true })
    .refine(wholeMinutes, { message: 'is not whole minutes', params: { expected: 'a whole number of minutes' } })
    .optional(),
  psiThreshold: z.number().gt(0).max(10).optional(),
  pValue: z.number().gt(0).max(0.5).optional(),
  minSampleSize: z.number().int().min(1).max(10_000_000).optional(),
  driftedShareThreshold: z.number().gt(0).max(1).optional(),
  memorySize: z.number().int().min(256).max(10240).optional(),
  timeout: durationBetween(Duration.minutes(1), Duration.minutes(15), { unit: 'seconds' }).optional(),
});

/** Options of the drift monitor's metric helpers. */
export type DriftMetricOptions = cloudwatch.MetricOptions;

/**
 * Drift monitoring without SageMaker Model Monitor: a scheduled Lambda function reads the last
 * window of an endpoint's data capture, compares every feature with a baseline built from the
 * training data (PSI over decile bins, Kolmogorov–Smirnov for numeric, chi-square for categorical
 * features), writes a JSON report to an encrypted bucket and publishes per-feature metrics
 * (`ML/Drift`). Alarms on the largest PSI, the share of drifted features and on runs that could
 * not analyse anything (no capture, unparsable records, a baseline of another schema, no run at
 * all) notify the alert topic; {@link onDrift} starts retraining when drift is detected.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/what-is-scheduler.html
 */
export class DriftMonitor extends Construct {
  /** The analysis function (role, logs, dead-letter queue). */
  public readonly function: SecureFunction;
  /** The EventBridge Scheduler schedule that runs it. */
  public readonly schedule: scheduler.CfnSchedule;
  /** The role the schedule invokes the function with (that function only). */
  public readonly scheduleRole: ScopedRole;
  /** The policy that lets the function publish metrics in the `ML/Drift` namespace only. */
  public readonly metricsPolicy: iam.ManagedPolicy;
  /** Max feature PSI ≥ `psiThreshold`. */
  public readonly maxPsiAlarm: cloudwatch.Alarm;
  /** Drifted share ≥ `driftedShareThreshold`. */
  public readonly driftedShareAlarm: cloudwatch.Alarm;
  /** A run could not produce a report (bad or missing input). */
  public readonly analysisErrorAlarm: cloudwatch.Alarm;
  /** No run reported for two schedule periods (the function or its schedule is broken). */
  public readonly analysisMissingAlarm: cloudwatch.Alarm;
  /** Every alarm above, all wired to the alert topic. */
  public readonly alarms: readonly cloudwatch.Alarm[];
  /** The monitored endpoint's name (the `EndpointName` dimension). */
  public readonly endpointName: string;
  /** The analysed variant. */
  public readonly variantName: string;
  /** How often the analysis runs; the period of the alarms and metric helpers. */
  public readonly period: Duration;
  /** Where the reports go, e.g. `s3://bucket/drift-reports/churn/`. */
  public readonly reportS3Uri: string;
  private driftRule?: events.Rule;

  constructor(scope: Construct, id: string, props: DriftMonitorProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const schedule = p.schedule ?? Duration.hours(1);
    const window = p.window ?? schedule;
    if (!schedule.isUnresolved() && !window.isUnresolved() && window.toSeconds() < schedule.toSeconds()) {
      throwIfProblems(this, [
        {
          field: 'window',
          problem: 'is shorter than the schedule, so captures between runs would never be analysed',
          got: window.toString(),
          expected: `at least the schedule (${schedule.toString()})`,
        },
      ]);
    }
    this.endpointName = p.endpoint.endpointName;
    this.variantName = p.endpoint.variantName ?? DEFAULT_VARIANT_NAME;
    this.period = schedule;
    const baselineBucket = p.baselineBucket ?? p.captureBucket;
    const reportBucket = p.reportBucket ?? p.captureBucket;
    const reportPrefix = p.reportPrefix ?? DEFAULT_REPORT_PREFIX;
    const thresholds = {
      psi: p.psiThreshold ?? DEFAULT_DRIFT_THRESHOLDS.psi,
      pValue: p.pValue ?? DEFAULT_DRIFT_THRESHOLDS.pValue,
      minSampleSize: p.minSampleSize ?? DEFAULT_DRIFT_THRESHOLDS.minSampleSize,
      driftedShare: p.driftedShareThreshold ?? DEFAULT_DRIFT_THRESHOLDS.driftedShare,
    };
    this.reportS3Uri = reportBucket.s3UriForPrefix(`${reportPrefix}${this.endpointName}/`);

    this.function = new SecureFunction(this, 'Function', {
      handler: 'drift-monitor',
      vpc: p.vpc,
      encryptionKey: p.encryptionKey,
      description: 'Drift analysis of SageMaker data capture against a training baseline (compliant-mlops DriftMonitor)',
      memorySize: p.memorySize ?? 1024,
      timeout: p.timeout ?? Duration.minutes(5),
      environment: {
        [ENV.endpointName]: this.endpointName,
        [ENV.variantName]: this.variantName,
        [ENV.captureBucket]: p.captureBucket.bucketName,
        [ENV.capturePrefix]: p.capturePrefix,
        [ENV.baselineBucket]: baselineBucket.bucketName,
        [ENV.baselineKey]: p.baselineKey,
        ...(p.expectedSchemaHash ? { [ENV.expectedSchemaHash]: p.expectedSchemaHash } : {}),
        [ENV.reportBucket]: reportBucket.bucketName,
        [ENV.reportPrefix]: reportPrefix,
        [ENV.reportKmsKeyId]: reportBucket.encryptionKey.keyArn,
        [ENV.windowMinutes]: String(window.toMinutes()),
        [ENV.psiThreshold]: String(thresholds.psi),
        [ENV.pValue]: String(thresholds.pValue),
        [ENV.minSampleSize]: String(thresholds.minSampleSize),
        [ENV.driftedShareThreshold]: String(thresholds.driftedShare),
      },
    });
    const role = this.function.role;

    // Data access through the buckets' policies, each scoped to the one prefix or key it needs.
    p.captureBucket.grantReadPrefix(role, `${p.capturePrefix}${this.endpointName}/${this.variantName}/`);
    baselineBucket.grantReadPrefix(role, p.baselineKey);
    reportBucket.grantWritePrefix(role, `${reportPrefix}${this.endpointName}/`);

    this.metricsPolicy = new iam.ManagedPolicy(this, 'MetricsPolicy', {
      description: `Drift metrics of ${this.node.path} (namespace ${METRIC_NAMESPACE} only)`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'PublishDriftMetrics',
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
        sid: 'InvokeDriftAnalysis',
        actions: INVOKE_FUNCTION_ACTIONS,
        resources: [this.function.function.functionArn],
      }),
    );
    // Runs Scheduler cannot deliver wait in the function's (KMS-encrypted) dead-letter queue.
    const deadLetters = this.function.deadLetterQueue;
    this.scheduleRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'UndeliveredRuns', actions: DEAD_LETTER_SEND_ACTIONS, resources: [deadLetters.queueArn] }),
    );
    this.scheduleRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'UndeliveredRunsKey', actions: DEAD_LETTER_KEY_ACTIONS, resources: [p.encryptionKey.keyArn] }),
    );
    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: `Drift analysis of ${this.node.path}`.slice(0, 512),
      scheduleExpression: rateExpression(schedule),
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.function.function.functionArn,
        roleArn: this.scheduleRole.roleArn,
        input: JSON.stringify({ source: 'compliant-mlops.drift-monitor' }),
        // A run older than one period is superseded by the next one.
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: Math.min(86_400, Math.max(60, schedule.toSeconds())) },
        deadLetterConfig: { arn: deadLetters.queueArn },
      },
    });
    this.schedule.node.addDependency(this.scheduleRole.policy);

    const name = `endpoint ${this.endpointName}/${this.variantName}`;
    this.maxPsiAlarm = this.metricMaxPsi().createAlarm(this, 'MaxPsiAlarm', {
      alarmDescription: `Drift: a feature's PSI reached ${thresholds.psi} on ${name} (see ${this.reportS3Uri})`,
      threshold: thresholds.psi,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // A run without a report publishes no PSI; the analysis alarms speak for it.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.driftedShareAlarm = this.metricDriftedShare().createAlarm(this, 'DriftedShareAlarm', {
      alarmDescription: `Drift: at least ${thresholds.driftedShare * 100}% of the features drifted on ${name} (see ${this.reportS3Uri})`,
      threshold: thresholds.driftedShare,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.analysisErrorAlarm = this.metricAnalysisErrors().createAlarm(this, 'AnalysisErrorAlarm', {
      alarmDescription: `Drift analysis of ${name} produced no report: no capture in the window, unparsable records, or a missing or mismatched baseline (reason in the function's logs and the report)`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.analysisMissingAlarm = this.metricAnalysisRuns().createAlarm(this, 'AnalysisMissingAlarm', {
      alarmDescription: `Drift analysis of ${name} has not run for two periods: the schedule or the function is failing (see its dead-letter queue)`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // Two periods, so a run that lands just after a period boundary does not page.
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.alarms = [this.maxPsiAlarm, this.driftedShareAlarm, this.analysisErrorAlarm, this.analysisMissingAlarm];
    for (const alarm of this.alarms) p.alerts.notify(alarm);
  }

  /**
   * Sends the drift alarms' transitions to ALARM (max PSI or drifted share) to a target, e.g. the
   * training pipeline's retraining trigger (`pipeline.asRuleTarget()`). CloudWatch emits a
   * `CloudWatch Alarm State Change` event on the default bus; one rule matches both alarms and
   * every call adds a target to it. The alert topic already receives the alarms themselves.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
   */
  public onDrift(target: events.IRuleTarget): events.Rule {
    if (!this.driftRule) {
      this.driftRule = new events.Rule(this, 'DriftEvents', {
        description: `Drift detected on ${this.node.path}`.slice(0, 512),
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: [this.maxPsiAlarm.alarmArn, this.driftedShareAlarm.alarmArn],
          detail: { state: { value: ['ALARM'] } },
        },
      });
    }
    this.driftRule.addTarget(target);
    return this.driftRule;
  }

  /**
   * A metric in `ML/Drift` with this endpoint's dimension.
   * Default: statistic Maximum, period = the schedule.
   */
  public metric(metricName: string, options: DriftMetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.MAXIMUM,
      period: this.period,
      ...options,
      dimensionsMap: { [DIMENSIONS.endpointName]: this.endpointName, ...options.dimensionsMap },
    });
  }

  /** The largest feature PSI of each run. Default: Maximum over the schedule period. */
  public metricMaxPsi(options?: DriftMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.maxPsi, options);
  }

  /** Drifted features / all features of each run (0–1). Default: Maximum over the schedule period. */
  public metricDriftedShare(options?: DriftMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.driftedShare, options);
  }

  /** 1 for a run that produced no report, 0 otherwise. Default: Maximum over the schedule period. */
  public metricAnalysisErrors(options?: DriftMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.analysisErrors, options);
  }

  /** 1 when a run found no capture object or no parsable record. Default: Maximum over the schedule period. */
  public metricDataMissing(options?: DriftMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.dataMissing, options);
  }

  /** Runs that reported (1 per run). Default: SampleCount over the schedule period. */
  public metricAnalysisRuns(options?: DriftMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.analysisRuns, { statistic: cloudwatch.Stats.SAMPLE_COUNT, ...options });
  }

  /** Capture records read per run. Default: Sum over the schedule period. */
  public metricRecordsAnalyzed(options?: DriftMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.recordsAnalyzed, { statistic: cloudwatch.Stats.SUM, ...options });
  }

  /** One feature's PSI. Default: Maximum over the schedule period. */
  public metricFeaturePsi(feature: string, options: DriftMetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRICS.psi, { ...options, dimensionsMap: { [DIMENSIONS.feature]: feature, ...options.dimensionsMap } });
  }

  /** One feature's KS or chi-square p-value. Default: Maximum over the schedule period. */
  public metricFeaturePValue(feature: string, options: DriftMetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRICS.pValue, { ...options, dimensionsMap: { [DIMENSIONS.feature]: feature, ...options.dimensionsMap } });
  }
}

/** `rate(1 hour)`, `rate(90 minutes)`, `rate(2 hours)`: the largest whole unit. */
export function rateExpression(d: Duration): string {
  const minutes = d.toMinutes();
  const [n, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `rate(${n} ${unit}${n === 1 ? '' : 's'})`;
}
