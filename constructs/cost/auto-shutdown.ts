import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { requireAlertPublishers } from '../monitoring/alert-topic';
import {
  DEFAULT_ENVIRONMENT_TAG_KEY,
  DEFAULT_EXEMPTION_TAG_KEY,
  DEFAULT_PRODUCTION_VALUES,
  DEFAULT_STUDIO_APP_TYPES,
  ENV,
  HANDLER_TAG_PREFIX,
  LAST_ACTIVITY_TAG,
  METRIC_NAMESPACE,
  TARGETS,
} from '../../lib/handlers/auto-shutdown/contract';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { SecureFunction } from '../core/secure-function';
import {
  durationBetween,
  literalList,
  PropsProblem,
  refs,
  throwIfProblems,
  validateProps,
} from '../core/validate';
import type { IAlertDestination } from '../monitoring/alert-topic';
import { DEAD_LETTER_KEY_ACTIONS, triggerDeadLetterQueue } from '../training/dead-letters';
import { flattenedArn } from '../training/nag-ids';
import { idleCheckScript } from './auto-shutdown-lcc';
import {
  DELETE_APP_ACTIONS,
  DELETE_ENDPOINT_ACTIONS,
  DESCRIBE_APP_ACTIONS,
  DESCRIBE_ENDPOINT_ACTIONS,
  DESCRIBE_ENDPOINT_CONFIG_ACTIONS,
  LIST_ACTIONS,
  METRIC_PUBLISH_ACTIONS,
  METRIC_READ_ACTIONS,
  READ_TAG_ACTIONS,
  STOP_NOTEBOOK_ACTIONS,
  TAG_ACTIONS,
} from './auto-shutdown-perms';

export { idleCheckScript } from './auto-shutdown-lcc';
export { LAST_ACTIVITY_TAG, METRIC_NAMESPACE } from '../../lib/handlers/auto-shutdown/contract';

/** What an auto-shutdown sweep looks at. */
export type AutoShutdownTarget = 'notebooks' | 'studio' | 'endpoints';

/** Studio app types the sweep may delete. */
export type StudioAppType = 'JupyterLab' | 'CodeEditor' | 'KernelGateway' | 'JupyterServer';

/** When off-hours begin: an EventBridge Scheduler cron expression in a time zone. */
export interface OffHoursSchedule {
  /** A six-field Scheduler cron expression, e.g. `cron(0 20 ? * MON-FRI *)`. */
  readonly expression: string;
  /** An IANA time zone, e.g. `Europe/London`; daylight saving is followed. */
  readonly timeZone: string;
}

/** The default off-hours schedule: weekdays at 20:00 London time. */
export const DEFAULT_OFF_HOURS: OffHoursSchedule = {
  expression: 'cron(0 20 ? * MON-FRI *)',
  timeZone: 'Europe/London',
};

