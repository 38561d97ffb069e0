import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PricingClient } from '@aws-sdk/client-pricing';
import { DescribeEndpointCommandOutput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { isFatal, messageOf } from '../audit/errors';
import { SageMakerInventory } from '../audit/inventory';
import { Limiter } from '../audit/limit';
import { Finding } from '../report/finding';
import { InstanceUse } from './instance-sizes';
import { InstancePrice, monthlyUsd, PriceBook } from './pricing';
import { Utilization } from './recommend';
import { RIGHTSIZE_RULES } from './rules';
import {
  ENDPOINT_NAMESPACE,
  percentilesOf,
  periodFor,
  readSeries,
  SeriesRequest,
  UTILIZATION_METRICS,
} from './utilization';

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** An in-service endpoint's instance-based variants with type, count and traffic. */
export interface VariantRow {
  readonly endpoint: string;
  readonly variant: string;
  readonly instanceType?: string;
  readonly count: number;
  readonly modelName?: string;
}

/** What the check groups of one run share: clients, inventory, prices, options, problems. */
export interface Context {
  readonly clients: {
    readonly sagemaker: SageMakerClient;
    readonly cloudwatch: CloudWatchClient;
    readonly pricing: PricingClient;
  };
  readonly inventory: SageMakerInventory;
  readonly prices: PriceBook;
  readonly limit: Limiter;
  readonly now: Date;
  readonly windowStart: Date;
  readonly location: string;
  /** The run's options, defaults applied. */
  readonly o: {
    readonly windowDays: number;
    readonly targetUtilizationPercent: number;
    readonly lowTrafficInvocations: number;
    readonly staleModelDays: number;
    readonly alarmDays: number;
    readonly allowedFamilies?: readonly string[];
  };
  readonly problems: string[];
  /** Utilisation and invocations per endpoint, read once for both groups. */
  readonly endpointData: Map<string, Promise<EndpointData>>;
}

/** An endpoint's variants with their utilisation percentiles and invocation sums. */
export interface EndpointData {
  readonly variants: VariantRow[];
  readonly utilization: Map<string, Utilization>;
  readonly invocations: Map<string, number>;
}

/** A finding of a rightsize rule on one resource. */
export function finding(
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
export async function priceOf(ctx: Context, instanceType: string, use: InstanceUse): Promise<InstancePrice> {
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
export function endpointData(ctx: Context, e: DescribeEndpointCommandOutput): Promise<EndpointData> {
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

/** Monthly on-demand cost of an endpoint's instance variants, `undefined` when a price is unknown. */
export async function endpointMonthly(
  ctx: Context,
  variants: readonly VariantRow[],
): Promise<number | undefined> {
  let total = 0;
  for (const v of variants) {
    if (!v.instanceType) return undefined;
    const m = monthlyUsd((await priceOf(ctx, v.instanceType, 'hosting')).usdPerHour, v.count);
    if (m === undefined) return undefined;
    total += m;
  }
  return total;
}
