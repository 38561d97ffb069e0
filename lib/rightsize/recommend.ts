import { InstancePrice, monthlyUsd } from './pricing';
import { Percentiles, UtilizationMetric } from './utilization';

/** Utilisation percentiles per metric of one variant or job (metrics without data are absent). */
export type Utilization = Partial<Record<UtilizationMetric, Percentiles>>;

/** What the recommendation needs about one variant or job. */
export interface SizingInput {
  readonly instanceType: string;
  readonly count: number;
  readonly utilization: Utilization;
  /** Price and capacity of the current type. */
  readonly current: InstancePrice;
  /** Smaller types of the same family, largest first, with price and capacity. */
  readonly smaller: readonly InstancePrice[];
  /** Highest p99 share (0–1) of a resource after the change. */
  readonly target: number;
  /** Fewest data points each metric needs. */
  readonly minPoints: number;
  /** Whether fewer instances may be recommended (endpoints; a training job's count is its parallelism). */
  readonly mayReduceCount: boolean;
  /** Whether a smaller type may be recommended (the family is allowed). */
  readonly mayChangeType: boolean;
}

/** Peak (p99) share of capacity per resource, 0–1. */
export interface Peaks {
  readonly cpu: number;
  readonly memory: number;
  readonly gpu?: number;
  readonly gpuMemory?: number;
}

/** The verdict on one variant or job. */
export type Sizing =
  | { readonly kind: 'not-evaluated'; readonly reason: string }
  | { readonly kind: 'right-sized'; readonly peaks: Peaks }
  | {
      readonly kind: 'resize';
      readonly peaks: Peaks;
      readonly instanceType: string;
      readonly count: number;
      /** USD per month saved at 730 h (current − recommended); `undefined`: price unknown. */
      readonly monthlySavingUsd?: number;
      /** USD per hour saved for all instances; `undefined`: price unknown. */
      readonly hourlySavingUsd?: number;
    };

/**
 * Keep at least two instances of a variant that has two: SageMaker spreads a variant across
 * Availability Zones only with two or more (MLOps-SageMakerEndpointConfigInstanceCount).
 */
export const MIN_SPREAD_INSTANCES = 2;

function required(u: Utilization, metric: UtilizationMetric, minPoints: number): string | undefined {
  const p = u[metric];
  const points = p?.points ?? 0;
  return points < minPoints ? `${metric}: ${points} data points (need at least ${minPoints})` : undefined;
}

/**
 * Recommends fewer instances or a smaller type of the same family from p99 utilisation, keeping
 * every resource at or under `target` after the change; CPU and GPU load spread over the
 * instances, memory is per instance (the model's footprint does not shrink with fewer of them).
 * Capacities (vCPUs, memory, GPUs) come from the Price List; a candidate whose capacity is not
 * listed is not recommended. Of the two changes, the one that saves more is chosen (fewer
 * instances when prices are unknown: its saving is certain).
 */
