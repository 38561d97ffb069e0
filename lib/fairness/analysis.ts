import { isMissing, toCategory, type RawCell } from '../drift/values';
import { AssociationAccumulator } from './association';
import { BiasInputError } from './errors';
import {
  BIAS_REPORT_KIND,
  BIAS_REPORT_VERSION,
  ROW_REJECT_REASONS,
  type BiasReport,
  type CrossedThreshold,
  type FacetComparison,
  type FacetSideCounts,
  type ProxyFinding,
  type ReportedMetric,
  type RowRejectReason,
} from './report';
import {
  METRICS,
  metricInfo,
  postTrainingMetrics,
  preTrainingMetrics,
  type BiasMetric,
  type ConfusionCounts,
  type GroupConfusionCounts,
  type GroupLabelCounts,
  type MetricValue,
} from './metrics';
import {
  describeCondition,
  evaluateCondition,
  parseFacetSpec,
  parseOutcomeSpec,
  type FacetSpec,
  type OutcomeSpec,
} from './spec';

/** Association above which a column is flagged as a proxy of a facet, unless told otherwise. */
export const DEFAULT_PROXY_THRESHOLD = 0.3;

/** Distinct values a facet given without a value (`--facet gender`) may have. */
export const DEFAULT_MAX_FACET_VALUES = 100;

/** Distinct values the group attribute may have. */
export const DEFAULT_MAX_GROUPS = 1000;

/** Distinct values of a categorical column kept for Cramér's V. */
export const DEFAULT_MAX_PROXY_CATEGORIES = 1000;

/** What to analyze. Specs may be given parsed or as CLI strings (`churned:>=0.5`). */
export interface BiasOptions {
  /** The observed label and its positive outcome; a bare column means the positive value is `1`. */
  readonly label: OutcomeSpec | string;
  /** Facets: `gender=female` (facet d = female), `age:>=40`, or `gender` for each value in turn. */
  readonly facets: readonly (FacetSpec | string)[];
  /**
   * The predicted label column; enables the post-training metrics. A bare column uses the label's
   * positive condition (a score column with `--label y:>=0.5` is thresholded the same way).
   * @default - pre-training metrics only
   */
  readonly predictions?: OutcomeSpec | string;
  /**
   * The group attribute that CDD and CDDPL condition on (e.g. a region or department).
   * @default - CDD and CDDPL are null with a reason
   */
  readonly group?: string;
  /**
   * Thresholds by metric: signed metrics cross when |value| > x, DI when it is outside [x, 1/x].
   * @default - no threshold
   */
  readonly failOn?: Readonly<Partial<Record<BiasMetric, number>>>;
  /**
   * Association (Cramér's V or η) above which a column is flagged as a proxy of a facet.
   * @default 0.3
   */
  readonly proxyThreshold?: number;
  /**
   * Columns that proxy detection treats as categorical (Cramér's V) even when their values are
   * numbers: codes such as zip codes or category ids.
   * @default - a column whose every value is a number is numeric (correlation ratio)
   */
  readonly categorical?: readonly string[];
  /** @default 100 */
  readonly maxFacetValues?: number;
  /** @default 1000 */
  readonly maxGroups?: number;
  /** @default 1000 */
  readonly maxProxyCategories?: number;
}

// Cells of a (facet value, group) counter: observed label (0/1) × prediction (0/1/none).
const CELLS = 6;
const MISSING_GROUP = '\u0000missing';

interface FacetState {
  readonly spec: FacetSpec;
  readonly name: string;
  /** facet value (`d`/`a`, or the category) → group → counts. */
  readonly cells: Map<string, Map<string, number[]>>;
  excluded: number;
  readonly proxies: Map<string, AssociationAccumulator>;
}

function sideCounts(cells: readonly number[], withPredictions: boolean): FacetSideCounts {
  const rows = cells.reduce((s, c) => s + c, 0);
  const labelPositive = cells[3] + cells[4] + cells[5];
  return withPredictions
    ? { rows, labelPositive, predictedPositive: cells[1] + cells[4] }
    : { rows, labelPositive };
}

const confusion = (c: readonly number[]): ConfusionCounts => ({ tn: c[0], fp: c[1], fn: c[3], tp: c[4] });
const labels = (c: readonly number[]): { positive: number; negative: number } => ({
  positive: c[3] + c[4] + c[5],
  negative: c[0] + c[1] + c[2],
});
const add = (into: number[], c: readonly number[]): void => {
  for (let i = 0; i < CELLS; i++) into[i] += c[i];
};

