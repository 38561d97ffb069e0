/**
 * Pure drift statistics: quantile bins, PSI, two-sample Kolmogorov–Smirnov and Pearson chi-square.
 *
 * No I/O and no AWS dependencies, so the CLI and the drift Lambda compute identical numbers.
 */

/** Number of quantile (decile) bins a numeric baseline uses. */
export const BIN_COUNT = 10;

/** Proportions below this are raised to it before PSI (and for unseen categories), avoiding ln(0) and division by zero. */
export const PROPORTION_FLOOR = 0.0001;

/** n·m at or below which the KS p-value uses the exact distribution. */
export const KS_EXACT_MAX_PRODUCT = 10_000;

/**
 * The q-quantile of ascending-sorted values, by linear interpolation between closest ranks
 * (Hyndman & Fan type 7, the default of NumPy, R and Excel's PERCENTILE.INC):
 * `h = (n − 1)·q`, `Q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.
 * @param sorted ascending values, at least one
 * @param q in [0, 1]
 * @see https://en.wikipedia.org/wiki/Quantile#Estimating_quantiles_from_a_sample
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Decile bin edges of ascending-sorted values: `[min, q0.1, …, q0.9, max]` (11 numbers).
 *
 * Bin i (0-based) holds values in `(edge[i], edge[i+1]]`, except that bin 0 is open below and bin 9
 * open above, so observed values outside the training range still land in the outer bins. Tied
 * training values can make edges repeat; the bins between equal edges stay empty on both sides and
 * contribute nothing to PSI.
 */
export function decileEdges(sorted: ArrayLike<number>): number[] {
  const edges: number[] = [];
  for (let k = 0; k <= BIN_COUNT; k++) edges.push(quantileSorted(sorted, k / BIN_COUNT));
  return edges;
}

/**
 * The bin index (0..edges.length−2) of a value under {@link decileEdges}' convention: the first bin
 * whose upper edge is ≥ the value, with the outer bins open-ended. Binary search over the inner edges.
 */
