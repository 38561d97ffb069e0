import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetSavingsPlansPurchaseRecommendationCommand,
  type GetCostAndUsageCommandInput,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import {
  costPerModel,
  DEFAULT_STEADY_MAX_CV,
  periodTotals,
  steadiness,
  windowTotal,
  type CostPeriod,
  type ModelCost,
  type Steadiness,
} from './analysis';
import type { CostWindow } from './window';

/** Cost Explorer's name of the SageMaker service in the SERVICE dimension. */
export const SAGEMAKER_SERVICE = 'Amazon SageMaker';

/** The metric summed: list-price cost as billed, before amortization of commitments. */
export const COST_METRIC = 'UnblendedCost';

/** The IAM actions `compliant-mlops cost` calls (all read-only). */
export const COST_IAM_ACTIONS = ['ce:GetCostAndUsage', 'ce:GetSavingsPlansPurchaseRecommendation'] as const;

/** Period length of the per-model table. */
export type CostGranularity = 'MONTHLY' | 'DAILY';

/** Term of the Savings Plans recommendation. */
export type SavingsPlansTerm = 'ONE_YEAR' | 'THREE_YEARS';

/** Payment option of the Savings Plans recommendation. */
export type SavingsPlansPayment = 'NO_UPFRONT' | 'PARTIAL_UPFRONT' | 'ALL_UPFRONT';

/** Lookback of the Savings Plans recommendation. */
export type SavingsPlansLookback = 'SEVEN_DAYS' | 'THIRTY_DAYS' | 'SIXTY_DAYS';

/** Options of {@link runCostReport}. */
export interface CostReportOptions {
  /** The Cost Explorer client (Cost Explorer answers in us-east-1 for the commercial partition). */
  readonly client: CostExplorerClient;
  /** The window. */
  readonly window: CostWindow;
  /** Period length of the per-model table. */
  readonly granularity: CostGranularity;
  /**
   * The cost-allocation tag that names the model.
   * @default 'model-id'
   */
  readonly tagKey?: string;
  /**
   * Largest coefficient of variation of daily cost at which usage is steady.
   * @default 0.2
   */
  readonly steadyMaxCv?: number;
  /**
   * Term of the recommendation.
   * @default 'ONE_YEAR'
   */
  readonly term?: SavingsPlansTerm;
  /**
   * Payment option of the recommendation.
   * @default 'NO_UPFRONT'
   */
  readonly payment?: SavingsPlansPayment;
  /**
   * Lookback of the recommendation.
   * @default 'THIRTY_DAYS'
   */
  readonly lookback?: SavingsPlansLookback;
}

/** A Savings Plans (SageMaker) purchase recommendation, summarized. */
export interface SavingsPlansRecommendation {
  /** Term asked for. */
  readonly term: SavingsPlansTerm;
  /** Payment option asked for. */
  readonly payment: SavingsPlansPayment;
  /** Lookback asked for. */
  readonly lookback: SavingsPlansLookback;
  /** Hourly commitment Cost Explorer recommends; `null` when it recommends none. */
  readonly hourlyCommitment: number | null;
  /** Estimated monthly savings; `null` when not returned. */
  readonly estimatedMonthlySavings: number | null;
  /** Estimated savings percentage (0-100); `null` when not returned. */
  readonly estimatedSavingsPercentage: number | null;
  /** Currency of the amounts. */
  readonly currency: string | null;
}

/** Why a part of the report is missing. */
export interface CostError {
  /** The Cost Explorer operation that failed. */
  readonly operation: string;
  /** The error name (`AccessDeniedException`, `LimitExceededException`, ...). */
  readonly code: string;
  /** The service's message. */
  readonly message: string;
}

/** What `compliant-mlops cost` reports. */
export interface CostReport {
  /** The window measured. */
  readonly window: CostWindow;
  /** Period length of `models[].perPeriod`. */
  readonly granularity: CostGranularity;
  /** The cost-allocation tag grouped by. */
  readonly tagKey: string;
  /** The metric summed. */
  readonly metric: string;
  /** Currency of the amounts (`Unit` of the metric); `null` when no data came back. */
  readonly currency: string | null;
  /** Start days of the periods, in order. */
  readonly periods: readonly string[];
  /** Whether any period is still estimated by Cost Explorer. */
  readonly estimated: boolean;
  /** SageMaker cost over the window. */
  readonly total: number;
  /** Cost per model, largest first, untagged included. */
  readonly models: readonly ModelCost[];
  /** Steadiness of daily SageMaker cost over the window; `null` when it could not be measured. */
  readonly steadiness: Steadiness | null;
  /** The recommendation, asked for only when usage is steady; `null` otherwise. */
  readonly savingsPlans: SavingsPlansRecommendation | null;
  /**
   * Spot savings are not derived from Cost Explorer: the cost of spot usage is visible in usage
   * types, but the on-demand price it saved is not, so a share of savings would be a guess. The
   * `audit` command reports spot savings of training jobs from their billable and training seconds.
   */
  readonly spotSavings: 'not-reported';
  /** Failed calls; a non-empty list makes the command exit 2. */
  readonly errors: readonly CostError[];
}

const SAGEMAKER_FILTER = { Dimensions: { Key: 'SERVICE' as const, Values: [SAGEMAKER_SERVICE] } };

/**
 * Every page of one GetCostAndUsage query, merged by period: with GroupBy, one period's groups can
 * be split across pages, so periods are keyed by start day, not appended.
 * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html
 */
