import { DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { isFatal, messageOf } from '../audit/errors';
import { mapLimited } from '../audit/limit';
import { instanceFamily } from '../aws-facts/instance-storage';
import { Finding } from '../report/finding';
import { Context, EndpointData, endpointData, finding, priceOf } from './context';
import { InstanceUse, smallerSizes } from './instance-sizes';
import { formatMonthly, InstancePrice, monthlyUsd } from './pricing';
import { formatPercentiles, recommendSize, Sizing, Utilization } from './recommend';
import { RIGHTSIZE_DEFAULTS, RIGHTSIZE_RULE_IDS as R } from './rules';
import { percentilesOf, periodFor, readSeries, TRAINING_NAMESPACE, UTILIZATION_METRICS } from './utilization';

function familyAllowed(ctx: Context, instanceType: string): boolean {
  const family = instanceFamily(instanceType);
  return (
    ctx.o.allowedFamilies === undefined || (family !== undefined && ctx.o.allowedFamilies.includes(family))
  );
}

async function sizing(
  ctx: Context,
  instanceType: string,
  count: number,
  utilization: Utilization,
  use: InstanceUse,
  minPoints: number,
): Promise<{ sizing: Sizing; current: InstancePrice }> {
  const current = await priceOf(ctx, instanceType, use);
  const mayChangeType = familyAllowed(ctx, instanceType);
  // One at a time and outside the limiter: callers hold a slot already, and prices are cached.
  const smaller: InstancePrice[] = [];
  if (mayChangeType)
    for (const t of smallerSizes(instanceType, use)) smaller.push(await priceOf(ctx, t, use));
  return {
    current,
    sizing: recommendSize({
      instanceType,
      count,
      utilization,
      current,
      smaller,
      target: ctx.o.targetUtilizationPercent / 100,
      minPoints,
      mayReduceCount: use === 'hosting',
      mayChangeType,
    }),
  };
}

/** Endpoint variants and recent training jobs: fewer instances or a smaller type. */
export async function rightsizing(ctx: Context): Promise<Finding[]> {
  const out: Finding[] = [];
  const endpoints = await ctx.inventory.endpoints();
  // At least a day of points per metric at the series' period.
  const minPoints = Math.ceil(86_400 / periodFor(ctx.o.windowDays));
  const perEndpoint = await mapLimited(ctx.limit, endpoints, async (e) => {
    const found: Finding[] = [];
    let data: EndpointData;
    try {
      data = await endpointData(ctx, e);
    } catch (err) {
      if (isFatal(err)) throw err;
      ctx.problems.push(`endpoint ${e.EndpointName}: ${messageOf(err)}`);
      return found;
    }
    for (const v of data.variants) {
      const where = { name: `${v.endpoint}/${v.variant}`, type: 'AWS::SageMaker::Endpoint' };
      if (!v.instanceType) {
        found.push(
          finding(
            ctx,
            R.notEvaluated,
            where,
            `Variant ${v.variant} of ${v.endpoint}: its instance type is not in the endpoint configuration.`,
          ),
        );
        continue;
      }
      const { sizing: s, current } = await sizing(
        ctx,
        v.instanceType,
        v.count,
        data.utilization.get(v.variant) ?? {},
        'hosting',
        minPoints,
      );
      const what = `${v.count} × ${v.instanceType}`;
      if (s.kind === 'not-evaluated') {
        found.push(
          finding(
            ctx,
            R.notEvaluated,
            where,
            `Variant ${v.variant} of ${v.endpoint} (${what}) not evaluated over ${ctx.o.windowDays} days: ${s.reason}.`,
          ),
        );
      } else if (s.kind === 'resize') {
        const to = `${s.count} × ${s.instanceType}`;
        const now = formatMonthly(monthlyUsd(current.usdPerHour, v.count));
        const saving =
          s.monthlySavingUsd === undefined
            ? 'saving: price unknown'
            : `saves about ${formatMonthly(s.monthlySavingUsd)}`;
        found.push(
          finding(
            ctx,
            R.endpointVariant,
            where,
            `Variant ${v.variant} of ${v.endpoint}: ${what} (${now}), ${(data.invocations.get(v.variant) ?? 0).toLocaleString('en-US')} invocations and p50/p90/p99 over ${ctx.o.windowDays} days ${formatPercentiles(data.utilization.get(v.variant) ?? {}, current)}; ${to} keeps p99 under ${ctx.o.targetUtilizationPercent}% and ${saving}.`,
            v.variant,
          ),
        );
      }
    }
    return found;
  });
  // In the order of the endpoints, whatever order the reads finished in.
  out.push(...perEndpoint.flat());
  out.push(...(await trainingJobs(ctx)));
  return out;
}

async function trainingJobs(ctx: Context): Promise<Finding[]> {
  const jobs = (await ctx.inventory.trainingJobs()).filter(
    (j) => j.TrainingJobStatus === 'Completed' || j.TrainingJobStatus === 'Stopped',
  );
  const found = await mapLimited(ctx.limit, jobs, (j) => trainingJob(ctx, j));
  return found.filter((f): f is Finding => f !== undefined);
}

async function trainingJob(ctx: Context, j: DescribeTrainingJobCommandOutput): Promise<Finding | undefined> {
  const name = j.TrainingJobName ?? '?';
  const where = { name, type: 'AWS::SageMaker::TrainingJob' };
  const type = j.ResourceConfig?.InstanceType;
  const count = j.ResourceConfig?.InstanceCount ?? 0;
  const start = j.TrainingStartTime;
  const end = j.TrainingEndTime;
  if (!type || count < 1 || !start || !end) {
    // Heterogeneous clusters (InstanceGroups) and jobs without a start and end are not sized here.
    return finding(
      ctx,
      R.notEvaluated,
      where,
      `Training job ${name} not evaluated: no single instance type and count, or no training start and end time.`,
    );
  }
  let series: Map<string, number[]>;
  try {
    series = await readSeries(
      ctx.clients.cloudwatch,
      UTILIZATION_METRICS.flatMap((m, k) =>
        Array.from({ length: count }, (_, h) => ({
          id: `h${h}_${k}`,
          namespace: TRAINING_NAMESPACE,
          metricName: m,
          dimensions: { Host: `${name}/algo-${h + 1}` },
          stat: 'Average' as const,
        })),
      ),
      start,
      end,
      60,
    );
  } catch (err) {
    if (isFatal(err)) throw err;
    ctx.problems.push(`training job ${name}: ${messageOf(err)}`);
    return undefined;
  }
  const u: Record<string, ReturnType<typeof percentilesOf>> = {};
  UTILIZATION_METRICS.forEach((m, k) => {
    const values = Array.from({ length: count }, (_, h) => series.get(`h${h}_${k}`) ?? []).flat();
    if (values.length > 0) u[m] = percentilesOf(values);
  });
  const { sizing: s, current } = await sizing(
    ctx,
    type,
    count,
    u,
    'training',
    RIGHTSIZE_DEFAULTS.minTrainingPoints,
  );
  const what = `${count} × ${type}`;
  if (s.kind === 'not-evaluated') {
    return finding(ctx, R.notEvaluated, where, `Training job ${name} (${what}) not evaluated: ${s.reason}.`);
  }
  if (s.kind !== 'resize') return undefined;
  const hours =
    (j.BillableTimeInSeconds ?? j.TrainingTimeInSeconds ?? (end.getTime() - start.getTime()) / 1000) / 3600;
  const saving =
    s.hourlySavingUsd === undefined
      ? 'saving: price unknown'
      : `would have saved about $${(s.hourlySavingUsd * hours).toFixed(2)} on this run (${hours.toFixed(1)} billable h, on-demand prices)`;
  return finding(
    ctx,
    R.trainingJob,
    where,
    `Training job ${name}: ${what}, p50/p90/p99 ${formatPercentiles(u, current)}; ${s.count} × ${s.instanceType} keeps p99 under ${ctx.o.targetUtilizationPercent}% and ${saving}.`,
  );
}
