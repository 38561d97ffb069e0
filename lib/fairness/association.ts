import { isMissing, toCategory, toNumber, type RawCell } from '../drift/values';

/**
 * Association between a facet and another column, for proxy detection: a feature strongly
 * associated with a sensitive attribute lets a model rebuild that attribute even when it is left
 * out of the training data. Both measures are in [0, 1] (0: no association, 1: the column
 * determines the facet or, for the correlation ratio, the facet determines the column's mean).
 */

/** Which measure an association used: Cramér's V for categorical columns, η for numeric ones. */
export type AssociationMeasure = 'cramersV' | 'correlationRatio';

/** An association value, or `null` with the reason it is undefined. */
export interface Association {
  /** The measure used, chosen by the column's type. */
  readonly measure: AssociationMeasure;
  /** In [0, 1]; `null` when undefined (see `reason`). */
  readonly value: number | null;
  /** Why `value` is null. */
  readonly reason?: string;
  /** Rows where both the facet and the column had a value. */
  readonly n: number;
}

/**
 * Cramér's V of a contingency table: `sqrt(χ² / (n · (min(r, c) − 1)))`, with Pearson's
 * `χ² = Σ (O − E)² / E` and `E = row total · column total / n`, over the rows and columns that have
 * any count. Undefined (`undefined`) when either side has fewer than two values.
 * @param table counts by column value, then by facet value
 * @see https://en.wikipedia.org/wiki/Cram%C3%A9r%27s_V
 */
export function cramersV(table: ReadonlyMap<string, ReadonlyMap<string, number>>): number | undefined {
  const rowTotals = new Map<string, number>();
  const colTotals = new Map<string, number>();
  let n = 0;
  for (const [r, cols] of table) {
    for (const [c, count] of cols) {
      if (count === 0) continue;
      rowTotals.set(r, (rowTotals.get(r) ?? 0) + count);
      colTotals.set(c, (colTotals.get(c) ?? 0) + count);
      n += count;
    }
  }
  const k = Math.min(rowTotals.size, colTotals.size) - 1;
  if (k < 1) return undefined;
  let chi2 = 0;
  for (const [r, rt] of rowTotals) {
    const cols = table.get(r);
    for (const [c, ct] of colTotals) {
      const expected = (rt * ct) / n;
      const o = cols?.get(c) ?? 0;
      chi2 += ((o - expected) * (o - expected)) / expected;
    }
  }
  return Math.min(1, Math.sqrt(chi2 / (n * k)));
}

/** Count, mean and sum of squared deviations of one facet value's numbers (Welford). */
export interface Moments {
  /** Values. */
  n: number;
  /** Their mean. */
  mean: number;
  /** Σ (x − mean)². */
  m2: number;
}

/**
 * The correlation ratio η of a numeric column across facet values:
 * `η² = Σ_k n_k (mean_k − mean)² / Σ_i (x_i − mean)²`. Undefined when fewer than two facet values
 * have numbers or the column is constant.
 * @see https://en.wikipedia.org/wiki/Correlation_ratio
 */
export function correlationRatio(groups: Iterable<Moments>): number | undefined {
  const gs = [...groups].filter((g) => g.n > 0);
  if (gs.length < 2) return undefined;
  const n = gs.reduce((s, g) => s + g.n, 0);
  const mean = gs.reduce((s, g) => s + g.n * g.mean, 0) / n;
  let between = 0;
  let within = 0;
  for (const g of gs) {
    between += g.n * (g.mean - mean) * (g.mean - mean);
    within += g.m2;
  }
  const totalSs = between + within;
  if (totalSs === 0) return undefined;
  return Math.min(1, Math.sqrt(between / totalSs));
}

/**
 * Streams the rows of one (facet, column) pair and reports the association at the end. Memory is
 * bounded: numeric moments per facet value, and a contingency table of at most `maxCategories`
 * column values (past that the column is an identifier or free text, and V is not computed).
 */
export class AssociationAccumulator {
  private readonly moments = new Map<string, Moments>();
  private table: Map<string, Map<string, number>> | undefined = new Map();
  private numeric: boolean;
  private n = 0;

  /**
   * @param maxCategories distinct column values kept for Cramér's V
   * @param categorical treat the column as categorical even when every value is a number (codes)
   */
  constructor(
    private readonly maxCategories: number,
    categorical = false,
  ) {
    this.numeric = !categorical;
  }

  /** Adds one row: the row's facet value (`d`/`a` or the category) and the column's cell. */
  add(facetValue: string, cell: RawCell): void {
    if (isMissing(cell)) return;
    this.n++;
    if (this.numeric) {
      const x = toNumber(cell);
      if (Number.isNaN(x)) {
        this.numeric = false;
        this.moments.clear();
      } else {
        let m = this.moments.get(facetValue);
        if (!m) {
          m = { n: 0, mean: 0, m2: 0 };
          this.moments.set(facetValue, m);
        }
        m.n++;
        const delta = x - m.mean;
        m.mean += delta / m.n;
        m.m2 += delta * (x - m.mean);
      }
    }
    if (this.table) {
      const key = toCategory(cell);
      let row = this.table.get(key);
      if (!row) {
        if (this.table.size >= this.maxCategories) {
          this.table = undefined;
          return;
        }
        row = new Map();
        this.table.set(key, row);
      }
      row.set(facetValue, (row.get(facetValue) ?? 0) + 1);
    }
  }

  /** The association: η when every value was numeric, else Cramér's V. */
  result(): Association {
    if (this.n === 0) return { measure: 'cramersV', value: null, reason: 'no row has both values', n: 0 };
    if (this.numeric) {
      const eta = correlationRatio(this.moments.values());
      return eta === undefined
        ? {
            measure: 'correlationRatio',
            value: null,
            reason: 'constant column or a single facet value',
            n: this.n,
          }
        : { measure: 'correlationRatio', value: eta, n: this.n };
    }
    if (!this.table)
      return {
        measure: 'cramersV',
        value: null,
        reason: `more than ${this.maxCategories} distinct values (an identifier or free text?)`,
        n: this.n,
      };
    const v = cramersV(this.table);
    return v === undefined
      ? { measure: 'cramersV', value: null, reason: 'constant column or a single facet value', n: this.n }
      : { measure: 'cramersV', value: v, n: this.n };
  }
}
