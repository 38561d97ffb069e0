import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/cli/command';
import { createCostCommand } from '../../lib/cli/commands/cost';
import { COST_IAM_ACTIONS, type CostReport } from '../../lib/cost/cost';
import { fakeIO, REPO } from '../cli/fake-io';
import { awsError, startAwsFake, type AwsFake } from '../support/aws-fake';

// Tested through the real Cost Explorer client (AWS JSON 1.1, target AWSInsightsIndexService) on
// the loopback fake. API pages:
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetSavingsPlansPurchaseRecommendation.html

const NOW = new Date('2026-12-02T04:00:00Z');
let fake: AwsFake;

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

interface Wire {
  TimePeriod: { Start: string; End: string };
  Granularity: string;
  Metrics: string[];
  Filter?: unknown;
  GroupBy?: { Type: string; Key: string }[];
  NextPageToken?: string;
}

const money = (amount: number) => ({ UnblendedCost: { Amount: String(amount), Unit: 'USD' } });
const group = (value: string, amount: number) => ({ Keys: [`model-id$${value}`], Metrics: money(amount) });
const month = (start: string, end: string, groups: unknown[]) => ({
  TimePeriod: { Start: start, End: end },
  Total: {},
  Groups: groups,
  Estimated: false,
});

/**
 * Three pages of the monthly grouped query; October's groups are split across pages 1 and 2, as
 * Cost Explorer does when a period has more groups than a page holds.
 */
const MONTHLY_PAGES = [
  [
    month('2026-09-01', '2026-10-01', [group('churn', 100), group('', 12.5)]),
    month('2026-10-01', '2026-11-01', [group('churn', 120)]),
  ],
  [month('2026-10-01', '2026-11-01', [group('fraud', 30), group('', 12.5)])],
  [month('2026-11-01', '2026-12-01', [group('churn', 150), group('fraud', 24), group('', 12.5)])],
];

/** Daily SageMaker totals over the window (no GroupBy): `amount(dayIndex)`. */
function dailyResults(input: Wire, amount: (i: number) => number) {
  const out = [];
  for (
    let d = new Date(`${input.TimePeriod.Start}T00:00:00Z`), i = 0;
    d < new Date(`${input.TimePeriod.End}T00:00:00Z`);
    d = new Date(d.getTime() + 86_400_000), i++
  ) {
    const start = d.toISOString().slice(0, 10);
    const end = new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10);
    out.push({
      TimePeriod: { Start: start, End: end },
      Total: money(amount(i)),
      Groups: [],
      Estimated: false,
    });
  }
  return out;
}

function serve(options: { daily?: (i: number) => number } = {}): void {
  const daily = options.daily ?? ((i: number) => (i % 2 === 0 ? 90 : 110)); // CV 0.1: steady
  fake.on<Wire, unknown>('ce', 'GetCostAndUsage', (input) => {
    if (input.Granularity === 'DAILY' && input.GroupBy === undefined) {
      // Two pages of daily totals, to exercise pagination of the second query too.
      const all = dailyResults(input, daily);
      const half = Math.ceil(all.length / 2);
      return input.NextPageToken === 'd2'
        ? { ResultsByTime: all.slice(half) }
        : { ResultsByTime: all.slice(0, half), NextPageToken: 'd2' };
    }
    const page = input.NextPageToken === undefined ? 0 : Number(input.NextPageToken.slice(1));
    return {
      ResultsByTime: MONTHLY_PAGES[page],
      GroupDefinitions: [{ Type: 'TAG', Key: 'model-id' }],
      ...(page + 1 < MONTHLY_PAGES.length ? { NextPageToken: `p${page + 1}` } : {}),
    };
  });
  fake.on('ce', 'GetSavingsPlansPurchaseRecommendation', () => ({
    SavingsPlansPurchaseRecommendation: {
      SavingsPlansType: 'SAGEMAKER_SP',
      SavingsPlansPurchaseRecommendationSummary: {
        HourlyCommitmentToPurchase: '3.5',
        EstimatedMonthlySavingsAmount: '420.12',
        EstimatedSavingsPercentage: '18.5',
        CurrencyCode: 'USD',
      },
    },
  }));
}