export function binIndex(edges: readonly number[], value: number): number {
  // Inner upper edges are edges[1..bins-1]; the last bin has no upper bound.
  let lo = 1;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/**
 * Population Stability Index between an expected (baseline) and an actual distribution over the
 * same bins: `PSI = Σ (a_i − e_i) · ln(a_i / e_i)`, where `e_i`, `a_i` are the bin proportions
 * (count / total) and any proportion below {@link PROPORTION_FLOOR} is set to it. Always ≥ 0, and 0
 * when the proportions are identical. Common reading: < 0.1 stable, 0.1–0.2 moderate shift,
 * ≥ 0.2 significant shift.
 * @param expectedCounts baseline counts per bin
 * @param actualCounts observed counts per bin (same length)
 * @returns PSI, or NaN when either side has no values
 * @see https://www.listendata.com/2015/05/population-stability-index.html
 */
export function psi(expectedCounts: readonly number[], actualCounts: readonly number[]): number {
  if (expectedCounts.length !== actualCounts.length) throw new RangeError('psi: bin counts differ in length');
  const eTotal = sum(expectedCounts);
  const aTotal = sum(actualCounts);
  if (eTotal <= 0 || aTotal <= 0) return NaN;
  let total = 0;
  for (let i = 0; i < expectedCounts.length; i++) {
    const e = Math.max(expectedCounts[i] / eTotal, PROPORTION_FLOOR);
    const a = Math.max(actualCounts[i] / aTotal, PROPORTION_FLOOR);
    total += (a - e) * Math.log(a / e);
  }
  // Each term is ≥ 0 mathematically; clamp rounding noise so callers can rely on PSI ≥ 0.
  return Math.max(0, total);
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Result of {@link ksTwoSample}. */
export interface KsResult {
  /** The KS statistic D = sup_x |F₁(x) − F₂(x)|, in [0, 1]. */
  readonly statistic: number;
  /** Two-sided p-value P(D ≥ observed) under the null hypothesis of one common distribution. */
  readonly pValue: number;
  /** `exact` when n·m ≤ {@link KS_EXACT_MAX_PRODUCT}, otherwise `asymptotic`. */
  readonly method: 'exact' | 'asymptotic';
  /** Sample sizes. */
  readonly n: number;
  readonly m: number;
}

/**
 * Two-sample, two-sided Kolmogorov–Smirnov test.
 *
 * D is computed exactly over the merged samples (ties handled by stepping over every copy of a value
 * before comparing). The p-value is:
 * - **exact** when `n·m ≤ 10 000`: `1 − (lattice paths from (0,0) to (n,m) that stay strictly inside
 *   |i/n − j/m| < D) / C(n+m, n)` (Hodges 1958), computed in integers `|i·m − j·n| < D·n·m` so the
 *   boundary is never blurred by rounding. Exact for continuous data; with ties it is conservative.
 * - **asymptotic** otherwise: the Kolmogorov distribution's survival function at `λ = D·√(n·m/(n+m))`,
 *   `Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}` (as scipy's `ks_2samp(method='asymp')`).
 *
 * @param a first sample (need not be sorted; not modified)
 * @param b second sample
 * @throws RangeError when either sample is empty
 * @see https://en.wikipedia.org/wiki/Kolmogorov%E2%80%93Smirnov_test#Two-sample_Kolmogorov%E2%80%93Smirnov_test
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.ks_2samp.html
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw new RangeError('ks: both samples need at least one value');
  const x = Float64Array.from(a as ArrayLike<number>).sort();
  const y = Float64Array.from(b as ArrayLike<number>).sort();
  const dnm = ksIntegerStatistic(x, y);
  const statistic = dnm / (n * m);
  if (n * m <= KS_EXACT_MAX_PRODUCT) {
    return { statistic, pValue: ksExactPValue(n, m, dnm), method: 'exact', n, m };
  }
  const en = (n * m) / (n + m);
  return { statistic, pValue: kolmogorovSurvival(Math.sqrt(en) * statistic), method: 'asymptotic', n, m };
}

/** max |i·m − j·n| over the merged sorted samples, i.e. D·n·m as an integer. */
function ksIntegerStatistic(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let best = 0;
  while (i < n || j < m) {
    const v = j >= m || (i < n && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    const diff = Math.abs(i * m - j * n);
    if (diff > best) best = diff;
  }
  return best;
}

/**
 * Exact two-sided p-value P(D·n·m ≥ dnm) for sample sizes n, m, by counting monotone lattice paths
 * that stay strictly inside the band |i·m − j·n| < dnm. Path counts are kept as probabilities
 * (each step multiplies by the chance of drawing from that sample) so C(n+m, n) never overflows.
 */
export function ksExactPValue(n: number, m: number, dnm: number): number {
  if (dnm <= 0) return 1;
  // u[j] = probability that a uniformly random interleaving reaches (i, j) while staying inside.
  // Going from (i, j) a random path steps right with probability (n−i)/(n+m−i−j).
  const u = new Float64Array(m + 1);
  u[0] = 1;
  for (let j = 1; j <= m; j++) {
    u[j] = Math.abs(0 * m - j * n) < dnm ? u[j - 1] * ((m - j + 1) / (n + m - (j - 1))) : 0;
  }
  for (let i = 1; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const inside = Math.abs(i * m - j * n) < dnm;
      if (!inside) {
        u[j] = 0;
        continue;
      }
      // From (i−1, j) by an x-step, from (i, j−1) by a y-step.
      const fromLeft = u[j] * ((n - i + 1) / (n + m - (i - 1) - j));
      const fromBelow = j > 0 ? u[j - 1] * ((m - j + 1) / (n + m - i - (j - 1))) : 0;
      u[j] = fromLeft + fromBelow;
    }
  }
  return clamp01(1 - u[m]);
}

/**
 * Kolmogorov distribution CDF `K(λ) = 1 − 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}`, with the
 * Jacobi-theta form `K(λ) = (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)}` for small λ where the
 * alternating series converges slowly. Known quantiles: K(1.2238) ≈ 0.90, K(1.3581) ≈ 0.95,
 * K(1.6276) ≈ 0.99.
 * @see https://en.wikipedia.org/wiki/Kolmogorov%E2%80%93Smirnov_test#Kolmogorov_distribution
 */
export function kolmogorovCdf(lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 1.18) {
    const f = (-Math.PI * Math.PI) / (8 * lambda * lambda);
    let s = 0;
    for (let k = 1; k < 100; k++) {
      const term = Math.exp((2 * k - 1) * (2 * k - 1) * f);
      s += term;
      if (term < 1e-17 * s) break;
    }
    return clamp01((Math.sqrt(2 * Math.PI) / lambda) * s);
  }
  return clamp01(1 - kolmogorovSurvival(lambda));
}

/** Kolmogorov survival function Q(λ) = 1 − K(λ), accurate in the far tail (no cancellation). */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) return clamp01(1 - kolmogorovCdf(lambda));
  let s = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    s += k % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return clamp01(2 * s);
}

