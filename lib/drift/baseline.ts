import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CsvStreamParser, CsvSyntaxError } from './csv';
import { DriftInputError } from './errors';
import { toLines, type TextSource } from './lines';
import { DEFAULT_SEED, Reservoir } from './random';
import { BIN_COUNT, RunningMoments, binIndex, decileEdges } from './stats';
import { isMissing, toCategory, toNumber, type RawCell } from './values';

/** Version of the baseline document format written by {@link buildBaseline}. */
export const BASELINE_SCHEMA_VERSION = 1;

/** Document kind marker, so a random JSON file is not mistaken for a baseline. */
export const BASELINE_KIND = 'compliant-mlops/drift-baseline';

/** Reservoir capacity for the per-feature KS reference sample. */
export const DEFAULT_SAMPLE_SIZE = 10_000;

/**
 * While a column still looks numeric we also count its distinct strings, in case a later value turns
 * it categorical; past this many distinct values we stop (a column with that many distinct numbers is
 * not a sensible category).
 */
const MAX_PENDING_CATEGORIES = 10_000;

/** How a feature is compared: binned numeric statistics or category frequencies. */
export type FeatureType = 'numeric' | 'categorical';

/** Baseline of one numeric feature. */
export interface NumericFeatureBaseline {
  readonly name: string;
  readonly type: 'numeric';
  /** Non-missing training values. */
  readonly count: number;
  /** Missing training values (see `isMissing`). */
  readonly missing: number;
  /** missing / training rows. */
  readonly missingRate: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 denominator). */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** `[min, q0.1, …, q0.9, max]` (type 7 quantiles); the outer bins are open-ended. */
  readonly binEdges: readonly number[];
  /** Training values per bin (10 numbers), assigned with `binIndex`. */
  readonly binCounts: readonly number[];
  /** Uniform reservoir sample (Algorithm R, seeded) of up to `sampleCapacity` values, in reservoir order. */
  readonly sample: readonly number[];
}

/** One category's training count. */
export interface CategoryCount {
  readonly value: string;
  readonly count: number;
}

/** Baseline of one categorical feature. */
export interface CategoricalFeatureBaseline {
  readonly name: string;
  readonly type: 'categorical';
  readonly count: number;
  readonly missing: number;
  readonly missingRate: number;
  /** Training frequency (count) of every category, most frequent first, ties by value. */
  readonly categories: readonly CategoryCount[];
}

/** Baseline of one feature. */
export type FeatureBaseline = NumericFeatureBaseline | CategoricalFeatureBaseline;

/** A drift baseline document: what `compliant-mlops baseline` writes and the drift analysis reads. */
export interface DriftBaseline {
  readonly kind: typeof BASELINE_KIND;
  readonly schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  /** `sha256:` + hex digest of the ordered feature names and types (see {@link schemaHashOf}). */
  readonly schemaHash: string;
  /** The excluded label column, when one was given. */
  readonly target?: string;
  /** Training rows read. */
  readonly rowCount: number;
  /** Reservoir seed, recorded so the baseline can be rebuilt identically. */
  readonly seed: number;
  /** Reservoir capacity used. */
  readonly sampleCapacity: number;
  /** Features in column order (the order CSV capture rows follow). */
  readonly features: readonly FeatureBaseline[];
}

/** Options for {@link BaselineBuilder} and the `buildBaseline*` helpers. */
export interface BaselineOptions {
  /**
   * Label column to leave out of the features.
   * @default - every column is a feature
   */
  readonly target?: string;
  /**
   * Columns to treat as categorical even when every value is a number (codes, zip codes).
   * @default - typed from the data
   */
  readonly categorical?: readonly string[];
  /**
   * Seed of the reservoir sampler.
   * @default DEFAULT_SEED
   */
  readonly seed?: number;
  /**
   * Reservoir capacity per numeric feature.
   * @default 10000
   */
  readonly sampleSize?: number;
}

/**
 * The schema hash of an ordered feature list: `sha256:` + hex SHA-256 of
 * `JSON.stringify([[name, type], …])`. Two baselines agree on it exactly when CSV captures would map
 * to the same features.
 */