function validateThresholds(options: BiasOptions): void {
  for (const [metric, x] of Object.entries(options.failOn ?? {})) {
    const known = METRICS.find((m) => m.metric === metric);
    if (!known)
      throw new BiasInputError(
        'badSpec',
        `failOn: unknown metric ${JSON.stringify(metric)} (expected one of ${METRICS.map((m) => m.metric).join(', ')})`,
      );
    const ok =
      typeof x === 'number' &&
      Number.isFinite(x) &&
      x >= 0 &&
      (known.threshold !== 'ratio' || (x > 0 && x <= 1));
    if (!ok)
      throw new BiasInputError(
        'badSpec',
        `failOn.${metric}: bad threshold (got ${String(x)}; expected ${known.threshold === 'ratio' ? 'a number in (0, 1]' : 'a number >= 0'})`,
      );
  }
  const p = options.proxyThreshold;
  if (p !== undefined && !(Number.isFinite(p) && p >= 0 && p <= 1))
    throw new BiasInputError(
      'badSpec',
      `proxyThreshold: bad threshold (got ${String(p)}; expected a number in [0, 1])`,
    );
}

/** Whether a value crosses a threshold of its metric (see {@link BiasOptions.failOn}). */
export function crossesThreshold(metric: BiasMetric, value: number | null, threshold: number): boolean {
  if (value === null) return false;
  return metricInfo(metric).threshold === 'ratio'
    ? value < threshold || value > 1 / threshold
    : Math.abs(value) > threshold;
}

/**
 * Streams rows and accumulates the counts every metric needs: per facet value and group, the
 * observed × predicted label counts, and per facet and other column, the association statistics.
 * Memory grows with the number of distinct facet values, groups and categories (each capped), not
 * with the number of rows. Feed records with {@link addRecord}, then call {@link report}.
 */
export class BiasAccumulator {
  private readonly label: OutcomeSpec;
  private readonly predictions?: OutcomeSpec;
  private readonly facets: FacetState[];
  private readonly ownColumns: Set<string>;
  private readonly seen = new Set<string>();
  private rows = 0;
  private used = 0;
  private withoutGroup = 0;
  private readonly groups = new Set<string>();
  private readonly rejected: Record<RowRejectReason, number> = {
    missingLabel: 0,
    invalidLabel: 0,
    missingPrediction: 0,
    invalidPrediction: 0,
  };

  /** @throws BiasInputError `badSpec` for a malformed spec or threshold */
  constructor(private readonly options: BiasOptions) {
    this.label =
      typeof options.label === 'string' ? parseOutcomeSpec(options.label, '--label') : options.label;
    if (options.predictions !== undefined) {
      const p =
        typeof options.predictions === 'string'
          ? parseOutcomeSpec(options.predictions, '--predictions')
          : options.predictions;
      // A bare prediction column takes the label's positive condition.
      const bare = typeof options.predictions === 'string' && !/[=:]/.test(options.predictions);
      this.predictions = bare ? { column: p.column, positive: this.label.positive } : p;
    }
    if (options.facets.length === 0)
      throw new BiasInputError('badSpec', '--facet: at least one facet is required');
    this.facets = options.facets.map((f) => {
      const spec = typeof f === 'string' ? parseFacetSpec(f) : f;
      return {
        spec,
        name: describeCondition(spec.column, spec.sensitive),
        cells: new Map(),
        excluded: 0,
        proxies: new Map(),
      };
    });
    const names = new Set<string>();
    for (const f of this.facets) {
      if (names.has(f.name)) throw new BiasInputError('badSpec', `--facet: ${f.name} is given twice`);
      names.add(f.name);
      if (f.spec.column === this.label.column || f.spec.column === this.predictions?.column)
        throw new BiasInputError('badSpec', `--facet: ${f.name} is the label or predictions column`);
    }
    validateThresholds(options);
    this.ownColumns = new Set([this.label.column, ...(this.predictions ? [this.predictions.column] : [])]);
  }

  /** The columns the options name, for a check against a CSV header. */
  requiredColumns(): string[] {
    const cols = [this.label.column];
    if (this.predictions) cols.push(this.predictions.column);
    if (this.options.group !== undefined) cols.push(this.options.group);
    for (const f of this.facets) if (!cols.includes(f.spec.column)) cols.push(f.spec.column);
    return cols;
  }

  /**
   * Fails when a column the options name is not among `columns` (a CSV header; JSON lines are
   * checked at {@link report}, as their keys may vary by line).
   * @throws BiasInputError `missingColumn`
   */
  checkColumns(columns: readonly string[]): void {
    const have = new Set(columns);
    const missing = this.requiredColumns().filter((c) => !have.has(c));
    if (missing.length > 0)
      throw new BiasInputError(
        'missingColumn',
        `no column ${missing.map((m) => JSON.stringify(m)).join(', ')} in the data (got ${columns.map((c) => JSON.stringify(c)).join(', ')})`,
      );
  }

