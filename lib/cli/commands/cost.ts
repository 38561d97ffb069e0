// Type imports only of the SDK side: the Cost Explorer client loads when a report runs, so
// `cost --help` and usage errors answer in node's start-up time.
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type {
  CostGranularity,
  SavingsPlansLookback,
  SavingsPlansPayment,
  SavingsPlansTerm,
} from '../../cost/cost';
import { DEFAULT_STEADY_MAX_CV } from '../../cost/analysis';
import { COST_FORMATS } from '../../cost/format';
import { isIsoDay, lastFullMonths, type CostWindow } from '../../cost/window';
import { CliIO, Command, EXIT, UsageError } from '../command';
import { parseCommandArgs } from '../args';
import { resolveFormat, resolveRegion, writeReport } from '../command-options';

const TERMS: Record<string, SavingsPlansTerm> = { '1': 'ONE_YEAR', '3': 'THREE_YEARS' };
const PAYMENTS: Record<string, SavingsPlansPayment> = {
  'no-upfront': 'NO_UPFRONT',
  'partial-upfront': 'PARTIAL_UPFRONT',
  'all-upfront': 'ALL_UPFRONT',
};
const LOOKBACKS: Record<string, SavingsPlansLookback> = {
  '7': 'SEVEN_DAYS',
  '30': 'THIRTY_DAYS',
  '60': 'SIXTY_DAYS',
};

const USAGE = `usage: compliant-mlops cost [options]

Read-only SageMaker cost per model from Cost Explorer: GetCostAndUsage filtered on the service
"Amazon SageMaker" and grouped by a cost-allocation tag (default model-id; activate it in the Billing
console first), per month or day, with each model's share and trend (last period against the
previous one). Spend without the tag is its own row, "(untagged)". When daily cost is steady
(coefficient of variation of daily cost ≤ --steady-cv over the window, at least 7 days) it adds
Cost Explorer's SageMaker Savings Plans purchase recommendation. Spot savings are not derived from
cost data (no on-demand price for spot usage there): audit --checks training-jobs reports them per job
(Audit-TrainingJobSpotSavings).
Needs ce:GetCostAndUsage and ce:GetSavingsPlansPurchaseRecommendation.

options:
  --months N             the last N full calendar months, 1-12 (default: 3)
  --start YYYY-MM-DD     window start, inclusive (with --end; instead of --months)
  --end YYYY-MM-DD       window end, exclusive
  --granularity G        monthly | daily (default: monthly)
  --tag-key K            cost-allocation tag naming the model (default: model-id)
  --steady-cv X          largest coefficient of variation of daily cost that is steady, 0-1 (default: ${DEFAULT_STEADY_MAX_CV})
  --sp-term T            Savings Plans term in years: 1 | 3 (default: 1)
  --sp-payment P         no-upfront | partial-upfront | all-upfront (default: no-upfront)
  --sp-lookback D        days of usage the recommendation looks back on: 7 | 30 | 60 (default: 30)
  --region R             Cost Explorer endpoint region (default: us-east-1, where Cost Explorer answers)
  --profile P            profile of the shared AWS config/credentials files (default: the SDK's credential chain)
  --format F             ${COST_FORMATS.join(' | ')} (default: text)
  --output FILE          write the report to FILE instead of stdout

exit codes: 0 report complete; 2 usage error, or a call that failed (access denied, throttled past
the retries, no credentials): one line on stderr, and json/markdown reports still carry the error
`;

/** Options of {@link createCostCommand}. */
export interface CostCommandOptions {
  /**
   * Builds the Cost Explorer client; tests point it at a loopback fake.
   * @default - an SDK v3 client with the default endpoint resolution and credential chain
   */
  readonly clientFactory?: (options: { region: string; profile?: string }) => CostExplorerClient;
  /**
   * The command's clock (the default window ends at the start of its month).
   * @default - the time the command runs
   */
  readonly now?: () => Date;
}

/** `compliant-mlops cost`, with an injectable client and clock. */
export function createCostCommand(options: CostCommandOptions = {}): Command {
  return {
    name: 'cost',
    summary:
      'SageMaker cost per model from Cost Explorer (model-id tag), trend and Savings Plans recommendation',
    usage: USAGE,
    run: async (args, io) => runCostCommand(args, io, options),
  };
}

/** The `cost` command with a real Cost Explorer client. */
export const costCommand: Command = createCostCommand();

const OPTIONS = {
  months: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  granularity: { type: 'string' },
  'tag-key': { type: 'string' },
  'steady-cv': { type: 'string' },
  'sp-term': { type: 'string' },
  'sp-payment': { type: 'string' },
  'sp-lookback': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
} as const;

