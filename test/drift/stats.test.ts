import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binIndex,
  chiSquareGoodnessOfFit,
  chiSquareSurvival,
  decileEdges,
  kolmogorovCdf,
  kolmogorovSurvival,
  ksExactPValue,
  ksTwoSample,
  logGamma,
  psi,
  quantileSorted,
  regularizedGammaQ,
} from '../../lib/drift/stats';

const FC = { seed: 20240607, numRuns: 200 };

/** Independent reference: enumerate every split of the pooled sample into sizes n and m. */
function bruteForceKsPValue(a: number[], b: number[]): number {
  const pooled = [...a, ...b].sort((x, y) => x - y);
  const n = a.length;
  const m = b.length;
  const dOf = (xs: number[], ys: number[]): number => {
    let best = 0;
    for (const v of pooled) {
      const fx = xs.filter((x) => x <= v).length / n;
      const fy = ys.filter((y) => y <= v).length / m;
      best = Math.max(best, Math.abs(fx - fy));
    }
    return best;
  };
  const observed = dOf(a, b);
  let total = 0;
  let atLeast = 0;
  const N = n + m;
  for (let mask = 0; mask < 1 << N; mask++) {
    let bits = 0;
    for (let k = 0; k < N; k++) if (mask & (1 << k)) bits++;
    if (bits !== n) continue;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < N; k++) (mask & (1 << k) ? xs : ys).push(pooled[k]);
    total++;
    if (dOf(xs, ys) >= observed - 1e-12) atLeast++;
  }
  return atLeast / total;
}

describe('quantiles and bins', () => {
  it('uses type-7 interpolation (numpy.percentile default)', () => {
    const xs = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    // numpy.percentile(range(1, 11), [10, 50, 90]) == [1.9, 5.5, 9.1]
    expect(quantileSorted(xs, 0.1)).toBeCloseTo(1.9, 12);
    expect(quantileSorted(xs, 0.5)).toBeCloseTo(5.5, 12);
    expect(quantileSorted(xs, 0.9)).toBeCloseTo(9.1, 12);
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
  });

  it('gives 11 decile edges from min to max', () => {
    const xs = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    const edges = decileEdges(xs);
    expect(edges).toHaveLength(11);
    expect(edges[0]).toBe(1);
    expect(edges[1]).toBeCloseTo(10.9, 12);
    expect(edges[10]).toBe(100);
  });

  it('assigns values to (lo, hi] bins with open outer bins', () => {
    const edges = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(binIndex(edges, -100)).toBe(0);
    expect(binIndex(edges, 1)).toBe(0);
    expect(binIndex(edges, 1.0001)).toBe(1);
    expect(binIndex(edges, 9)).toBe(8);
    expect(binIndex(edges, 9.5)).toBe(9);
    expect(binIndex(edges, 1e9)).toBe(9);
  });
});

describe('psi', () => {
  it('matches a hand-computed value', () => {
    // (0.6-0.5)·ln(0.6/0.5) + (0.4-0.5)·ln(0.4/0.5) = 0.1·0.1823216 + 0.1·0.2231436
    expect(psi([50, 50], [60, 40])).toBeCloseTo(0.1 * Math.log(1.2) + 0.1 * Math.log(1.25), 12);
    expect(psi([50, 50], [60, 40])).toBeCloseTo(0.0405465, 6);
  });

  it('floors empty bins at 0.0001', () => {
    const expected = (0.5 - 1) * Math.log(0.5 / 1) + (0.5 - 0.0001) * Math.log(0.5 / 0.0001);
    expect(psi([10, 0], [5, 5])).toBeCloseTo(expected, 12);
    expect(psi([10, 0], [5, 5])).toBeCloseTo(4.604321, 5);
  });

  it('is NaN without values and rejects mismatched bins', () => {
    expect(psi([0, 0], [1, 1])).toBeNaN();
    expect(() => psi([1], [1, 2])).toThrow(RangeError);
  });

  it('is >= 0, and 0 for identical distributions (property)', () => {
    const counts = fc
      .array(fc.nat({ max: 1000 }), { minLength: 10, maxLength: 10 })
      .filter((c) => c.some((v) => v > 0));
    fc.assert(
      fc.property(counts, counts, fc.integer({ min: 1, max: 7 }), (e, a, k) => {
        expect(psi(e, a)).toBeGreaterThanOrEqual(0);
        expect(psi(e, e)).toBe(0);
        // Same proportions at a different scale are still identical distributions.
        expect(
          psi(
            e,
            e.map((v) => v * k),
          ),
        ).toBeCloseTo(0, 12);
      }),
      FC,
    );
  });
});