/** Props for {@link AutoShutdown}. */
export interface AutoShutdownProps {
  /**
   * Where each run's report (on-success destination) and the failure alarms (ALARM and OK) go: the
   * platform's `AlertTopic`, or any topic through `AlertTopic.fromTopic(topic)`. A key it names must
   * let CloudWatch publish (`alert-publishers`).
   */
  readonly alerts: IAlertDestination;
  /** The VPC the function runs in; it needs the sagemaker.api, monitoring, sns, logs and sts endpoints. */
  readonly vpc: ec2.IVpc;
  /** Key for the function's logs, dead-letter queue and environment (the `logs` key). */
  readonly encryptionKey: kms.IKey;
  /**
   * Report only; change nothing. On by default so that the first deployment shows what it would
   * do: read a few run reports, then set `false`.
   * @default true
   */
  readonly dryRun?: boolean;
  /**
   * Most resources one run may stop or delete (the blast-radius cap); eligible ones beyond it are
   * reported as skipped and handled by the next run.
   * @default 10
   */
  readonly maxActionsPerRun?: number;
  /**
   * Notebook instances and Studio apps idle longer than this are stopped / deleted.
   * @default Duration.hours(2)
   */
  readonly idleThreshold?: Duration;
  /**
   * Non-production endpoints with no invocations for this long are deleted.
   * @default Duration.hours(24)
   */
  readonly endpointIdleThreshold?: Duration;
  /**
   * Studio apps older than this are deleted whatever their activity.
   * @default Duration.hours(12)
   */
  readonly studioMaxAppAge?: Duration;
  /**
   * When every non-exempt notebook instance is stopped and every non-exempt Studio app deleted.
   * @default DEFAULT_OFF_HOURS (weekdays 20:00 Europe/London)
   */
  readonly offHoursSchedule?: OffHoursSchedule;
  /**
   * Whether the off-hours schedule runs.
   * @default true
   */
  readonly offHoursEnabled?: boolean;
  /**
   * How often the idle sweep runs (whole minutes).
   * @default Duration.minutes(30)
   */
  readonly sweepInterval?: Duration;
  /**
   * A resource whose tag with this key has the value `true` is never touched.
   * @default 'auto-shutdown:exempt'
   */
  readonly exemptionTagKey?: string;
  /**
   * Tag key naming an endpoint's environment; endpoints without it are never touched.
   * @default 'environment'
   */
  readonly environmentTagKey?: string;
  /**
   * Environment tag values (any case) of production endpoints, which are never touched.
   * @default ['prod', 'production']
   */
  readonly productionValues?: string[];
  /**
   * What the sweep looks at.
   * @default ['notebooks', 'studio', 'endpoints']
   */
  readonly targets?: AutoShutdownTarget[];
  /**
   * Studio app types the sweep may delete. `JupyterServer` (the classic `default` app) only when listed.
   * @default ['JupyterLab', 'CodeEditor', 'KernelGateway']
   */
  readonly studioAppTypes?: StudioAppType[];
  /**
   * A Studio domain of this app whose default user settings get SageMaker's native idle shutdown
   * for JupyterLab and Code Editor (at `idleThreshold`, at least 60 minutes). For a domain
   * defined elsewhere use {@link studioIdleSettings} in its props; the sweep covers every domain
   * of the account and region either way.
   * @default - no domain settings are changed
   */
  readonly studioDomain?: sagemaker.CfnDomain;
  /**
   * Attempts per API request; throttling and 5xx are retried with exponential backoff.
   * @default 8
   */
  readonly maxAttempts?: number;
}

const tagKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u);

function literalMinutes(schema: z.ZodType<Duration, Duration>): z.ZodType<Duration, Duration> {
  return schema.superRefine((d, ctx) => {
    if (d.isUnresolved() || d.toMilliseconds() % 60_000 !== 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'is not a whole number of minutes',
        input: d,
        params: { expected: 'a literal Duration in whole minutes' },
      });
    }
  });
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const schema = z.strictObject({
  alerts: refs.alerts,
  vpc: refs.vpc,
  encryptionKey: refs.key,
  dryRun: z.boolean().optional(),
  maxActionsPerRun: z.number().int().min(0).max(1000).optional(),
  idleThreshold: literalMinutes(durationBetween(Duration.minutes(5), Duration.days(7))).optional(),
  endpointIdleThreshold: literalMinutes(durationBetween(Duration.hours(1), Duration.days(14))).optional(),
  studioMaxAppAge: literalMinutes(durationBetween(Duration.minutes(5), Duration.days(30))).optional(),
  offHoursSchedule: z
    .strictObject({
      expression: z.string().regex(/^cron\(\S+( \S+){5}\)$/),
      timeZone: z.string().refine(isTimeZone, {
        message: 'is not an IANA time zone',
        params: { expected: 'an IANA time zone such as Europe/London' },
      }),
    })
    .optional(),
  offHoursEnabled: z.boolean().optional(),
  sweepInterval: literalMinutes(durationBetween(Duration.minutes(5), Duration.hours(24))).optional(),
  exemptionTagKey: tagKey.optional(),
  environmentTagKey: tagKey.optional(),
  // Joined into the handler's environment and listed in an IAM condition at synth.
  productionValues: literalList(z.array(z.string().min(1).max(256)).min(1)).optional(),
  targets: z.array(z.enum(TARGETS)).min(1).optional(),
  studioAppTypes: z
    .array(z.enum(['JupyterLab', 'CodeEditor', 'KernelGateway', 'JupyterServer']))
    .min(1)
    .optional(),
  studioDomain: z
    .custom<sagemaker.CfnDomain>((v) => v instanceof sagemaker.CfnDomain, {
      params: { expected: 'a sagemaker.CfnDomain' },
      message: 'is not a CfnDomain',
    })
    .optional(),
  maxAttempts: z.number().int().min(1).max(20).optional(),
});