  /** Adds one row, keyed by column name. */
  addRecord(record: Readonly<Record<string, RawCell>>): void {
    this.rows++;
    for (const k in record) this.seen.add(k);
    const y = evaluateCondition(this.label.positive, record[this.label.column]);
    if (y === 'missing') return void this.rejected.missingLabel++;
    if (y === 'invalid') return void this.rejected.invalidLabel++;
    let pred = 2;
    if (this.predictions) {
      const p = evaluateCondition(this.predictions.positive, record[this.predictions.column]);
      if (p === 'missing') return void this.rejected.missingPrediction++;
      if (p === 'invalid') return void this.rejected.invalidPrediction++;
      pred = p ? 1 : 0;
    }
    this.used++;
    const cell = (y ? 3 : 0) + pred;
    let group = '';
    if (this.options.group !== undefined) {
      const g = record[this.options.group];
      if (isMissing(g)) {
        group = MISSING_GROUP;
        this.withoutGroup++;
      } else {
        group = toCategory(g);
        if (!this.groups.has(group)) {
          if (this.groups.size >= (this.options.maxGroups ?? DEFAULT_MAX_GROUPS))
            throw new BiasInputError(
              'tooManyValues',
              `--group ${this.options.group}: more than ${this.options.maxGroups ?? DEFAULT_MAX_GROUPS} distinct values`,
            );
          this.groups.add(group);
        }
      }
    }
    for (const f of this.facets) {
      const raw = record[f.spec.column];
      let key: string;
      if (f.spec.sensitive) {
        const inD = evaluateCondition(f.spec.sensitive, raw);
        if (inD === 'missing' || inD === 'invalid') {
          f.excluded++;
          continue;
        }
        key = inD ? 'd' : 'a';
      } else {
        if (isMissing(raw)) {
          f.excluded++;
          continue;
        }
        key = toCategory(raw);
      }
      let byGroup = f.cells.get(key);
      if (!byGroup) {
        const max = this.options.maxFacetValues ?? DEFAULT_MAX_FACET_VALUES;
        if (f.cells.size >= max)
          throw new BiasInputError(
            'tooManyValues',
            `--facet ${f.name}: more than ${max} distinct values (give one value, ${f.name}=<value>, or a threshold, ${f.name}:>=<number>)`,
          );
        byGroup = new Map();
        f.cells.set(key, byGroup);
      }
      let counts = byGroup.get(group);
      if (!counts) {
        counts = new Array<number>(CELLS).fill(0);
        byGroup.set(group, counts);
      }
      counts[cell]++;
      for (const column in record) {
        if (column === f.spec.column || this.ownColumns.has(column)) continue;
        let acc = f.proxies.get(column);
        if (!acc) {
          acc = new AssociationAccumulator(
            this.options.maxProxyCategories ?? DEFAULT_MAX_PROXY_CATEGORIES,
            this.options.categorical?.includes(column) ?? false,
          );
          f.proxies.set(column, acc);
        }
        acc.add(key, record[column]);
      }
    }
  }

  /** Rows added so far. */
  get rowCount(): number {
    return this.rows;
  }