const factory = () => new CostExplorerClient(fake.clientConfig({ region: 'us-east-1' }));

async function run(args: string[]) {
  const io = fakeIO();
  const code = await createCostCommand({ clientFactory: factory, now: () => NOW }).run(args, io);
  return { code, out: io.out(), err: io.errLines() };
}

async function runJson(args: string[] = []) {
  const r = await run(['--format', 'json', ...args]);
  return { ...r, report: JSON.parse(r.out) as CostReport };
}

describe('compliant-mlops cost through the Cost Explorer SDK', () => {
  it('asks for SageMaker cost grouped by the model-id tag over the last 3 full months, every page', async () => {
    serve();
    const { code, report, err } = await runJson();
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const calls = fake.callsTo('ce', 'GetCostAndUsage').filter((c) => c.input.GroupBy !== undefined);
    expect(calls.map((c) => c.input.NextPageToken)).toEqual([undefined, 'p1', 'p2']);
    expect(calls[0].input).toEqual({
      TimePeriod: { Start: '2026-09-01', End: '2026-12-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon SageMaker'] } },
      GroupBy: [{ Type: 'TAG', Key: 'model-id' }],
    });
    expect(report.periods).toEqual(['2026-09-01', '2026-10-01', '2026-11-01']);
    // October's groups came on two pages and are merged into one period.
    expect(report.models.map((m) => [m.model, m.perPeriod])).toEqual([
      ['churn', [100, 120, 150]],
      ['fraud', [0, 30, 24]],
      ['(untagged)', [12.5, 12.5, 12.5]],
    ]);
    expect(report.total).toBe(461.5);
    expect(report.models[0].trend).toEqual({ previous: 120, last: 150, change: 30, changeRatio: 0.25 });
    expect(report.models[1].trend?.changeRatio).toBeCloseTo(-0.2, 10);
    expect(report.currency).toBe('USD');
    fake.assertAllHandled();
  });

  it('asks for a SageMaker Savings Plans recommendation when daily cost is steady', async () => {
    serve();
    const { report } = await runJson([
      '--sp-term',
      '3',
      '--sp-payment',
      'all-upfront',
      '--sp-lookback',
      '60',
    ]);
    expect(report.steadiness).toMatchObject({ days: 91, steady: true });
    expect(report.steadiness?.coefficientOfVariation).toBeCloseTo(0.1, 2);
    expect(fake.callsTo('ce', 'GetSavingsPlansPurchaseRecommendation').map((c) => c.input)).toEqual([
      {
        SavingsPlansType: 'SAGEMAKER_SP',
        TermInYears: 'THREE_YEARS',
        PaymentOption: 'ALL_UPFRONT',
        LookbackPeriodInDays: 'SIXTY_DAYS',
      },
    ]);
    expect(report.savingsPlans).toEqual({
      term: 'THREE_YEARS',
      payment: 'ALL_UPFRONT',
      lookback: 'SIXTY_DAYS',
      hourlyCommitment: 3.5,
      estimatedMonthlySavings: 420.12,
      estimatedSavingsPercentage: 18.5,
      currency: 'USD',
    });
  });

  it('does not ask for a recommendation when daily cost is not steady', async () => {
    serve({ daily: (i) => (i % 2 === 0 ? 50 : 150) }); // CV 0.5
    const { code, report } = await runJson();
    expect(code).toBe(0);
    expect(report.steadiness).toMatchObject({ steady: false });
    expect(report.savingsPlans).toBeNull();
    expect(fake.count('ce', 'GetSavingsPlansPurchaseRecommendation')).toBe(0);
  });

  it('with --granularity daily reuses the grouped daily query for steadiness (no second query)', async () => {
    fake.on<Wire, unknown>('ce', 'GetCostAndUsage', (input) => ({
      ResultsByTime: dailyResults(input, () => 10).map((r) => ({
        ...r,
        Total: {},
        Groups: [group('churn', 10)],
      })),
    }));
    // An empty summary: Cost Explorer recommends no purchase.
    fake.on('ce', 'GetSavingsPlansPurchaseRecommendation', () => ({
      SavingsPlansPurchaseRecommendation: { SavingsPlansPurchaseRecommendationSummary: {} },
    }));
    const { code, report } = await runJson([
      '--granularity',
      'daily',
      '--start',
      '2026-11-01',
      '--end',
      '2026-11-15',
    ]);
    expect(code).toBe(0);
    expect(report.savingsPlans).toMatchObject({ hourlyCommitment: null, estimatedMonthlySavings: null });
    expect(fake.count('ce', 'GetCostAndUsage')).toBe(1);
    expect(report.periods).toHaveLength(14);
    expect(report.steadiness).toMatchObject({ days: 14, steady: true, coefficientOfVariation: 0 });
  });

  it('a page token handed back twice ends the query with an error instead of looping', async () => {
    fake.on('ce', 'GetCostAndUsage', () => ({ ResultsByTime: [], NextPageToken: 'same' }));
    const { code, report, err } = await runJson();
    expect(code).toBe(2);
    expect(fake.count('ce', 'GetCostAndUsage')).toBe(2);
    expect(err).toEqual([
      'compliant-mlops: cost: GetCostAndUsage: Error: GetCostAndUsage returned the page token same twice',
    ]);
    expect(report.errors).toHaveLength(1);
  });

  it('an Amount that is not a number is an error, never summed as NaN', async () => {
    fake.on('ce', 'GetCostAndUsage', () => ({
      ResultsByTime: [
        month('2026-11-01', '2026-12-01', [
          { Keys: ['model-id$a'], Metrics: { UnblendedCost: { Amount: 'n/a', Unit: 'USD' } } },
        ]),
      ],
    }));
    const { code, report } = await runJson();
    expect(code).toBe(2);
    expect(report.errors).toEqual([
      expect.objectContaining({ operation: 'GetCostAndUsage', message: expect.stringContaining('"n/a"') }),
    ]);
    expect(report.models).toEqual([]);
  });

  it('says when a period is still estimated by Cost Explorer', async () => {
    fake.on('ce', 'GetCostAndUsage', () => ({
      ResultsByTime: [{ ...month('2026-11-01', '2026-12-01', [group('a', 5)]), Estimated: true }],
    }));
    const { out } = await run(['--months', '1']);
    expect(out).toContain('note: some periods are still estimated by Cost Explorer');
  });

  it('survives Cost Explorer throttling (LimitExceededException) through the SDK retries', async () => {
    serve();
    fake.failNext('ce', 'GetCostAndUsage', { code: 'LimitExceededException', times: 2 });
    fake.faults({ throttleRate: 0.3, seed: 7, services: ['ce'] });
    const { code, report } = await runJson();
    expect(code).toBe(0);
    expect(report.total).toBe(461.5);
    const throttled = fake.calls.filter((c) => c.errorCode === 'LimitExceededException');
    expect(throttled.length).toBeGreaterThanOrEqual(2);
    expect(report.errors).toEqual([]);
  });

  it('access denied on GetCostAndUsage: exit 2, one stderr line, the json report carries the error', async () => {
    serve();
    fake.failNext('ce', 'GetCostAndUsage', {
      code: 'AccessDeniedException',
      message: 'User: arn:aws:iam::111122223333:user/x is not authorized to perform: ce:GetCostAndUsage',
    });
    const { code, report, err } = await runJson();
    expect(code).toBe(2);
    expect(err).toEqual([
      'compliant-mlops: cost: GetCostAndUsage: AccessDeniedException: User: arn:aws:iam::111122223333:user/x is not authorized to perform: ce:GetCostAndUsage',
    ]);
    expect(report.errors).toEqual([
      expect.objectContaining({ operation: 'GetCostAndUsage', code: 'AccessDeniedException' }),
    ]);
    expect(report.models).toEqual([]);
    // Access denied is not retried, and nothing else is asked once the costs are unknown.
    expect(fake.count('ce')).toBe(1);
  });

  it('access denied on the recommendation only: costs still reported, exit 2', async () => {
    serve();
    fake.on('ce', 'GetSavingsPlansPurchaseRecommendation', () => {
      throw awsError(
        400,
        'AccessDeniedException',
        'not authorized to perform: ce:GetSavingsPlansPurchaseRecommendation',
      );
    });
    const { code, out, err } = await run(['--format', 'markdown']);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^compliant-mlops: cost: GetSavingsPlansPurchaseRecommendation: AccessDeniedException: /,
    );
    expect(out).toContain('| churn | 100.00 | 120.00 | 150.00 | 370.00 | 80.2% | +30.00 (+25.0%) |');
    expect(out).toContain('- error: GetSavingsPlansPurchaseRecommendation: AccessDeniedException: ');
  });

  it('prints an aligned text table with the untagged row and the savings plans line', async () => {
    serve();
    const { code, out } = await run([]);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      'SageMaker cost per model-id (UnblendedCost, USD), 2026-09-01 to 2026-12-01 (end exclusive), monthly: total 461.50',
    );
    expect(lines[2]).toMatch(
      /^model\s+2026-09-01\s+2026-10-01\s+2026-11-01\s+total\s+share\s+trend \(last vs previous\)$/,
    );
    expect(lines[3]).toMatch(
      /^churn\s+100\.00\s+120\.00\s+150\.00\s+370\.00\s+80\.2%\s+\+30\.00 \(\+25\.0%\)$/,
    );
    expect(lines[5]).toMatch(/^\(untagged\)\s+12\.50\s+12\.50\s+12\.50\s+37\.50\s+8\.1%\s+0\.00 \(0\.0%\)$/);
    expect(out).toContain(
      'savings plans (SageMaker, ONE_YEAR, NO_UPFRONT, lookback THIRTY_DAYS): commit 3.5 USD/hour, estimated savings 420.12 USD/month (18.5%)',
    );
    expect(out).toContain('spot savings: not reported');
  });
});

