import { MetricAlarm, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import {
  ListModelPackagesCommand,
  paginateListModelPackageGroups,
  paginateListModels,
} from '@aws-sdk/client-sagemaker';
import { isFatal, messageOf } from '../audit/errors';
import { mapLimited } from '../audit/limit';
import { METRIC_NAMESPACE as DRIFT_NAMESPACE } from '../handlers/drift-monitor/contract';
import { METRIC_NAMESPACE as QUALITY_NAMESPACE } from '../handlers/model-quality-monitor/contract';
import { Finding } from '../report/finding';
import { Context, DAY_MS, EndpointData, endpointData, endpointMonthly, finding } from './context';
import { formatMonthly } from './pricing';
import { RIGHTSIZE_RULE_IDS as R } from './rules';

/** Low traffic, models not updated, package groups without new versions, long quality alarms. */
export async function retirement(ctx: Context): Promise<Finding[]> {
  const out: Finding[] = [];
  const endpoints = await ctx.inventory.endpoints();
  const byName = new Map<string, EndpointData>();
  await mapLimited(ctx.limit, endpoints, async (e) => {
    try {
      byName.set(e.EndpointName ?? '?', await endpointData(ctx, e));
    } catch (err) {
      if (isFatal(err)) throw err;
      ctx.problems.push(`endpoint ${e.EndpointName}: ${messageOf(err)}`);
    }
  });

  // Traffic: endpoints in service for the whole window only (a new one has not had the chance).
  for (const e of endpoints) {
    const name = e.EndpointName ?? '?';
    const data = byName.get(name);
    if (!data || data.variants.length === 0) continue;
    if (e.CreationTime && e.CreationTime > ctx.windowStart) continue;
    const total = data.variants.reduce((n, v) => n + (data.invocations.get(v.variant) ?? 0), 0);
    if (total >= ctx.o.lowTrafficInvocations) continue;
    const cost = formatMonthly(await endpointMonthly(ctx, data.variants));
    out.push(
      finding(
        ctx,
        R.lowTraffic,
        { name, type: 'AWS::SageMaker::Endpoint' },
        `Endpoint ${name}: ${total} invocations in ${ctx.o.windowDays} days (threshold ${ctx.o.lowTrafficInvocations}); costs ${cost} on demand.`,
      ),
    );
  }

  // Models served by in-service endpoints, by creation time (a model is immutable: a new version is a new model).
  const served = [...byName.values()].flatMap((d) => d.variants.filter((v) => v.modelName));
  if (served.length > 0) {
    const created = new Map<string, Date>();
    for await (const page of paginateListModels({ client: ctx.clients.sagemaker }, {})) {
      for (const m of page.Models ?? [])
        if (m.ModelName && m.CreationTime) created.set(m.ModelName, m.CreationTime);
    }
    const staleBefore = new Date(ctx.now.getTime() - ctx.o.staleModelDays * DAY_MS);
    for (const v of served) {
      const when = created.get(v.modelName!);
      if (!when || when > staleBefore) continue;
      const days = Math.floor((ctx.now.getTime() - when.getTime()) / DAY_MS);
      const cost = formatMonthly(await endpointMonthly(ctx, [v]));
      out.push(
        finding(
          ctx,
          R.staleModel,
          { name: `${v.endpoint}/${v.variant}`, type: 'AWS::SageMaker::Endpoint' },
          `Endpoint ${v.endpoint} variant ${v.variant} serves model ${v.modelName}, created ${days} days ago (threshold ${ctx.o.staleModelDays}); the variant costs ${cost}.`,
          v.variant,
        ),
      );
    }
  }

  // Package groups: the newest version's creation time.
  const staleBefore = new Date(ctx.now.getTime() - ctx.o.staleModelDays * DAY_MS);
  const groups: string[] = [];
  for await (const page of paginateListModelPackageGroups({ client: ctx.clients.sagemaker }, {})) {
    for (const g of page.ModelPackageGroupSummaryList ?? [])
      if (g.ModelPackageGroupName) groups.push(g.ModelPackageGroupName);
  }
  const stale = await mapLimited(ctx.limit, groups, async (g): Promise<Finding | undefined> => {
    const res = await ctx.clients.sagemaker.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: g,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 1,
      }),
    );
    const newest = res.ModelPackageSummaryList?.[0]?.CreationTime;
    if (newest && newest > staleBefore) return undefined;
    const age = newest
      ? `its newest version is ${Math.floor((ctx.now.getTime() - newest.getTime()) / DAY_MS)} days old`
      : 'it has no version';
    return finding(
      ctx,
      R.stalePackageGroup,
      { name: g, type: 'AWS::SageMaker::ModelPackageGroup' },
      `Model package group ${g}: ${age} (threshold ${ctx.o.staleModelDays} days).`,
    );
  });
  out.push(...stale.filter((f): f is Finding => f !== undefined));

  out.push(...(await longAlarms(ctx, byName)));
  return out;
}