/**
 * The `DefaultUserSettings` fragment that turns on SageMaker Studio's native idle shutdown for
 * JupyterLab and Code Editor apps, for a `CfnDomain` you define:
 * `new CfnDomain(this, 'Domain', { defaultUserSettings: { executionRole, ...studioIdleSettings(Duration.hours(2)) } })`.
 * Native idle shutdown does not fire while a kernel or terminal is open; {@link AutoShutdown}'s
 * sweep covers that case.
 *
 * @param idleTimeout between 60 minutes and 365 days
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-idle-shutdown.html
 */
export function studioIdleSettings(
  idleTimeout: Duration,
): Pick<sagemaker.CfnDomain.UserSettingsProperty, 'jupyterLabAppSettings' | 'codeEditorAppSettings'> {
  const minutes = Math.max(60, Math.min(525_600, Math.round(idleTimeout.toMinutes({ integral: false }))));
  const appLifecycleManagement = {
    idleSettings: {
      lifecycleManagement: 'ENABLED',
      idleTimeoutInMinutes: minutes,
      minIdleTimeoutInMinutes: 60,
      maxIdleTimeoutInMinutes: minutes,
    },
  };
  return {
    jupyterLabAppSettings: { appLifecycleManagement },
    codeEditorAppSettings: { appLifecycleManagement },
  };
}