  /**
   * The report of the rows added.
   * @param generatedAt a timestamp to record in the report
   * @throws BiasInputError `emptyData` without rows, `missingColumn` when JSON lines never had a
   *   named column, `noUsableRows` when no row had a usable label (and prediction)
   */
  report(generatedAt?: string): BiasReport {
    if (this.rows === 0) throw new BiasInputError('emptyData', 'the data has no rows');
    const missing = this.requiredColumns().filter((c) => !this.seen.has(c));
    if (missing.length > 0)
      throw new BiasInputError(
        'missingColumn',
        `no record has column ${missing.map((m) => JSON.stringify(m)).join(', ')}`,
      );
    if (this.used === 0) {
      const why = ROW_REJECT_REASONS.filter((r) => this.rejected[r] > 0)
        .map((r) => `${r} ${this.rejected[r]}`)
        .join(', ');
      throw new BiasInputError(
        'noUsableRows',
        `none of the ${this.rows} rows has a usable label${this.predictions ? ' and prediction' : ''} (${why})`,
      );
    }
    const failOn = this.options.failOn ?? {};
    const proxyThreshold = this.options.proxyThreshold ?? DEFAULT_PROXY_THRESHOLD;
    const withPredictions = this.predictions !== undefined;
    const crossed: CrossedThreshold[] = [];
    const comparisons: FacetComparison[] = [];
    const report = (facet: string, values: MetricValue[]): ReportedMetric[] =>
      values.map((v) => {
        const threshold = failOn[v.metric];
        if (threshold === undefined) return { ...v, crossed: false };
        const isCrossed = crossesThreshold(v.metric, v.value, threshold);
        if (isCrossed && v.value !== null)
          crossed.push({ facet, metric: v.metric, value: v.value, threshold });
        return { ...v, threshold, crossed: isCrossed };
      });
    for (const f of this.facets) {
      const sensitiveKeys = f.spec.sensitive
        ? ['d']
        : [...f.cells.entries()]
            .map(([k, byGroup]) => ({
              k,
              n: [...byGroup.values()].reduce((s, c) => s + c.reduce((x, y) => x + y, 0), 0),
            }))
            .sort((x, y) => y.n - x.n || (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
            .map((e) => e.k);
      for (const dKey of sensitiveKeys) {
        const name = f.spec.sensitive ? f.name : `${f.spec.column}=${dKey}`;
        const totalA = new Array<number>(CELLS).fill(0);
        const totalD = new Array<number>(CELLS).fill(0);
        const perGroup = new Map<string, { a: number[]; d: number[] }>();
        for (const [key, byGroup] of f.cells) {
          const side = key === dKey ? 'd' : 'a';
          for (const [g, c] of byGroup) {
            add(side === 'd' ? totalD : totalA, c);
            if (g === MISSING_GROUP) continue;
            let pg = perGroup.get(g);
            if (!pg) {
              pg = { a: new Array<number>(CELLS).fill(0), d: new Array<number>(CELLS).fill(0) };
              perGroup.set(g, pg);
            }
            add(pg[side], c);
          }
        }
        const hasGroup = this.options.group !== undefined;
        const groupNames = [...perGroup.keys()].sort();
        const labelGroups: GroupLabelCounts[] | undefined = hasGroup
          ? groupNames.map((g) => ({
              group: g,
              a: labels(perGroup.get(g)!.a),
              d: labels(perGroup.get(g)!.d),
            }))
          : undefined;
        const confusionGroups: GroupConfusionCounts[] | undefined = hasGroup
          ? groupNames.map((g) => ({
              group: g,
              a: confusion(perGroup.get(g)!.a),
              d: confusion(perGroup.get(g)!.d),
            }))
          : undefined;
        comparisons.push({
          facet: name,
          column: f.spec.column,
          a: sideCounts(totalA, withPredictions),
          d: sideCounts(totalD, withPredictions),
          preTraining: report(name, preTrainingMetrics(labels(totalA), labels(totalD), labelGroups)),
          postTraining: withPredictions
            ? report(name, postTrainingMetrics(confusion(totalA), confusion(totalD), confusionGroups))
            : [],
        });
      }
    }
    const proxies: ProxyFinding[] = [];
    for (const f of this.facets) {
      for (const [column, acc] of f.proxies) {
        const r = acc.result();
        proxies.push({
          facet: f.name,
          column,
          measure: r.measure,
          value: r.value,
          ...(r.reason !== undefined ? { reason: r.reason } : {}),
          n: r.n,
          flagged: r.value !== null && r.value > proxyThreshold,
        });
      }
    }
    proxies.sort(
      (x, y) =>
        (y.value ?? -1) - (x.value ?? -1) ||
        (x.facet < y.facet ? -1 : x.facet > y.facet ? 1 : 0) ||
        (x.column < y.column ? -1 : x.column > y.column ? 1 : 0),
    );
    const flaggedProxies = proxies.filter((p) => p.flagged).length;
    const facetExcluded: Record<string, number> = {};
    for (const f of this.facets) facetExcluded[f.name] = f.excluded;
    return {
      kind: BIAS_REPORT_KIND,
      version: BIAS_REPORT_VERSION,
      ...(generatedAt !== undefined ? { generatedAt } : {}),
      label: describeCondition(this.label.column, this.label.positive),
      ...(this.predictions
        ? { predictions: describeCondition(this.predictions.column, this.predictions.positive) }
        : {}),
      ...(this.options.group !== undefined ? { group: this.options.group } : {}),
      input: {
        rows: this.rows,
        used: this.used,
        rejected: { ...this.rejected },
        facetExcluded,
        withoutGroup: this.withoutGroup,
      },
      facets: comparisons,
      proxies,
      thresholds: { failOn: { ...failOn }, proxy: proxyThreshold },
      summary: { crossed, flaggedProxies, anyCrossed: crossed.length > 0 || flaggedProxies > 0 },
    };
  }
}