/** Namespaces of this library's drift and quality monitors and of SageMaker Model Monitor. */
export const QUALITY_ALARM_NAMESPACES: readonly string[] = [
  DRIFT_NAMESPACE,
  QUALITY_NAMESPACE,
  'aws/sagemaker/Endpoints/data-metrics',
  'aws/sagemaker/Endpoints/model-metrics',
];

/** DriftMonitor names its alarms `<prefix>-max-psi` and `<prefix>-drifted-share`. */
const DRIFT_ALARM_SUFFIX = /-(max-psi|drifted-share)$/;

/** Whether an alarm watches drift or model quality: by namespace, or by the drift monitor's names. */
export function isQualityAlarm(a: MetricAlarm): boolean {
  const namespaces = [a.Namespace, ...(a.Metrics ?? []).map((m) => m.MetricStat?.Metric?.Namespace)];
  return (
    namespaces.some((n) => n !== undefined && QUALITY_ALARM_NAMESPACES.includes(n)) ||
    DRIFT_ALARM_SUFFIX.test(a.AlarmName ?? '')
  );
}

async function longAlarms(ctx: Context, byName: ReadonlyMap<string, EndpointData>): Promise<Finding[]> {
  const out: Finding[] = [];
  const since = ctx.now.getTime() - ctx.o.alarmDays * DAY_MS;
  const pages = paginateDescribeAlarms(
    { client: ctx.clients.cloudwatch },
    { StateValue: 'ALARM', AlarmTypes: ['MetricAlarm'] },
  );
  for await (const page of pages) {
    for (const a of page.MetricAlarms ?? []) {
      if (!isQualityAlarm(a)) continue;
      // StateTransitionedTimestamp is the last change of state; StateUpdatedTimestamp also moves
      // when only the reason changes, so it is the fallback.
      const entered = a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp;
      if (!entered || entered.getTime() > since) continue;
      const days = Math.floor((ctx.now.getTime() - entered.getTime()) / DAY_MS);
      const endpoint = [
        ...(a.Dimensions ?? []),
        ...(a.Metrics ?? []).flatMap((m) => m.MetricStat?.Metric?.Dimensions ?? []),
      ].find((d) => d.Name === 'EndpointName')?.Value;
      const data = endpoint ? byName.get(endpoint) : undefined;
      const cost = data
        ? `; endpoint ${endpoint} costs ${formatMonthly(await endpointMonthly(ctx, data.variants))}`
        : endpoint
          ? `; endpoint ${endpoint} is not in service`
          : '';
      out.push(
        finding(
          ctx,
          R.alarmLong,
          { name: a.AlarmArn ?? a.AlarmName ?? '?', type: 'AWS::CloudWatch::Alarm' },
          `Alarm ${a.AlarmName} has been in ALARM for ${days} days (threshold ${ctx.o.alarmDays})${cost}.`,
        ),
      );
    }
  }
  return out;
}