export function schemaHashOf(
  features: readonly { readonly name: string; readonly type: FeatureType }[],
): string {
  const canonical = JSON.stringify(features.map((f) => [f.name, f.type]));
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

class ColumnState {
  nonMissing = 0;
  numeric: boolean;
  nums: number[] = [];
  pending: Map<string, number> | null = new Map();
  overflow = false;

  constructor(
    readonly name: string,
    forcedCategorical: boolean,
  ) {
    this.numeric = !forcedCategorical;
  }

  add(cell: RawCell): void {
    if (isMissing(cell)) return;
    this.nonMissing++;
    if (this.numeric) {
      const x = toNumber(cell);
      if (Number.isNaN(x)) {
        if (this.overflow) {
          throw new DriftInputError(
            'badTrainingData',
            `column "${this.name}" mixes numbers and text and has more than ${MAX_PENDING_CATEGORIES} distinct values; clean it or list it in --categorical`,
          );
        }
        this.numeric = false;
        this.nums = [];
      } else {
        this.nums.push(x);
      }
    }
    if (this.pending) {
      const key = toCategory(cell);
      this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
      if (this.numeric && this.pending.size > MAX_PENDING_CATEGORIES) {
        this.pending = null;
        this.overflow = true;
      }
    }
  }
}

/**
 * Builds a {@link DriftBaseline} from training rows, one row at a time.
 *
 * Column typing: a column is numeric when every non-missing value is a number (see `toNumber`),
 * unless it is listed in `categorical`; a column with no values at all is categorical (it has no
 * distribution to bin). Numeric values are kept in memory until {@link finish}, because exact deciles
 * need the whole column.
 */
export class BaselineBuilder {
  private readonly columns: ColumnState[] = [];
  private readonly byName = new Map<string, ColumnState>();
  private rows = 0;
  private readonly categorical: ReadonlySet<string>;

  /**
   * @param columns initial column names (a CSV header); JSON records may add more
   * @param options typing, target and sampling options
   */
  constructor(
    columns: readonly string[] = [],
    private readonly options: BaselineOptions = {},
  ) {
    this.categorical = new Set(options.categorical ?? []);
    for (const c of columns) this.column(c);
  }

  private column(name: string): ColumnState {
    let state = this.byName.get(name);
    if (!state) {
      state = new ColumnState(name, this.categorical.has(name));
      this.byName.set(name, state);
      this.columns.push(state);
    }
    return state;
  }

  /** Adds one row whose cells follow the constructor's column order. */
  addRow(cells: readonly RawCell[]): void {
    this.rows++;
    const n = Math.min(cells.length, this.columns.length);
    for (let i = 0; i < n; i++) this.columns[i].add(cells[i]);
  }

  /** Adds one record keyed by column name; unseen keys become new columns (missing in earlier rows). */
  addRecord(record: Readonly<Record<string, RawCell>>): void {
    this.rows++;
    for (const key of Object.keys(record)) this.column(key).add(record[key]);
  }

  /** Rows added so far. */
  get rowCount(): number {
    return this.rows;
  }

  /**
   * Computes the baseline.
   * @throws DriftInputError `emptyTrainingData` without rows, `badTrainingData` for an unknown
   *   target/categorical column or when no feature remains
   */
  finish(): DriftBaseline {
    if (this.rows === 0) throw new DriftInputError('emptyTrainingData', 'the training data has no data rows');
    const { target } = this.options;
    if (target !== undefined && !this.byName.has(target)) {
      throw new DriftInputError(
        'badTrainingData',
        `target column "${target}" is not in the training data (columns: ${this.columnList()})`,
      );
    }
    for (const c of this.categorical) {
      if (!this.byName.has(c)) {
        throw new DriftInputError(
          'badTrainingData',
          `categorical column "${c}" is not in the training data (columns: ${this.columnList()})`,
        );
      }
    }
    const seed = this.options.seed ?? DEFAULT_SEED;
    const sampleCapacity = this.options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
    const features: FeatureBaseline[] = [];
    for (const col of this.columns) {
      if (col.name === target) continue;
      features.push(this.finishColumn(col, seed, sampleCapacity));
    }
    if (features.length === 0)
      throw new DriftInputError(
        'badTrainingData',
        'the training data has no feature columns besides the target',
      );
    return {
      kind: BASELINE_KIND,
      schemaVersion: BASELINE_SCHEMA_VERSION,
      schemaHash: schemaHashOf(features),
      ...(target !== undefined ? { target } : {}),
      rowCount: this.rows,
      seed,
      sampleCapacity,
      features,
    };
  }

  private columnList(): string {
    return this.columns.map((c) => c.name).join(', ');
  }

  private finishColumn(col: ColumnState, seed: number, capacity: number): FeatureBaseline {
    const missing = this.rows - col.nonMissing;
    const missingRate = missing / this.rows;
    if (col.numeric && col.nonMissing > 0) {
      const moments = new RunningMoments();
      const reservoir = new Reservoir(capacity, seed);
      for (const x of col.nums) {
        moments.add(x);
        reservoir.offer(x);
      }
      const sorted = Float64Array.from(col.nums).sort();
      const binEdges = decileEdges(sorted);
      const binCounts = new Array<number>(BIN_COUNT).fill(0);
      for (const x of sorted) binCounts[binIndex(binEdges, x)]++;
      return {
        name: col.name,
        type: 'numeric',
        count: col.nonMissing,
        missing,
        missingRate,
        mean: moments.mean,
        std: moments.std,
        min: moments.min,
        max: moments.max,
        binEdges,
        binCounts,
        sample: reservoir.values,
      };
    }
    const categories = [...(col.pending ?? new Map<string, number>()).entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return { name: col.name, type: 'categorical', count: col.nonMissing, missing, missingRate, categories };
  }
}

/** Training data formats {@link buildBaselineFromText} and {@link buildBaselineFromSource} read. */
export type TrainingFormat = 'csv' | 'jsonl';

/**
 * Builds a baseline from CSV with a header row, streamed as text chunks.
 * @throws DriftInputError `emptyTrainingData` for an empty or header-only file, `badTrainingData` for
 *   malformed CSV, duplicate or empty header names, or a row whose field count differs from the header
 */
export async function buildBaselineFromCsv(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string>,
  options: BaselineOptions = {},
): Promise<DriftBaseline> {
  const parser = new CsvStreamParser();
  let builder: BaselineBuilder | undefined;
  let width = 0;
  let recordNumber = 0;
  const decoder = new TextDecoder('utf-8');
  const take = (records: string[][]): void => {
    for (const rec of records) {
      recordNumber++;
      if (!builder) {
        if (recordNumber === 1 && rec[0]?.charCodeAt(0) === 0xfeff) rec[0] = rec[0].slice(1);
        const header = rec.map((h) => h.trim());
        const seen = new Set<string>();
        for (const h of header) {
          if (h === '')
            throw new DriftInputError('badTrainingData', 'the CSV header has an empty column name');
          if (seen.has(h))
            throw new DriftInputError('badTrainingData', `the CSV header repeats column "${h}"`);
          seen.add(h);
        }
        width = header.length;
        builder = new BaselineBuilder(header, options);
        continue;
      }
      if (rec.length !== width) {
        throw new DriftInputError(
          'badTrainingData',
          `CSV record ${recordNumber} has ${rec.length} fields; the header has ${width}`,
        );
      }
      builder.addRow(rec);
    }
  };
  try {
    for await (const chunk of chunks)
      take(parser.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })));
    const tail = decoder.decode();
    if (tail) take(parser.push(tail));
    take(parser.end());
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      throw new DriftInputError('badTrainingData', `malformed CSV: ${err.message}`);
    throw err;
  }
  if (!builder) throw new DriftInputError('emptyTrainingData', 'the training data is empty (no header row)');
  if (builder.rowCount === 0)
    throw new DriftInputError('emptyTrainingData', 'the training data has a header but no data rows');
  return builder.finish();
}