/** Result of {@link chiSquareGoodnessOfFit}. */
export interface ChiSquareResult {
  /** Pearson's statistic Σ (O_k − E_k)² / E_k. */
  readonly statistic: number;
  /** Degrees of freedom: number of bins − 1. */
  readonly degreesOfFreedom: number;
  /** P(χ²_df ≥ statistic); 1 when df = 0. */
  readonly pValue: number;
}

/**
 * Pearson chi-square goodness-of-fit of observed counts against expected proportions:
 * `E_k = N · p_k`, `χ² = Σ (O_k − E_k)² / E_k`, df = bins − 1, p = Q(df/2, χ²/2) (regularized upper
 * incomplete gamma). Proportions must be > 0 and are normalised to sum to 1. With no observations
 * the statistic is 0 and p = 1.
 * @see https://en.wikipedia.org/wiki/Pearson%27s_chi-squared_test
 */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  expectedProportions: readonly number[],
): ChiSquareResult {
  if (observed.length !== expectedProportions.length) throw new RangeError('chi-square: lengths differ');
  const total = sum(observed);
  const pTotal = sum(expectedProportions);
  const degreesOfFreedom = Math.max(0, observed.length - 1);
  // No observations: nothing deviates from anything.
  if (total === 0) return { statistic: 0, degreesOfFreedom, pValue: 1 };
  let statistic = 0;
  for (let k = 0; k < observed.length; k++) {
    const e = (total * expectedProportions[k]) / pTotal;
    if (!(e > 0)) throw new RangeError('chi-square: expected proportions must be positive');
    const d = observed[k] - e;
    statistic += (d * d) / e;
  }
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/**
 * Chi-square survival function P(χ²_df ≥ x) = Q(df/2, x/2). Table checks: (3.841, 1) → 0.05,
 * (5.991, 2) → 0.05, (11.345, 3) → 0.01.
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (df <= 0) return 1;
  if (!(x > 0)) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

/**
 * Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a): the series for P when x < a + 1,
 * the modified-Lentz continued fraction for Q otherwise (Numerical Recipes §6.2).
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) return clamp01(1 - gammaSeriesP(a, x));
  return clamp01(gammaContinuedFractionQ(a, x));
}

/** ln Γ(x) for x > 0, Lanczos approximation (g = 7, n = 9), ~15 significant digits. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let s = c[0];
  for (let i = 1; i < 9; i++) s += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

function gammaSeriesP(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let s = del;
  for (let n = 0; n < 10_000; n++) {
    ap += 1;
    del *= x / ap;
    s += del;
    if (Math.abs(del) < Math.abs(s) * 1e-16) break;
  }
  return s * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFractionQ(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

function clamp01(v: number): number {
  if (Number.isNaN(v)) return v;
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Running count, mean and variance (Welford's algorithm), numerically stable in one pass.
 * @see https://en.wikipedia.org/wiki/Algorithms_for_calculating_variance#Welford's_online_algorithm
 */
export class RunningMoments {
  count = 0;
  mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;

  /** Adds one value. */
  add(x: number): void {
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Sample standard deviation (n − 1 denominator); 0 for fewer than two values. */
  get std(): number {
    return this.count > 1 ? Math.sqrt(this.m2 / (this.count - 1)) : 0;
  }
}