describe('two-sample Kolmogorov–Smirnov', () => {
  it('matches scipy.stats.ks_2samp on complete separation', () => {
    // scipy.stats.ks_2samp([1,2,3], [4,5,6]) -> statistic=1.0, pvalue=0.1 (exact: 2 / C(6,3)).
    const r = ksTwoSample([1, 2, 3], [4, 5, 6]);
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBeCloseTo(0.1, 12);
    expect(r.method).toBe('exact');
  });

  it('gives D = 0 and p = 1 for identical samples', () => {
    const r = ksTwoSample([3, 1, 2], [2, 3, 1]);
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it('matches brute-force enumeration of all splits for small samples', () => {
    const cases: [number[], number[]][] = [
      [
        [0.1, 0.5, 0.9, 1.3],
        [0.2, 0.25, 0.3, 0.35, 2.0],
      ],
      [
        [1, 2, 3, 4, 5],
        [1.5, 6, 7, 8],
      ],
      [
        [0.3, 0.6],
        [0.1, 0.2, 0.4, 0.5, 0.7, 0.8, 0.9],
      ],
      [
        [5, 1, 9, 3, 7, 2],
        [4, 8, 6, 10, 11, 12],
      ],
      [
        [0.5, 0.51, 0.52],
        [0.1, 0.9, 0.2, 0.8, 0.3, 0.7],
      ],
    ];
    for (const [a, b] of cases) {
      const r = ksTwoSample(a, b);
      expect(r.method).toBe('exact');
      expect(r.pValue).toBeCloseTo(bruteForceKsPValue(a, b), 12);
    }
  });

  it('computes D with ties by stepping over every copy', () => {
    // F1 jumps to 2/3 at 1, F2 to 1/3 at 1: D = 1/3 there; at 2 both reach 1.
    expect(ksTwoSample([1, 1, 2], [1, 2, 2]).statistic).toBeCloseTo(1 / 3, 12);
  });

  it('switches to the asymptotic distribution above n·m = 10 000', () => {
    const a = Array.from({ length: 101 }, (_, i) => i / 100);
    const b = Array.from({ length: 100 }, (_, i) => i / 100 + 0.1);
    const r = ksTwoSample(a, b);
    expect(r.method).toBe('asymptotic');
    const en = (101 * 100) / 201;
    expect(r.pValue).toBeCloseTo(kolmogorovSurvival(Math.sqrt(en) * r.statistic), 14);
    expect(ksTwoSample(a.slice(0, 100), b).method).toBe('exact');
  });

  it('agrees between exact and asymptotic p-values for moderately large samples', () => {
    // n = m = 100 (exact) vs the asymptotic formula: close for mid-range p.
    const dnm = 0.2 * 100 * 100;
    const exact = ksExactPValue(100, 100, dnm);
    const asym = kolmogorovSurvival(0.2 * Math.sqrt(50));
    expect(Math.abs(exact - asym)).toBeLessThan(0.01);
  });

  it('has the Kolmogorov distribution quantiles from published tables', () => {
    // Critical values of the Kolmogorov distribution (e.g. Smirnov 1948 tables; Wikipedia KS article):
    // K(1.2238) = 0.90, K(1.3581) = 0.95, K(1.6276) = 0.99, K(1.9495) = 0.999.
    expect(kolmogorovCdf(1.2238)).toBeCloseTo(0.9, 4);
    expect(kolmogorovCdf(1.3581)).toBeCloseTo(0.95, 4);
    expect(kolmogorovCdf(1.6276)).toBeCloseTo(0.99, 4);
    expect(kolmogorovCdf(1.9495)).toBeCloseTo(0.999, 4);
    // Both series agree where they switch.
    const f = (-Math.PI * Math.PI) / (8 * 1.18 * 1.18);
    let theta = 0;
    for (let k = 1; k < 50; k++) theta += Math.exp((2 * k - 1) ** 2 * f);
    expect(1 - kolmogorovSurvival(1.18)).toBeCloseTo((Math.sqrt(2 * Math.PI) / 1.18) * theta, 12);
    expect(kolmogorovCdf(0)).toBe(0);
    expect(kolmogorovSurvival(0)).toBe(1);
  });

  it('keeps D and p in [0, 1] (property)', () => {
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
      minLength: 1,
      maxLength: 120,
    });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const r = ksTwoSample(a, b);
        expect(r.statistic).toBeGreaterThanOrEqual(0);
        expect(r.statistic).toBeLessThanOrEqual(1);
        expect(r.pValue).toBeGreaterThanOrEqual(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
        expect(ksTwoSample(a, a).statistic).toBe(0);
      }),
      FC,
    );
  });

  it('rejects empty samples', () => {
    expect(() => ksTwoSample([], [1])).toThrow(RangeError);
  });
});

describe('chi-square', () => {
  it('matches chi-square table critical values', () => {
    // Upper-tail critical values (NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
    expect(chiSquareSurvival(3.841, 1)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(6.635, 1)).toBeCloseTo(0.01, 4);
    expect(chiSquareSurvival(5.991, 2)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(11.345, 3)).toBeCloseTo(0.01, 4);
    expect(chiSquareSurvival(18.307, 10)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(124.342, 100)).toBeCloseTo(0.05, 4);
  });

  it('equals the closed form exp(-x/2) for two degrees of freedom', () => {
    for (const x of [0.1, 1, 4.5, 20, 80]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
  });

  it('computes the ln-gamma function', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(regularizedGammaQ(1, 0)).toBe(1);
  });

  it('computes Pearson statistic and df', () => {
    // Fair die, 60 rolls: O = [5,8,9,8,10,20], E = 10 each -> χ² = (25+4+1+4+0+100)/10 = 13.4, df 5.
    const r = chiSquareGoodnessOfFit([5, 8, 9, 8, 10, 20], [1, 1, 1, 1, 1, 1]);
    expect(r.statistic).toBeCloseTo(13.4, 12);
    expect(r.degreesOfFreedom).toBe(5);
    // Table: χ²(0.025, 5) = 12.833, χ²(0.01, 5) = 15.086.
    expect(r.pValue).toBeGreaterThan(0.01);
    expect(r.pValue).toBeLessThan(0.025);
  });

  it('returns p = 1 with one bin and keeps p in [0, 1] (property)', () => {
    expect(chiSquareGoodnessOfFit([7], [1]).pValue).toBe(1);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 500 }), fc.integer({ min: 1, max: 100 })), {
          minLength: 1,
          maxLength: 12,
        }),
        (bins) => {
          const r = chiSquareGoodnessOfFit(
            bins.map((b) => b[0]),
            bins.map((b) => b[1]),
          );
          expect(r.statistic).toBeGreaterThanOrEqual(0);
          expect(r.pValue).toBeGreaterThanOrEqual(0);
          expect(r.pValue).toBeLessThanOrEqual(1);
        },
      ),
      FC,
    );
  });
});