describe('compliant-mlops cost --output', () => {
  it('writes the report to the file, nothing on stdout', async () => {
    serve();
    const dir = mkdtempSync(join(tmpdir(), 'cost-cli-'));
    const { code, out } = await run(['--format', 'markdown', '--output', join(dir, 'cost.md')]);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(readFileSync(join(dir, 'cost.md'), 'utf8')).toMatch(/^## SageMaker cost per `model-id`/);
  });
});

describe('compliant-mlops cost usage errors', () => {
  it.each([
    [
      ['--format', 'sarif'],
      /^cost: --format: unknown format "sarif" \(expected one of text, json, markdown\)$/,
    ],
    [['--months', '13'], /^cost: --months: "13" is not an integer from 1 to 12$/],
    [['--start', '2026-01-01'], /^cost: --start\/--end: both are needed/],
    [['--start', '2026-02-30', '--end', '2026-03-01'], /^cost: --start: "2026-02-30" is not a date/],
    [['--start', '2026-03-01', '--end', '2026-03-01'], /^cost: --end: 2026-03-01 is not after --start/],
    [
      ['--months', '2', '--start', '2026-01-01', '--end', '2026-02-01'],
      /^cost: --months: cannot be combined/,
    ],
    [['--granularity', 'hourly'], /^cost: --granularity: unknown value "hourly"/],
    [['--steady-cv', '0'], /^cost: --steady-cv: "0" is not a number above 0 and at most 1$/],
    [['--sp-term', '2'], /^cost: --sp-term: unknown value "2" \(expected one of 1, 3\)$/],
    [['--tag-key', 'a$b'], /^cost: --tag-key: "a\$b" is not a tag key/],
    [['--bogus'], /^cost: Unknown option '--bogus'/],
  ])('%j is a usage error before any request', async (args, message) => {
    const io = fakeIO();
    const p = createCostCommand({ clientFactory: factory, now: () => NOW }).run(args, io);
    await expect(p).rejects.toThrow(UsageError);
    await expect(p).rejects.toThrow(message);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('the IAM actions of compliant-mlops cost', () => {
  it('COST_IAM_ACTIONS are exactly the operations a full run sends, and README lists them', async () => {
    serve();
    const { code } = await runJson();
    expect(code).toBe(0);
    const sent = [...new Set(fake.calls.map((c) => `${c.service}:${c.operation}`))].sort();
    expect(sent).toEqual([...COST_IAM_ACTIONS].sort());
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    for (const action of COST_IAM_ACTIONS) expect(readme).toContain(`\`${action}\``);
  });
});