export async function getCostAndUsageAllPages(
  client: CostExplorerClient,
  input: GetCostAndUsageCommandInput,
): Promise<{ periods: CostPeriod[]; currency: string | null }> {
  const byStart = new Map<
    string,
    { start: string; end: string; estimated: boolean; groups: CostPeriod['groups'][number][] }
  >();
  let currency: string | null = null;
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const out = await client.send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
    for (const r of out.ResultsByTime ?? []) {
      const period = periodOf(r, byStart);
      for (const g of r.Groups ?? []) {
        const m = g.Metrics?.[COST_METRIC];
        currency ??= m?.Unit ?? null;
        period.groups.push({ key: g.Keys?.[0] ?? '', amount: amountOf(m?.Amount) });
      }
      // Without GroupBy the period carries its own total instead of groups.
      const t = r.Total?.[COST_METRIC];
      if ((r.Groups ?? []).length === 0 && t?.Amount !== undefined) {
        currency ??= t.Unit ?? null;
        period.groups.push({ key: '', amount: amountOf(t.Amount) });
      }
    }
    token = out.NextPageToken || undefined;
    // A service that hands back a token already used would loop forever.
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`GetCostAndUsage returned the page token ${token} twice`);
      seen.add(token);
    }
  } while (token !== undefined);
  const periods = [...byStart.values()].sort((a, b) => a.start.localeCompare(b.start));
  return { periods, currency };
}

function periodOf(
  r: ResultByTime,
  byStart: Map<
    string,
    { start: string; end: string; estimated: boolean; groups: CostPeriod['groups'][number][] }
  >,
) {
  const start = r.TimePeriod?.Start ?? '';
  let p = byStart.get(start);
  if (!p) {
    p = { start, end: r.TimePeriod?.End ?? '', estimated: r.Estimated === true, groups: [] };
    byStart.set(start, p);
  }
  p.estimated ||= r.Estimated === true;
  return p;
}

/**
 * A metric's `Amount` (a decimal string) as a number; anything else is an error, so a malformed
 * answer can never turn the totals into NaN.
 */
function amountOf(amount: string | undefined): number {
  if (amount === undefined) return 0;
  const n = Number(amount);
  if (amount.trim() === '' || !Number.isFinite(n)) {
    throw new Error(`GetCostAndUsage returned the amount ${JSON.stringify(amount)}, not a number`);
  }
  return n;
}

function toCostError(operation: string, e: unknown): CostError {
  const err = e as { name?: string; message?: string };
  return { operation, code: err.name ?? 'Error', message: String(err.message ?? e).split('\n')[0] };
}

/**
 * Builds the cost report: cost per model (GetCostAndUsage grouped by the tag, SageMaker only),
 * steadiness of daily cost, and a SageMaker Savings Plans recommendation when usage is steady.
 * A failed call (access denied, throttling past the retries) is reported in `errors`, and the
 * parts that did not depend on it are still reported.
 */
export async function runCostReport(options: CostReportOptions): Promise<CostReport> {
  const tagKey = options.tagKey ?? 'model-id';
  const errors: CostError[] = [];
  let periods: CostPeriod[] = [];
  let currency: string | null = null;
  let ok = true;
  try {
    ({ periods, currency } = await getCostAndUsageAllPages(options.client, {
      TimePeriod: { Start: options.window.start, End: options.window.end },
      Granularity: options.granularity,
      Metrics: [COST_METRIC],
      Filter: SAGEMAKER_FILTER,
      GroupBy: [{ Type: 'TAG', Key: tagKey }],
    }));
  } catch (e) {
    errors.push(toCostError('GetCostAndUsage', e));
    ok = false;
  }

  let steady: Steadiness | null = null;
  if (ok) {
    try {
      const daily =
        options.granularity === 'DAILY'
          ? periods
          : (
              await getCostAndUsageAllPages(options.client, {
                TimePeriod: { Start: options.window.start, End: options.window.end },
                Granularity: 'DAILY',
                Metrics: [COST_METRIC],
                Filter: SAGEMAKER_FILTER,
              })
            ).periods;
      steady = steadiness(periodTotals(daily), options.steadyMaxCv ?? DEFAULT_STEADY_MAX_CV);
    } catch (e) {
      errors.push(toCostError('GetCostAndUsage', e));
    }
  }

  let savingsPlans: SavingsPlansRecommendation | null = null;
  if (steady?.steady) {
    const term = options.term ?? 'ONE_YEAR';
    const payment = options.payment ?? 'NO_UPFRONT';
    const lookback = options.lookback ?? 'THIRTY_DAYS';
    try {
      const out = await options.client.send(
        new GetSavingsPlansPurchaseRecommendationCommand({
          SavingsPlansType: 'SAGEMAKER_SP',
          TermInYears: term,
          PaymentOption: payment,
          LookbackPeriodInDays: lookback,
        }),
      );
      const s = out.SavingsPlansPurchaseRecommendation?.SavingsPlansPurchaseRecommendationSummary;
      savingsPlans = {
        term,
        payment,
        lookback,
        hourlyCommitment: num(s?.HourlyCommitmentToPurchase),
        estimatedMonthlySavings: num(s?.EstimatedMonthlySavingsAmount),
        estimatedSavingsPercentage: num(s?.EstimatedSavingsPercentage),
        currency: s?.CurrencyCode ?? null,
      };
    } catch (e) {
      errors.push(toCostError('GetSavingsPlansPurchaseRecommendation', e));
    }
  }

  return {
    window: options.window,
    granularity: options.granularity,
    tagKey,
    metric: COST_METRIC,
    currency,
    periods: periods.map((p) => p.start),
    estimated: periods.some((p) => p.estimated),
    total: windowTotal(periods),
    models: costPerModel(periods, tagKey),
    steadiness: steady,
    savingsPlans,
    spotSavings: 'not-reported',
    errors,
  };
}

function num(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}
