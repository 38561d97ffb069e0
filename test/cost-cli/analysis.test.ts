import { describe, expect, it } from 'vitest';
import {
  costPerModel,
  steadiness,
  tagValueOf,
  trendOf,
  UNTAGGED,
  windowTotal,
  type CostPeriod,
} from '../../lib/cost/analysis';
import { daysIn, isIsoDay, lastFullMonths } from '../../lib/cost/window';

const periods: CostPeriod[] = [
  {
    start: '2026-09-01',
    end: '2026-10-01',
    estimated: false,
    groups: [
      { key: 'model-id$churn', amount: 100 },
      { key: 'model-id$', amount: 10 },
    ],
  },
  {
    start: '2026-10-01',
    end: '2026-11-01',
    estimated: false,
    groups: [
      { key: 'model-id$churn', amount: 150 },
      { key: 'model-id$fraud', amount: 40 },
      { key: 'model-id$', amount: 10 },
    ],
  },
];

describe('cost arithmetic', () => {
  // GetCostAndUsage names tag groups `<key>$<value>` and returns the empty value for untagged spend:
  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html
  it('reads the tag value of a TAG group key, the empty value included', () => {
    expect(tagValueOf('model-id$churn-v3', 'model-id')).toBe('churn-v3');
    expect(tagValueOf('model-id$', 'model-id')).toBe('');
    expect(tagValueOf('model-id$a$b', 'model-id')).toBe('a$b');
  });

  it('sums per model, keeps untagged spend as its own row, largest total first', () => {
    const rows = costPerModel(periods, 'model-id');
    expect(rows.map((r) => r.model)).toEqual(['churn', 'fraud', UNTAGGED]);
    const churn = rows[0];
    expect(churn.perPeriod).toEqual([100, 150]);
    expect(churn.total).toBe(250);
    expect(churn.share).toBeCloseTo(250 / 310, 10);
    expect(rows[2]).toMatchObject({ untagged: true, total: 20, perPeriod: [10, 10] });
    // The rows add up to the window's total: nothing is dropped.
    expect(rows.reduce((a, r) => a + r.total, 0)).toBe(windowTotal(periods));
    expect(windowTotal(periods)).toBe(310);
  });

  it('a model absent from a period costs 0 there and its trend is new (no ratio)', () => {
    const fraud = costPerModel(periods, 'model-id').find((r) => r.model === 'fraud');
    expect(fraud?.perPeriod).toEqual([0, 40]);
    expect(fraud?.trend).toEqual({ previous: 0, last: 40, change: 40, changeRatio: null });
  });

  it('trend is the change between the last two periods', () => {
    expect(trendOf([80, 100, 150])).toEqual({ previous: 100, last: 150, change: 50, changeRatio: 0.5 });
    expect(trendOf([100, 75])?.changeRatio).toBe(-0.25);
    expect(trendOf([100])).toBeNull();
  });

  it('sums decimal amounts without floating-point noise', () => {
    const rows = costPerModel(
      [
        {
          start: '2026-10-01',
          end: '2026-10-02',
          estimated: false,
          groups: [
            { key: 'model-id$a', amount: 0.1 },
            { key: 'model-id$a', amount: 0.2 },
          ],
        },
      ],
      'model-id',
    );
    expect(rows[0].total).toBe(0.3);
  });

  it('steady means a coefficient of variation of daily cost at most 0.2 over at least 7 days', () => {
    // mean 100, population standard deviation 20: CV exactly 0.2.
    const edge = steadiness([80, 120, 80, 120, 80, 120, 80, 120]);
    expect(edge.mean).toBe(100);
    expect(edge.coefficientOfVariation).toBeCloseTo(0.2, 12);
    expect(edge.steady).toBe(true);
    expect(steadiness([70, 130, 70, 130, 70, 130, 70, 130]).steady).toBe(false); // CV 0.3
    expect(steadiness([100, 100, 100, 100, 100, 100]).steady).toBe(false); // 6 days only
    expect(steadiness(Array(10).fill(0))).toMatchObject({ coefficientOfVariation: null, steady: false });
    expect(steadiness([]).steady).toBe(false);
    expect(steadiness([70, 130, 70, 130, 70, 130, 70, 130], 0.35).steady).toBe(true);
  });

  it('the default window is the last full calendar months, end exclusive', () => {
    expect(lastFullMonths(new Date('2026-12-02T04:00:00Z'), 3)).toEqual({
      start: '2026-09-01',
      end: '2026-12-01',
    });
    expect(lastFullMonths(new Date('2026-02-15T00:00:00Z'), 3)).toEqual({
      start: '2025-11-01',
      end: '2026-02-01',
    });
    expect(daysIn({ start: '2026-09-01', end: '2026-12-01' })).toBe(91);
    expect(isIsoDay('2026-02-29')).toBe(false);
    expect(isIsoDay('2028-02-29')).toBe(true);
    expect(isIsoDay('2026-9-01')).toBe(false);
  });
});