/**
 * Stops idle SageMaker notebook instances, deletes idle Studio apps and removes idle
 * non-production endpoints, on EventBridge Scheduler schedules: an idle sweep every
 * `sweepInterval`, and an off-hours run (cron in a time zone) that stops every non-exempt notebook
 * and Studio app.
 *
 * Safe by construction: dry run on by default, a cap on changes per run, an exemption tag, never an
 * endpoint tagged production or without an environment tag (enforced by the handler and again by
 * IAM conditions), a restore record on the endpoint config before an endpoint is deleted,
 * one sweep at a time (timeout and event ages shorter than the sweep period, no Lambda retries;
 * no reserved concurrency, which low-quota accounts reject). Each run's JSON report is logged, published as `ML/AutoShutdown` metrics
 * and sent to the alert topic by the function's on-success destination; failures alarm.
 *
 * Notebook idleness comes from the lifecycle config {@link lifecycleConfig}, which notebooks must
 * reference (`lifecycleConfigName`) and whose role needs {@link grantActivityReporting}.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/notebook-lifecycle-config.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export class AutoShutdown extends Construct {
  /** The sweeping function. */
  public readonly function: SecureFunction;
  /** The notebook lifecycle config with the idle check; reference its name from notebook instances. */
  public readonly lifecycleConfig: sagemaker.CfnNotebookInstanceLifecycleConfig;
  /** The idle-sweep schedule. */
  public readonly sweepSchedule: scheduler.CfnSchedule;
  /** The off-hours schedule, unless disabled. */
  public readonly offHoursSchedule?: scheduler.CfnSchedule;
  /** The role EventBridge Scheduler invokes the function with. */
  public readonly schedulerRole: ScopedRole;
  /** Scheduler invocations that could not be delivered. */
  public readonly scheduleDeadLetterQueue: sqs.Queue;
  /** The permissions of the function for the sweep. */
  public readonly policy: iam.ManagedPolicy;
  /** Alarm: a run reported failed resources. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** Alarm: a run failed as a whole (configuration error, timeout). */
  public readonly errorAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AutoShutdownProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const exemptionTagKey = p.exemptionTagKey ?? DEFAULT_EXEMPTION_TAG_KEY;
    const environmentTagKey = p.environmentTagKey ?? DEFAULT_ENVIRONMENT_TAG_KEY;
    const problems: PropsProblem[] = [];
    if (exemptionTagKey === environmentTagKey) {
      problems.push({
        field: 'environmentTagKey',
        problem: 'is the same as exemptionTagKey',
        got: JSON.stringify(environmentTagKey),
        expected: 'a different tag key',
      });
    }
    if (p.studioDomain && Token.isUnresolved(p.studioDomain.defaultUserSettings)) {
      problems.push({
        field: 'studioDomain',
        problem: 'has unresolvable defaultUserSettings',
        got: '<token>',
        expected: 'a CfnDomain whose defaultUserSettings is a literal object',
      });
    }
    throwIfProblems(this, problems);
    requireAlertPublishers(this, p.alerts);

    const idle = p.idleThreshold ?? Duration.hours(2);
    const endpointIdle = p.endpointIdleThreshold ?? Duration.hours(24);
    const interval = p.sweepInterval ?? Duration.minutes(30);
    const targets = p.targets ?? [...TARGETS];
    const productionValues = p.productionValues ?? [...DEFAULT_PRODUCTION_VALUES];
    const stack = Stack.of(this);

    this.function = new SecureFunction(this, 'Function', {
      handler: 'auto-shutdown',
      vpc: p.vpc,
      encryptionKey: p.encryptionKey,
      description:
        'Stops idle SageMaker notebooks, deletes idle Studio apps and idle non-production endpoints',
      // One sweep at a time, without reserved concurrency (low-quota accounts reject any): a run
      // starts at most SWEEP_EVENT_AGE (Scheduler) + SWEEP_EVENT_AGE (Lambda) after its scheduled
      // time and ends within the timeout, so it has ended before the next sweep is due; a failed
      // run is not retried (the next one takes over). See constructs/core/README.md.
      timeout: minDuration(
        Duration.minutes(10),
        Duration.seconds(interval.toSeconds() - 2 * SWEEP_EVENT_AGE.toSeconds()),
      ),
      retryAttempts: 0,
      maxEventAge: SWEEP_EVENT_AGE,
      // Each run's returned report goes to the alert topic (on-success destination).
      onSuccessTopic: p.alerts.topic,
      onSuccessTopicKey: p.alerts.encryptionKey,
      environment: {
        [ENV.dryRun]: String(p.dryRun ?? true),
        [ENV.maxActionsPerRun]: String(p.maxActionsPerRun ?? 10),
        [ENV.idleThresholdMinutes]: String(idle.toMinutes()),
        [ENV.endpointIdleThresholdMinutes]: String(endpointIdle.toMinutes()),
        [ENV.studioMaxAppAgeMinutes]: String((p.studioMaxAppAge ?? Duration.hours(12)).toMinutes()),
        [ENV.exemptionTagKey]: exemptionTagKey,
        [ENV.environmentTagKey]: environmentTagKey,
        [ENV.productionValues]: productionValues.join(','),
        [ENV.targets]: targets.join(','),
        [ENV.studioAppTypes]: (p.studioAppTypes ?? DEFAULT_STUDIO_APP_TYPES).join(','),
        [ENV.maxAttempts]: String(p.maxAttempts ?? 8),
      },
    });

    this.policy = this.grantSweep(exemptionTagKey, environmentTagKey, productionValues);

    this.lifecycleConfig = new sagemaker.CfnNotebookInstanceLifecycleConfig(this, 'IdleCheck', {
      onStart: [{ content: Buffer.from(idleCheckScript(), 'utf8').toString('base64') }],
    });

    this.scheduleDeadLetterQueue = triggerDeadLetterQueue(this, 'ScheduleDeadLetters', p.encryptionKey);
    this.schedulerRole = new ScopedRole(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      description: `EventBridge Scheduler schedules that run ${this.node.path}`,
    });
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeSweep',
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.function.functionArn],
      }),
    );
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UndeliveredRuns',
        actions: ['sqs:SendMessage'],
        resources: [this.scheduleDeadLetterQueue.queueArn],
      }),
    );
    // Scheduler writes dead letters as this role, so SQS encrypts them with the queue's key for it.
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UndeliveredRunsKey',
        actions: [...DEAD_LETTER_KEY_ACTIONS],
        resources: [p.encryptionKey.keyArn],
      }),
    );
    this.sweepSchedule = this.schedule(
      'IdleSweepSchedule',
      `rate(${interval.toMinutes()} minutes)`,
      'UTC',
      'idle-sweep',
      SWEEP_EVENT_AGE,
    );
    if (p.offHoursEnabled ?? true) {
      const off = p.offHoursSchedule ?? DEFAULT_OFF_HOURS;
      this.offHoursSchedule = this.schedule(
        'OffHoursSchedule',
        off.expression,
        off.timeZone,
        'off-hours',
        Duration.hours(1),
      );
    }

    if (p.studioDomain) applyStudioIdleSettings(p.studioDomain, idle);

    const period = interval;
    this.failureAlarm = new cloudwatch.Alarm(this, 'FailuresAlarm', {
      alarmDescription: `${this.node.path}: a run could not handle some resources; see the run report in the function's log`,
      metric: this.metricFailed({ period }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    p.alerts.notify(this.failureAlarm);
    this.errorAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `${this.node.path}: a run failed as a whole; the event is in the function's dead-letter queue`,
      metric: this.function.function.metricErrors({ period, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    p.alerts.notify(this.errorAlarm);
  }

  /**
   * Lets a notebook instance's execution role write its idle signal: `sagemaker:AddTags` on
   * notebook instances, for the `auto-shutdown:last-activity` tag key only.
   */
  public grantActivityReporting(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...TAG_ACTIONS],
      resourceArns: [
        Stack.of(this).formatArn({ service: 'sagemaker', resource: 'notebook-instance', resourceName: '*' }),
      ],
      conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [LAST_ACTIVITY_TAG] } },
    });
  }

  /** Resources a run stopped or deleted (dry runs publish `WouldAct` instead). Sum over 1 hour by default. */
  public metricActed(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Acted', options);
  }

  /** Resources a dry run would have stopped or deleted. Sum over 1 hour by default. */
  public metricWouldAct(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('WouldAct', options);
  }

  /** Resources a run looked at and left alone. Sum over 1 hour by default. */
  public metricSkipped(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Skipped', options);
  }

  /** Resources (or listings) a run could not handle. Sum over 1 hour by default. */
  public metricFailed(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Failed', options);
  }

  private metric(name: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: name,
      statistic: 'Sum',
      period: Duration.hours(1),
      ...options,
    });
  }

  private schedule(
    id: string,
    expression: string,
    timeZone: string,
    mode: string,
    maxAge: Duration,
  ): scheduler.CfnSchedule {
    const schedule = new scheduler.CfnSchedule(this, id, {
      description: `Runs ${this.node.path} (${mode})`,
      scheduleExpression: expression,
      scheduleExpressionTimezone: timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.function.function.functionArn,
        roleArn: this.schedulerRole.roleArn,
        input: JSON.stringify({ mode }),
        // A stale sweep is worthless: the next one comes soon.
        retryPolicy: {
          maximumRetryAttempts: 3,
          maximumEventAgeInSeconds: Math.max(60, Math.min(maxAge.toSeconds(), 3600)),
        },
        deadLetterConfig: { arn: this.scheduleDeadLetterQueue.queueArn },
      },
    });
    schedule.node.addDependency(this.schedulerRole.policy);
    return schedule;
  }

  private grantSweep(
    exemptionTagKey: string,
    environmentTagKey: string,
    productionValues: string[],
  ): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const arn = (resource: string) => stack.formatArn({ service: 'sagemaker', resource, resourceName: '*' });
    const notebooks = arn('notebook-instance');
    const apps = arn('app');
    const endpoints = arn('endpoint');
    const configs = arn('endpoint-config');
    const notExempt = { StringNotEqualsIgnoreCase: { [`aws:ResourceTag/${exemptionTagKey}`]: 'true' } };
    const policy = new iam.ManagedPolicy(this, 'SweepPolicy', {
      description: `What ${this.node.path} may read and change`,
      roles: [this.function.role],
      statements: [
        new iam.PolicyStatement({ sid: 'List', actions: [...LIST_ACTIONS], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'ReadTags',
          actions: [...READ_TAG_ACTIONS],
          resources: [notebooks, apps, endpoints],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeApps',
          actions: [...DESCRIBE_APP_ACTIONS],
          resources: [apps],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeEndpoints',
          actions: [...DESCRIBE_ENDPOINT_ACTIONS],
          resources: [endpoints],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeEndpointConfigs',
          actions: [...DESCRIBE_ENDPOINT_CONFIG_ACTIONS],
          resources: [configs],
        }),
        new iam.PolicyStatement({
          sid: 'StopNotebooks',
          actions: [...STOP_NOTEBOOK_ACTIONS],
          resources: [notebooks],
          conditions: notExempt,
        }),
        new iam.PolicyStatement({
          sid: 'DeleteApps',
          actions: [...DELETE_APP_ACTIONS],
          resources: [apps],
          conditions: notExempt,
        }),
        // IAM repeats the handler's rules: never an endpoint without the environment tag, a
        // production one, or an exempt one.
        new iam.PolicyStatement({
          sid: 'DeleteNonProductionEndpoints',
          actions: [...DELETE_ENDPOINT_ACTIONS],
          resources: [endpoints],
          conditions: {
            Null: { [`aws:ResourceTag/${environmentTagKey}`]: 'false' },
            StringNotEqualsIgnoreCase: {
              [`aws:ResourceTag/${environmentTagKey}`]: productionValues,
              [`aws:ResourceTag/${exemptionTagKey}`]: 'true',
            },
          },
        }),
        new iam.PolicyStatement({
          sid: 'RecordRestore',
          actions: [...TAG_ACTIONS],
          resources: [configs],
          conditions: { 'ForAllValues:StringLike': { 'aws:TagKeys': [`${HANDLER_TAG_PREFIX}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadInvocations',
          actions: [...METRIC_READ_ACTIONS],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'PublishRunMetrics',
          actions: [...METRIC_PUBLISH_ACTIONS],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
        }),
      ],
    });
    acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason:
        'ListNotebookInstances, ListApps, ListEndpoints and GetMetricData have no resource-level permissions; PutMetricData is namespace-conditioned',
      ...INHERENT,
    });
    const why: Record<string, string> = {
      [notebooks]:
        'the sweep stops any idle notebook instance of the account; StopNotebookInstance is conditioned on the exemption tag',
      [apps]:
        'Studio apps are created by users at run time, so their names are not known at synth; DeleteApp is conditioned on the exemption tag',
      [endpoints]:
        'the sweep deletes any idle dev endpoint; DeleteEndpoint requires a non-production environment tag and no exemption tag',
      [configs]:
        'the restore record goes on the config of whichever endpoint is deleted; AddTags is limited to auto-shutdown: tag keys',
    };
    for (const [resource, reason] of Object.entries(why)) {
      acknowledge(policy, `AwsSolutions-IAM5[Resource::${flattenedArn(this, resource)}]`, {
        reason,
        ...INHERENT,
      });
    }
    return policy;
  }
}

function applyStudioIdleSettings(domain: sagemaker.CfnDomain, idle: Duration): void {
  const settings = domain.defaultUserSettings as sagemaker.CfnDomain.UserSettingsProperty;
  const fragment = studioIdleSettings(idle);
  domain.defaultUserSettings = {
    ...settings,
    jupyterLabAppSettings: {
      ...(settings.jupyterLabAppSettings as object),
      ...fragment.jupyterLabAppSettings,
    } as sagemaker.CfnDomain.JupyterLabAppSettingsProperty,
    codeEditorAppSettings: {
      ...(settings.codeEditorAppSettings as object),
      ...fragment.codeEditorAppSettings,
    } as sagemaker.CfnDomain.CodeEditorAppSettingsProperty,
  };
}

/**
 * How late a sweep may start, at each of Scheduler (delivery retries) and Lambda (asynchronous
 * queue): the minimum both accept. Older events go to the dead-letter queues.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
const SWEEP_EVENT_AGE = Duration.seconds(60);

function minDuration(a: Duration, b: Duration): Duration {
  return a.toSeconds() <= b.toSeconds() ? a : b;
}
