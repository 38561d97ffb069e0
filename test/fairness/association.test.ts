import { describe, expect, it } from 'vitest';
import { AssociationAccumulator, correlationRatio, cramersV } from '../../lib/fairness';

const table = (rows: Record<string, Record<string, number>>): Map<string, Map<string, number>> =>
  new Map(Object.entries(rows).map(([k, v]) => [k, new Map(Object.entries(v))]));

describe("Cramér's V", () => {
  it('is 1 when the column determines the facet and 0 when independent', () => {
    expect(cramersV(table({ x: { a: 10 }, y: { d: 5 } }))).toBeCloseTo(1, 12);
    expect(cramersV(table({ x: { a: 10, d: 20 }, y: { a: 5, d: 10 } }))).toBeCloseTo(0, 12);
  });

  it('matches the textbook 2×2 value sqrt(χ²/n)', () => {
    // χ² of [[20, 10], [5, 15]]: n = 50, E = [[15, 15], [10, 10]].
    const chi2 = 25 / 15 + 25 / 15 + 25 / 10 + 25 / 10;
    expect(cramersV(table({ x: { a: 20, d: 10 }, y: { a: 5, d: 15 } }))).toBeCloseTo(
      Math.sqrt(chi2 / 50),
      12,
    );
  });

  it('is undefined for a constant column or a single facet value', () => {
    expect(cramersV(table({ x: { a: 3, d: 4 } }))).toBeUndefined();
    expect(cramersV(table({ x: { a: 3 }, y: { a: 4 } }))).toBeUndefined();
  });
});

describe('correlation ratio', () => {
  it('is 1 when the facet determines the value, 0 when the facet means are equal', () => {
    expect(
      correlationRatio([
        { n: 2, mean: 1, m2: 0 },
        { n: 3, mean: 5, m2: 0 },
      ]),
    ).toBeCloseTo(1, 12);
    expect(
      correlationRatio([
        { n: 2, mean: 3, m2: 2 },
        { n: 2, mean: 3, m2: 8 },
      ]),
    ).toBe(0);
    expect(
      correlationRatio([
        { n: 2, mean: 3, m2: 0 },
        { n: 2, mean: 3, m2: 0 },
      ]),
    ).toBeUndefined();
  });
});

describe('AssociationAccumulator', () => {
  it('uses η for an all-numeric column and V once a value is not a number', () => {
    const numeric = new AssociationAccumulator(100);
    for (const [f, x] of [
      ['a', '1'],
      ['a', '2'],
      ['d', '10'],
      ['d', '11'],
    ])
      numeric.add(f, x);
    expect(numeric.result()).toMatchObject({ measure: 'correlationRatio', n: 4 });
    expect(numeric.result().value).toBeGreaterThan(0.99);
    const mixed = new AssociationAccumulator(100);
    for (const [f, x] of [
      ['a', '1'],
      ['d', 'two'],
      ['a', '1'],
      ['d', 'two'],
    ])
      mixed.add(f, x);
    expect(mixed.result()).toMatchObject({ measure: 'cramersV', value: 1, n: 4 });
  });

  it('treats a numeric column as categorical when told (zip codes)', () => {
    const acc = new AssociationAccumulator(100, true);
    for (const [f, x] of [
      ['a', '10001'],
      ['d', '20002'],
    ])
      acc.add(f, x);
    expect(acc.result().measure).toBe('cramersV');
  });

  it('skips missing cells, and gives up V past the category cap with a reason (bounded memory)', () => {
    const acc = new AssociationAccumulator(3);
    for (let i = 0; i < 10; i++) acc.add(i % 2 ? 'a' : 'd', `id-${i}`);
    acc.add('a', '');
    acc.add('a', null);
    expect(acc.result()).toEqual({
      measure: 'cramersV',
      value: null,
      reason: 'more than 3 distinct values (an identifier or free text?)',
      n: 10,
    });
    expect(new AssociationAccumulator(3).result()).toMatchObject({
      value: null,
      reason: 'no row has both values',
      n: 0,
    });
  });
});