function choice<T>(field: string, value: string | undefined, map: Record<string, T>, dflt: string): T {
  const v = value ?? dflt;
  if (!(v in map)) {
    throw new UsageError(
      `cost: --${field}: unknown value ${JSON.stringify(v)} (expected one of ${Object.keys(map).join(', ')})`,
    );
  }
  return map[v];
}

function windowOf(values: { months?: string; start?: string; end?: string }, now: Date): CostWindow {
  if (values.start !== undefined || values.end !== undefined) {
    if (values.months !== undefined)
      throw new UsageError('cost: --months: cannot be combined with --start/--end');
    if (values.start === undefined || values.end === undefined) {
      throw new UsageError('cost: --start/--end: both are needed (got only one)');
    }
    for (const [field, v] of [
      ['start', values.start],
      ['end', values.end],
    ] as const) {
      if (!isIsoDay(v))
        throw new UsageError(`cost: --${field}: ${JSON.stringify(v)} is not a date (expected YYYY-MM-DD)`);
    }
    if (values.start >= values.end) {
      throw new UsageError(`cost: --end: ${values.end} is not after --start ${values.start}`);
    }
    return { start: values.start, end: values.end };
  }
  const months = values.months === undefined ? 3 : Number(values.months);
  if (!Number.isInteger(months) || months < 1 || months > 12) {
    throw new UsageError(`cost: --months: ${JSON.stringify(values.months)} is not an integer from 1 to 12`);
  }
  return lastFullMonths(now, months);
}

async function runCostCommand(
  args: readonly string[],
  io: CliIO,
  options: CostCommandOptions,
): Promise<number> {
  const { values } = parseCommandArgs('cost', args, OPTIONS, false);
  const format = resolveFormat('cost', values.format, COST_FORMATS);
  const window = windowOf(values, options.now?.() ?? new Date());
  const granularity = choice<CostGranularity>(
    'granularity',
    values.granularity,
    { monthly: 'MONTHLY', daily: 'DAILY' },
    'monthly',
  );
  const tagKey = values['tag-key'] ?? 'model-id';
  // Tag keys are at most 128 characters; `$` separates key and value in Cost Explorer's group keys.
  if (tagKey === '' || tagKey.length > 128 || tagKey.includes('$')) {
    throw new UsageError(
      `cost: --tag-key: ${JSON.stringify(tagKey)} is not a tag key (expected 1-128 characters, no $)`,
    );
  }
  const steadyCv = values['steady-cv'] === undefined ? DEFAULT_STEADY_MAX_CV : Number(values['steady-cv']);
  if (!Number.isFinite(steadyCv) || steadyCv <= 0 || steadyCv > 1) {
    throw new UsageError(
      `cost: --steady-cv: ${JSON.stringify(values['steady-cv'])} is not a number above 0 and at most 1`,
    );
  }
  const term = choice('sp-term', values['sp-term'], TERMS, '1');
  const payment = choice('sp-payment', values['sp-payment'], PAYMENTS, 'no-upfront');
  const lookback = choice('sp-lookback', values['sp-lookback'], LOOKBACKS, '30');
  // Cost Explorer answers from us-east-1 whatever the region of the usage.
  const region = resolveRegion('cost', values.region ?? 'us-east-1', io, 'us-east-1');
  if (values.profile !== undefined && !/^[A-Za-z0-9._+=,@-]+$/.test(values.profile)) {
    throw new UsageError(`cost: --profile: ${JSON.stringify(values.profile)} is not a profile name`);
  }

  const { runCostReport } = await import('../../cost/cost.js');
  const client = options.clientFactory
    ? options.clientFactory({ region, profile: values.profile })
    : await defaultClient(region, values.profile);
  let report;
  try {
    report = await runCostReport({
      client,
      window,
      granularity,
      tagKey,
      steadyMaxCv: steadyCv,
      term,
      payment,
      lookback,
    });
  } finally {
    client.destroy();
  }
  for (const e of report.errors)
    io.stderr(`compliant-mlops: cost: ${e.operation}: ${e.code}: ${e.message}\n`);
  const { formatCostReport } = await import('../../cost/format.js');
  writeReport('cost', io, values.output, formatCostReport(report, format));
  return report.errors.length > 0 ? EXIT.usage : EXIT.ok;
}

async function defaultClient(region: string, profile: string | undefined): Promise<CostExplorerClient> {
  const { CostExplorerClient: Client } = await import('@aws-sdk/client-cost-explorer');
  const { boundedHttpOptions } = await import('../../handlers/shared/http.js');
  return new Client({
    region,
    maxAttempts: 6,
    requestHandler: boundedHttpOptions(20_000),
    ...(profile !== undefined ? { profile } : {}),
  });
}
