import { CloudWatchClient, MetricAlarm, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { PricingClient } from '@aws-sdk/client-pricing';
import {
  DescribeEndpointCommandOutput,
  DescribeTrainingJobCommandOutput,
  ListModelPackagesCommand,
  paginateListModelPackageGroups,
  paginateListModels,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { DEFAULT_AUDIT_REQUEST_TIMEOUT_MS } from '../audit/clients';
import {
  AuditAbort,
  isAccessDenied,
  isCredentialsProblem,
  isFatal,
  isUnreachable,
  messageOf,
} from '../audit/errors';
import { SageMakerInventory } from '../audit/inventory';
import { createLimiter, Limiter, mapLimited } from '../audit/limit';
import { toolVersion } from '../check/version';
import { METRIC_NAMESPACE as DRIFT_NAMESPACE } from '../handlers/drift-monitor/contract';
import { METRIC_NAMESPACE as QUALITY_NAMESPACE } from '../handlers/model-quality-monitor/contract';
import { boundedHttpOptions } from '../handlers/shared/http';
import { Finding, InputError, Report } from '../report/finding';
import { instanceFamily } from '../aws-facts/instance-storage';
import { InstanceUse, smallerSizes } from './instance-sizes';
import {
  FilePriceCache,
  formatMonthly,
  InstancePrice,
  monthlyUsd,
  PriceBook,
  pricingRegionFor,
} from './pricing';
import { formatPercentiles, recommendSize, Sizing, Utilization } from './recommend';
import {
  RIGHTSIZE_CHECKS,
  RIGHTSIZE_DEFAULTS,
  RIGHTSIZE_RULE_IDS as R,
  RIGHTSIZE_RULES,
  RightsizeCheckName,
} from './rules';
import {
  ENDPOINT_NAMESPACE,
  percentilesOf,
  periodFor,
  readSeries,
  SeriesRequest,
  TRAINING_NAMESPACE,
  UTILIZATION_METRICS,
} from './utilization';

/** The read-only clients `rightsize` uses. */
export interface RightsizeClients {
  readonly sagemaker: SageMakerClient;
  readonly cloudwatch: CloudWatchClient;
  /** Price List Query API: a client of one of PRICING_API_REGIONS. */
  readonly pricing: PricingClient;
}

/** Where and as whom it runs. */
export interface RightsizeClientOptions {
  /** The region to read. */
  readonly region: string;
  /**
   * The region of the Price List endpoint.
   * @default - pricingRegionFor(region)
   */
  readonly pricingRegion?: string;
  /**
   * A profile of the shared config and credentials files.
   * @default - the SDK's default credential chain
   */
  readonly profile?: string;
  /**
   * Milliseconds each request may take before it fails with a `TimeoutError` (then retried).
   * @default 20000
   */
  readonly requestTimeoutMs?: number;
}

/** Builds the clients; tests pass one pointing at a loopback fake. */
export type RightsizeClientFactory = (options: RightsizeClientOptions) => RightsizeClients;

/** The production factory: SDK v3 clients with bounded timeouts and 6 attempts per request. */
export const createRightsizeClients: RightsizeClientFactory = (options) => {
  const base = {
    maxAttempts: 6,
    requestHandler: boundedHttpOptions(options.requestTimeoutMs ?? DEFAULT_AUDIT_REQUEST_TIMEOUT_MS),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  };
  return {
    sagemaker: new SageMakerClient({ ...base, region: options.region }),
    cloudwatch: new CloudWatchClient({ ...base, region: options.region }),
    pricing: new PricingClient({
      ...base,
      region: options.pricingRegion ?? pricingRegionFor(options.region),
    }),
  };
};

/** Options of {@link runRightsize}. */
export interface RightsizeOptions extends RightsizeClientOptions {
  /** @default - all of RIGHTSIZE_CHECKS */
  readonly checks?: readonly RightsizeCheckName[];
  /** Days of utilisation, traffic and training jobs read. @default 14 */
  readonly windowDays?: number;
  /** Highest p99 utilisation (percent of capacity) a recommendation may leave. @default 70 */
  readonly targetUtilizationPercent?: number;
  /**
   * Instance families a smaller type may be recommended in (`m5`, `g5`).
   * @default - every family
   */
  readonly allowedFamilies?: readonly string[];
  /** An endpoint with fewer invocations than this over the window is a retirement candidate. @default 100 */
  readonly lowTrafficInvocations?: number;
  /** Days after which a served model, or a package group without a new version, is not updated. @default 180 */
  readonly staleModelDays?: number;
  /** Days a drift or quality alarm may stay in ALARM. @default 7 */
  readonly alarmDays?: number;
  /** Requests in flight at once. @default 4 */
  readonly concurrency?: number;
  /**
   * A JSON file that keeps Price List prices across runs.
   * @default - none: every run asks the Price List
   */
  readonly priceCacheFile?: string;
  /** Hours a cached price stays valid. @default 24 */
  readonly priceCacheTtlHours?: number;
  /** @default createRightsizeClients */
  readonly clientFactory?: RightsizeClientFactory;
  /** @default - now */
  readonly now?: Date;
}

const DAY_MS = 86_400_000;

/** An in-service endpoint's instance-based variants with type, count and traffic. */
interface VariantRow {
  readonly endpoint: string;
  readonly variant: string;
  readonly instanceType?: string;
  readonly count: number;
  readonly modelName?: string;
}

interface Context {
  readonly clients: RightsizeClients;
  readonly inventory: SageMakerInventory;
  readonly prices: PriceBook;
  readonly limit: Limiter;
  readonly now: Date;
  readonly windowStart: Date;
  readonly location: string;
  readonly o: Required<
    Pick<
      RightsizeOptions,
      'windowDays' | 'targetUtilizationPercent' | 'lowTrafficInvocations' | 'staleModelDays' | 'alarmDays'
    >
  > & { allowedFamilies?: readonly string[] };
  readonly problems: string[];
  /** Utilisation and invocations per endpoint, read once for both groups. */
  readonly endpointData: Map<string, Promise<EndpointData>>;
}

interface EndpointData {
  readonly variants: VariantRow[];
  readonly utilization: Map<string, Utilization>;
  readonly invocations: Map<string, number>;
}

/**
 * Right-sizing and retirement candidates of one account and region, read-only: SageMaker
 * endpoints, models, package groups and training jobs, CloudWatch utilisation and alarms, and
 * Price List prices. Returns the shared report model (text, json, sarif, junit, markdown).
 * Missing or rejected credentials and an unreachable service stop the run with an
 * {@link AuditAbort}; anything else that could not be read is an error of its group (exit 2).
 */
export async function runRightsize(options: RightsizeOptions): Promise<Report> {
  const checks = options.checks ?? RIGHTSIZE_CHECKS;
  const clients = (options.clientFactory ?? createRightsizeClients)(options);
  const now = options.now ?? new Date();
  const windowDays = options.windowDays ?? RIGHTSIZE_DEFAULTS.windowDays;
  const limit = createLimiter(options.concurrency ?? 4);
  const location = options.profile ? `${options.region} (profile ${options.profile})` : options.region;
  const errors: InputError[] = [];
  const findings: Finding[] = [];
  const groups = RIGHTSIZE_CHECKS.filter((c) => checks.includes(c));
  const cache = options.priceCacheFile
    ? new FilePriceCache(options.priceCacheFile, now, (options.priceCacheTtlHours ?? 24) * 3_600_000)
    : undefined;
  const ctxBase = {
    clients,
    inventory: new SageMakerInventory(clients.sagemaker, limit, now, windowDays),
    prices: new PriceBook(clients.pricing, options.region, cache),
    limit,
    now,
    windowStart: new Date(now.getTime() - windowDays * DAY_MS),
    location,
    o: {
      windowDays,
      targetUtilizationPercent:
        options.targetUtilizationPercent ?? RIGHTSIZE_DEFAULTS.targetUtilizationPercent,
      lowTrafficInvocations: options.lowTrafficInvocations ?? RIGHTSIZE_DEFAULTS.lowTrafficInvocations,
      staleModelDays: options.staleModelDays ?? RIGHTSIZE_DEFAULTS.staleModelDays,
      alarmDays: options.alarmDays ?? RIGHTSIZE_DEFAULTS.alarmDays,
      allowedFamilies: options.allowedFamilies,
    },
    endpointData: new Map<string, Promise<EndpointData>>(),
  };
  try {
    for (const group of groups) {
      const ctx: Context = { ...ctxBase, problems: [] };
      try {
        findings.push(...(await (group === 'rightsizing' ? rightsizing(ctx) : retirement(ctx))));
        for (const p of [...new Set(ctx.problems)]) {
          errors.push({ input: `check ${group}`, message: `incomplete: ${p}`, pack: group });
        }
      } catch (err) {
        if (isCredentialsProblem(err)) {
          throw new AuditAbort(
            `no usable AWS credentials for region ${options.region} (${messageOf(err)}); set AWS_PROFILE, pass --profile, or configure credentials`,
          );
        }
        if (isUnreachable(err)) {
          throw new AuditAbort(
            `no answer from AWS (${messageOf(err)}); check the network path to the service endpoints`,
          );
        }
        const what = isAccessDenied(err) ? 'access denied, not checked' : 'failed, not checked';
        errors.push({ input: `check ${group}`, message: `${what} (${messageOf(err)})`, pack: group });
      }
    }
    try {
      cache?.save();
    } catch (err) {
      errors.push({
        input: `price cache ${options.priceCacheFile}`,
        message: `not written (${messageOf(err)})`,
      });
    }
  } finally {
    clients.sagemaker.destroy();
    clients.cloudwatch.destroy();
    clients.pricing.destroy();
  }
  return {
    tool: { name: 'compliant-mlops', version: toolVersion(), command: 'rightsize' },
    findings,
    rules: RIGHTSIZE_RULES.filter((r) => (groups as readonly string[]).includes(r.pack)),
    inputs: [location],
    errors,
    packs: groups,
  };
}

function finding(
  ctx: Context,
  ruleId: string,
  resource: { name: string; type: string },
  message: string,
  granular?: string,
): Finding {
  const rule = RIGHTSIZE_RULES.find((r) => r.id === ruleId)!;
  return {
    ruleId,
    findingId: granular ? `${ruleId}[${granular}]` : ruleId,
    ...(granular ? { granular } : {}),
    level: rule.level,
    pack: rule.pack,
    message,
    explanation: rule.explanation,
    stack: ctx.location,
    logicalId: resource.name,
    resourceType: resource.type,
  };
}

/** A price lookup that never fails the run: a failure is a problem of the group and the price is unknown. */
async function priceOf(ctx: Context, instanceType: string, use: InstanceUse): Promise<InstancePrice> {
  try {
    return await ctx.prices.price(instanceType, use);
  } catch (err) {
    if (isFatal(err)) throw err;
    ctx.problems.push(`prices not read from the Price List (${messageOf(err)})`);
    return { instanceType };
  }
}

/** The variants of an endpoint with their type (from its endpoint config) and current count. */
async function variantsOf(ctx: Context, e: DescribeEndpointCommandOutput): Promise<VariantRow[]> {
  const endpoint = e.EndpointName ?? '?';
  const config = e.EndpointConfigName ? await ctx.inventory.endpointConfig(e.EndpointConfigName) : undefined;
  return (e.ProductionVariants ?? [])
    .filter((v) => !v.CurrentServerlessConfig)
    .map((v) => {
      const cv = config?.ProductionVariants?.find((c) => c.VariantName === v.VariantName);
      return {
        endpoint,
        variant: v.VariantName ?? '?',
        instanceType: cv?.InstanceType,
        count: v.CurrentInstanceCount ?? v.DesiredInstanceCount ?? cv?.InitialInstanceCount ?? 0,
        modelName: cv?.ModelName,
      };
    })
    .filter((v) => v.count > 0);
}

const queryId = (variant: number, metric: number | 'inv') => `v${variant}_${metric}`;

/** Utilisation percentiles and invocation sums of every variant of an endpoint, read once. */
function endpointData(ctx: Context, e: DescribeEndpointCommandOutput): Promise<EndpointData> {
  const name = e.EndpointName ?? '?';
  let p = ctx.endpointData.get(name);
  if (!p) {
    p = (async () => {
      const variants = await variantsOf(ctx, e);
      const requests: SeriesRequest[] = variants.flatMap((v, i) => [
        ...UTILIZATION_METRICS.map((m, j) => ({
          id: queryId(i, j),
          namespace: ENDPOINT_NAMESPACE,
          metricName: m,
          dimensions: { EndpointName: name, VariantName: v.variant },
          stat: 'Average' as const,
        })),
      ]);
      const series = await readSeries(
        ctx.clients.cloudwatch,
        requests,
        ctx.windowStart,
        ctx.now,
        periodFor(ctx.o.windowDays),
      );
      const invocations = await readSeries(
        ctx.clients.cloudwatch,
        variants.map((v, i) => ({
          id: queryId(i, 'inv'),
          namespace: 'AWS/SageMaker',
          metricName: 'Invocations',
          dimensions: { EndpointName: name, VariantName: v.variant },
          stat: 'Sum' as const,
        })),
        ctx.windowStart,
        ctx.now,
        86_400,
      );
      const utilization = new Map<string, Utilization>();
      const inv = new Map<string, number>();
      variants.forEach((v, i) => {
        const u: Record<string, ReturnType<typeof percentilesOf>> = {};
        UTILIZATION_METRICS.forEach((m, j) => {
          const values = series.get(queryId(i, j)) ?? [];
          if (values.length > 0) u[m] = percentilesOf(values);
        });
        utilization.set(v.variant, u);
        inv.set(
          v.variant,
          (invocations.get(queryId(i, 'inv')) ?? []).reduce((a, b) => a + b, 0),
        );
      });
      return { variants, utilization, invocations: inv };
    })();
    p.catch(() => undefined);
    ctx.endpointData.set(name, p);
  }
  return p;
}

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
async function rightsizing(ctx: Context): Promise<Finding[]> {
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

/** Monthly on-demand cost of an endpoint's instance variants, `undefined` when a price is unknown. */
async function endpointMonthly(ctx: Context, variants: readonly VariantRow[]): Promise<number | undefined> {
  let total = 0;
  for (const v of variants) {
    if (!v.instanceType) return undefined;
    const m = monthlyUsd((await priceOf(ctx, v.instanceType, 'hosting')).usdPerHour, v.count);
    if (m === undefined) return undefined;
    total += m;
  }
  return total;
}

/** Low traffic, models not updated, package groups without new versions, long quality alarms. */
async function retirement(ctx: Context): Promise<Finding[]> {
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