/**
 * Builds a baseline from JSON lines: one JSON object per line, keyed by column name. Blank lines are
 * skipped; columns are the union of keys in first-seen order.
 * @throws DriftInputError `emptyTrainingData` without records, `badTrainingData` for a line that is
 *   not a JSON object (with its line number)
 */
export async function buildBaselineFromJsonLines(
  source: TextSource,
  options: BaselineOptions = {},
): Promise<DriftBaseline> {
  const builder = new BaselineBuilder([], options);
  let lineNumber = 0;
  for await (const line of toLines(source)) {
    lineNumber++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DriftInputError('badTrainingData', `line ${lineNumber} is not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new DriftInputError('badTrainingData', `line ${lineNumber} is not a JSON object`);
    }
    builder.addRecord(value as Record<string, RawCell>);
  }
  if (builder.rowCount === 0)
    throw new DriftInputError('emptyTrainingData', 'the training data has no records');
  return builder.finish();
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().nonnegative();
const numericSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('numeric'),
  count: count.min(1),
  missing: count,
  missingRate: z.number().min(0).max(1),
  mean: finite,
  std: finite.refine((v) => v >= 0, 'must be ≥ 0'),
  min: finite,
  max: finite,
  binEdges: z.array(finite).length(BIN_COUNT + 1),
  binCounts: z.array(count).length(BIN_COUNT),
  sample: z.array(finite).min(1),
});
const categoricalSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('categorical'),
  count,
  missing: count,
  missingRate: z.number().min(0).max(1),
  categories: z.array(z.strictObject({ value: z.string(), count: count.min(1) })),
});
const baselineSchema = z.strictObject({
  kind: z.literal(BASELINE_KIND),
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  schemaHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  target: z.string().optional(),
  rowCount: count.min(1),
  seed: z.number().int(),
  sampleCapacity: count.min(1),
  features: z.array(z.discriminatedUnion('type', [numericSchema, categoricalSchema])).min(1),
});

/** Options for {@link parseBaseline}. */
export interface ParseBaselineOptions {
  /**
   * The schema hash the caller expects (for example recorded with the model); a different one is a
   * `schemaMismatch` error.
   * @default - any schema is accepted
   */
  readonly expectedSchemaHash?: string;
}

/**
 * Reads and checks a baseline document (text or already-parsed JSON): structure, ascending bin edges,
 * bin counts that add up, unique feature names, and a schema hash that matches the features.
 * @throws DriftInputError `malformedBaseline` with the first problem's JSON path, or `schemaMismatch`
 *   when `expectedSchemaHash` differs
 */
export function parseBaseline(input: string | unknown, options: ParseBaselineOptions = {}): DriftBaseline {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new DriftInputError('malformedBaseline', 'not valid JSON');
    }
  }
  const parsed = baselineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : '(document)';
    throw new DriftInputError('malformedBaseline', `${where}: ${issue.message}`);
  }
  const baseline = parsed.data as DriftBaseline;
  const names = new Set<string>();
  baseline.features.forEach((f, i) => {
    if (names.has(f.name))
      throw new DriftInputError('malformedBaseline', `features.${i}.name: duplicate feature "${f.name}"`);
    names.add(f.name);
    if (f.type === 'numeric') {
      for (let k = 1; k < f.binEdges.length; k++) {
        if (f.binEdges[k] < f.binEdges[k - 1])
          throw new DriftInputError('malformedBaseline', `features.${i}.binEdges: edges must ascend`);
      }
      const total = f.binCounts.reduce((a, b) => a + b, 0);
      if (total !== f.count)
        throw new DriftInputError(
          'malformedBaseline',
          `features.${i}.binCounts: counts add up to ${total}, not count ${f.count}`,
        );
    }
  });
  const hash = schemaHashOf(baseline.features);
  if (hash !== baseline.schemaHash) {
    throw new DriftInputError(
      'malformedBaseline',
      `schemaHash: does not match the features (got ${baseline.schemaHash}; computed ${hash})`,
    );
  }
  if (options.expectedSchemaHash !== undefined && options.expectedSchemaHash !== baseline.schemaHash) {
    throw new DriftInputError(
      'schemaMismatch',
      `the baseline schema ${baseline.schemaHash} is not the expected ${options.expectedSchemaHash}`,
    );
  }
  return baseline;
}
