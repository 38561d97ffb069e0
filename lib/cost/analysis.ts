/**
 * The arithmetic of `compliant-mlops cost`, free of the AWS SDK so it is unit-tested on plain
 * numbers: per-model totals from Cost Explorer groups, the trend between the last two periods and
 * the steadiness (coefficient of variation) that gates a Savings Plans recommendation.
 */

/** The row label of spend that carries no value of the cost-allocation tag. */
export const UNTAGGED = '(untagged)';

/**
 * Largest coefficient of variation of daily cost at which usage counts as steady: a day then
 * deviates from the mean by about 20% or less on average, the kind of base load a 1- or 3-year
 * hourly commitment covers without paying for idle commitment.
 */
export const DEFAULT_STEADY_MAX_CV = 0.2;

/** One group of one period, as Cost Explorer returns it (`Keys[0]`, `Metrics.UnblendedCost.Amount`). */
export interface CostGroup {
  /** The group key, e.g. `model-id$churn-v3`; `model-id$` for spend without the tag. */
  readonly key: string;
  /** The cost in the period, in `unit`. */
  readonly amount: number;
}

/** One period of Cost Explorer's `ResultsByTime`, pages already merged. */
export interface CostPeriod {
  /** First day, `YYYY-MM-DD` (inclusive). */
  readonly start: string;
  /** Day after the last, `YYYY-MM-DD` (exclusive). */
  readonly end: string;
  /** Whether Cost Explorer still estimates the period (the current month, or data not final). */
  readonly estimated: boolean;
  /** The period's groups. */
  readonly groups: readonly CostGroup[];
}

/** The change of cost between the previous and the last period of the window. */
export interface CostTrend {
  /** Cost in the previous period. */
  readonly previous: number;
  /** Cost in the last period. */
  readonly last: number;
  /** `last - previous`. */
  readonly change: number;
  /** `change / previous`, or `null` when the previous period cost nothing (no finite ratio). */
  readonly changeRatio: number | null;
}

/** Cost of one model (one value of the tag) over the window. */
export interface ModelCost {
  /** The tag value, or {@link UNTAGGED}. */
  readonly model: string;
  /** Whether this is the untagged row. */
  readonly untagged: boolean;
  /** Cost per period, in the order of the window's periods (0 where the model had no group). */
  readonly perPeriod: readonly number[];
  /** Sum over the window. */
  readonly total: number;
  /** Share of the window's total, 0-1 (0 when the total is 0). */
  readonly share: number;
  /** Trend between the last two periods; `null` with fewer than two periods. */
  readonly trend: CostTrend | null;
}

/**
 * The tag value of a TAG group key. Cost Explorer names a tag group `<tag key>$<value>` and returns
 * all tag values, the empty one (resources without the tag) included.
 * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html
 */
export function tagValueOf(groupKey: string, tagKey: string): string {
  const prefix = `${tagKey}$`;
  return groupKey.startsWith(prefix) ? groupKey.slice(prefix.length) : groupKey;
}

/** The trend between the last two values; `null` with fewer than two. */
export function trendOf(values: readonly number[]): CostTrend | null {
  if (values.length < 2) return null;
  const previous = values[values.length - 2];
  const last = values[values.length - 1];
  const change = round(last - previous);
  return { previous, last, change, changeRatio: previous === 0 ? null : change / previous };
}

/**
 * Cost per model over the periods, largest total first, untagged spend as its own row (never
 * dropped, so the rows always add up to the SageMaker total).
 */
export function costPerModel(periods: readonly CostPeriod[], tagKey: string): ModelCost[] {
  const byModel = new Map<string, number[]>();
  periods.forEach((p, i) => {
    for (const g of p.groups) {
      const value = tagValueOf(g.key, tagKey);
      const model = value === '' ? UNTAGGED : value;
      let row = byModel.get(model);
      if (!row) {
        row = periods.map(() => 0);
        byModel.set(model, row);
      }
      row[i] = round(row[i] + g.amount);
    }
  });
  const grand = windowTotal(periods);
  return [...byModel.entries()]
    .map(([model, perPeriod]): ModelCost => {
      const total = round(perPeriod.reduce((a, b) => a + b, 0));
      return {
        model,
        untagged: model === UNTAGGED,
        perPeriod,
        total,
        share: grand === 0 ? 0 : total / grand,
        trend: trendOf(perPeriod),
      };
    })
    .sort((a, b) => b.total - a.total || a.model.localeCompare(b.model));
}

/** Sum of every group of every period. */
export function windowTotal(periods: readonly CostPeriod[]): number {
  return round(periods.reduce((a, p) => a + p.groups.reduce((s, g) => s + g.amount, 0), 0));
}

/** The total of each period (all groups). */
export function periodTotals(periods: readonly CostPeriod[]): number[] {
  return periods.map((p) => round(p.groups.reduce((s, g) => s + g.amount, 0)));
}

/** Steadiness of daily cost: the statistic and the verdict. */
export interface Steadiness {
  /** Days measured. */
  readonly days: number;
  /** Mean daily cost. */
  readonly mean: number;
  /** Population coefficient of variation (standard deviation / mean); `null` when the mean is 0. */
  readonly coefficientOfVariation: number | null;
  /** The threshold applied. */
  readonly maxCoefficientOfVariation: number;
  /** Whether usage is steady: at least 7 days, mean > 0 and CV ≤ the threshold. */
  readonly steady: boolean;
}

/**
 * Whether daily cost is steady enough for a commitment: the population coefficient of variation
 * (σ/μ) of the daily totals at most `maxCv`, over at least a week (fewer days say nothing about
 * weekly patterns) with a positive mean.
 */
export function steadiness(dailyCosts: readonly number[], maxCv = DEFAULT_STEADY_MAX_CV): Steadiness {
  const days = dailyCosts.length;
  const mean = days === 0 ? 0 : dailyCosts.reduce((a, b) => a + b, 0) / days;
  if (mean <= 0) {
    return { days, mean: 0, coefficientOfVariation: null, maxCoefficientOfVariation: maxCv, steady: false };
  }
  const variance = dailyCosts.reduce((a, v) => a + (v - mean) ** 2, 0) / days;
  const cv = Math.sqrt(variance) / mean;
  return {
    days,
    mean: round(mean),
    coefficientOfVariation: cv,
    maxCoefficientOfVariation: maxCv,
    steady: days >= 7 && cv <= maxCv,
  };
}

/** Rounds to 1e-10 so sums of decimal amounts do not print floating-point noise. */
function round(v: number): number {
  return Math.round(v * 1e10) / 1e10;
}