export function recommendSize(input: SizingInput): Sizing {
  const { current, utilization: u, minPoints } = input;
  const gpuType = (current.gpus ?? 0) > 0;
  const missing = [
    required(u, 'CPUUtilization', minPoints),
    required(u, 'MemoryUtilization', minPoints),
    ...(gpuType
      ? [required(u, 'GPUUtilization', minPoints), required(u, 'GPUMemoryUtilization', minPoints)]
      : []),
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0)
    return { kind: 'not-evaluated', reason: `too few data points: ${missing.join('; ')}` };
  if (current.vcpus === undefined || current.vcpus <= 0) {
    return {
      kind: 'not-evaluated',
      reason: `the Price List gives no vCPU count for ${input.instanceType} (CPUUtilization is summed over vCPUs)`,
    };
  }
  const peaks: Peaks = {
    cpu: u.CPUUtilization!.p99 / (100 * current.vcpus),
    memory: u.MemoryUtilization!.p99 / 100,
    ...(gpuType
      ? {
          gpu: u.GPUUtilization!.p99 / (100 * current.gpus!),
          gpuMemory: u.GPUMemoryUtilization!.p99 / (100 * current.gpus!),
        }
      : {}),
  };
  const t = input.target;
  const options: { instanceType: string; count: number; usdPerHour?: number }[] = [];

  if (input.mayReduceCount && input.count > 1) {
    const load = Math.max(peaks.cpu, peaks.gpu ?? 0, peaks.gpuMemory ?? 0);
    const floor = Math.min(input.count, MIN_SPREAD_INSTANCES);
    const needed = Math.max(floor, Math.ceil((input.count * load) / t - 1e-9));
    if (needed < input.count && peaks.memory <= t) {
      options.push({ instanceType: input.instanceType, count: needed, usdPerHour: current.usdPerHour });
    }
  }
  if (input.mayChangeType) {
    let best: InstancePrice | undefined;
    for (const c of input.smaller) {
      if (!fits(peaks, current, c, t)) continue;
      best = c; // largest first: the last that fits is the smallest
    }
    if (best)
      options.push({ instanceType: best.instanceType, count: input.count, usdPerHour: best.usdPerHour });
  }
  if (options.length === 0) return { kind: 'right-sized', peaks };

  const hourly = (o: { count: number; usdPerHour?: number }) =>
    current.usdPerHour === undefined || o.usdPerHour === undefined
      ? undefined
      : current.usdPerHour * input.count - o.usdPerHour * o.count;
  const ranked = [...options].sort((a, b) => {
    const sa = hourly(a);
    const sb = hourly(b);
    if (sa === undefined || sb === undefined) return a.instanceType === input.instanceType ? -1 : 1;
    return sb - sa;
  });
  const pick = ranked[0];
  const perHour = hourly(pick);
  return {
    kind: 'resize',
    peaks,
    instanceType: pick.instanceType,
    count: pick.count,
    hourlySavingUsd: perHour,
    monthlySavingUsd: perHour === undefined ? undefined : monthlyUsd(perHour, 1),
  };
}

/** Whether the peaks, scaled from `from`'s capacity to `to`'s, stay at or under `target`. */
function fits(peaks: Peaks, from: InstancePrice, to: InstancePrice, target: number): boolean {
  if (from.vcpus === undefined || to.vcpus === undefined || to.vcpus <= 0) return false;
  if (from.memoryGib === undefined || to.memoryGib === undefined || to.memoryGib <= 0) return false;
  if (peaks.cpu * (from.vcpus / to.vcpus) > target) return false;
  if (peaks.memory * (from.memoryGib / to.memoryGib) > target) return false;
  if (peaks.gpu !== undefined) {
    if (from.gpus === undefined || to.gpus === undefined || to.gpus <= 0) return false;
    const ratio = from.gpus / to.gpus;
    if (peaks.gpu * ratio > target || (peaks.gpuMemory ?? 0) * ratio > target) return false;
  }
  return true;
}

/** `cpu 12%, memory 30%, gpu 8%, gpu memory 20%` (p99 shares). */
export function formatPeaks(p: Peaks): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return [
    `cpu ${pct(p.cpu)}`,
    `memory ${pct(p.memory)}`,
    ...(p.gpu !== undefined ? [`gpu ${pct(p.gpu)}`] : []),
    ...(p.gpuMemory !== undefined ? [`gpu memory ${pct(p.gpuMemory)}`] : []),
  ].join(', ');
}

/**
 * p50/p90/p99 of each metric with data, as shares of capacity (CPU over vCPUs, GPU and GPU memory
 * over GPUs): `cpu 10/18/20%, memory 20/20/21%, disk 4/4/5%`. DiskUtilization is shown, not used:
 * the volume is sized apart from the instance type.
 */
export function formatPercentiles(u: Utilization, capacity: InstancePrice): string {
  const parts: string[] = [];
  const add = (label: string, metric: UtilizationMetric, divisor: number | undefined) => {
    const p = u[metric];
    if (!p || divisor === undefined || divisor <= 0) return;
    const pct = (x: number) => Math.round(x / divisor);
    parts.push(`${label} ${pct(p.p50)}/${pct(p.p90)}/${pct(p.p99)}%`);
  };
  add('cpu', 'CPUUtilization', capacity.vcpus);
  add('memory', 'MemoryUtilization', 1);
  add('gpu', 'GPUUtilization', capacity.gpus);
  add('gpu memory', 'GPUMemoryUtilization', capacity.gpus);
  add('disk', 'DiskUtilization', 1);
  return parts.join(', ');
}
