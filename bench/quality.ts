/**
 * Model quality join benchmark (not a timed test): `npx tsx bench/quality.ts`.
 *
 * Builds, in memory, 200,000 SageMaker data capture lines (CSV input of 10 features, a CSV score
 * as output, an inference id) and ground-truth records in Model Monitor's merge format for one
 * prediction in five (40,000), then times over the same lines:
 * - `JSON.parse loop`: `JSON.parse` of every line, nothing else (the floor of any JSON-lines reader);
 * - `quality join`: `QualityJoin` (ground truth into the capped map, every capture parsed, its
 *   output decoded, looked up and, when labelled, evaluated) plus `report()` (accuracy, precision,
 *   recall, F1, AUC).
 * Each is run 5 times, alternating, after one warm-up pass; medians are reported. Records are
 * capture lines plus ground-truth lines. Exports `benchQuality()` for the `npm run bench` aggregator.
 */
import { mulberry32 } from '../lib/drift/random';
import { QualityJoin } from '../lib/model-quality';

const CAPTURES = 200_000;
const LABEL_EVERY = 5;
const RUNS = 5;

function lines(): { captures: string[]; labels: string[] } {
  const rand = mulberry32(21);
  const captures: string[] = [];
  const labels: string[] = [];
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < CAPTURES; i++) {
    const positive = rand() < 0.3;
    const score = Math.min(1, Math.max(0, (positive ? 0.65 : 0.35) + (rand() - 0.5) * 0.6));
    const features = Array.from({ length: 10 }, (_, k) => ((k + 1) * 10 + 5 * (rand() - 0.5)).toFixed(3));
    captures.push(
      JSON.stringify({
        captureData: {
          endpointInput: {
            observedContentType: 'text/csv',
            mode: 'INPUT',
            data: features.join(','),
            encoding: 'CSV',
          },
          endpointOutput: {
            observedContentType: 'text/csv; charset=utf-8',
            mode: 'OUTPUT',
            data: score.toFixed(6),
            encoding: 'CSV',
          },
        },
        eventMetadata: {
          eventId: `0b1c${i.toString(16).padStart(8, '0')}-4d5e-6f70-8192-a3b4c5d6e7f8`,
          inferenceId: `req-${i}`,
          inferenceTime: new Date(start + i * 10).toISOString(),
        },
        eventVersion: '0',
      }),
    );
    if (i % LABEL_EVERY === 0) {
      labels.push(
        JSON.stringify({
          groundTruthData: { data: positive ? '1' : '0', encoding: 'CSV' },
          eventMetadata: { eventId: `req-${i}` },
          eventVersion: '0',
        }),
      );
    }
  }
  return { captures, labels };
}

function plainJsonParse(all: readonly string[][]): number {
  let n = 0;
  for (const group of all) for (const line of group) if (JSON.parse(line) !== null) n++;
  return n;
}

function join(captures: readonly string[], labels: readonly string[]): number {
  const j = new QualityJoin({ problemType: 'binaryClassification' });
  for (const l of labels) j.addGroundTruthLine(l);
  for (const c of captures) j.addCaptureLine(c);
  const r = j.report();
  if (r.metrics.problemType !== 'binaryClassification' || r.metrics.auc === null) throw new Error('no AUC');
  return r.matched;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function seconds(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** One row of the benchmark table. */
export interface QualityBenchRow {
  readonly case: string;
  readonly records: number;
  readonly runs: number;
  readonly medianSeconds: number;
  readonly recordsPerSecond: number;
  /** Throughput relative to the plain JSON.parse loop over the same lines. */
  readonly relativeToJsonParse: number;
}

/** Runs the benchmark: one row for the JSON.parse loop, one for the join and metrics. */
export function benchQuality(): QualityBenchRow[] {
  const { captures, labels } = lines();
  const records = captures.length + labels.length;
  const matched = join(captures, labels);
  if (matched !== labels.length) throw new Error(`join matched ${matched} of ${labels.length} labels`);
  plainJsonParse([labels, captures]); // warm-up
  const plainTimes: number[] = [];
  const joinTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    plainTimes.push(seconds(() => plainJsonParse([labels, captures])));
    joinTimes.push(seconds(() => join(captures, labels)));
  }
  const plain = median(plainTimes);
  const full = median(joinTimes);
  const row = (name: string, s: number): QualityBenchRow => ({
    case: name,
    records,
    runs: RUNS,
    medianSeconds: Math.round(s * 1000) / 1000,
    recordsPerSecond: Math.round(records / s),
    relativeToJsonParse: Math.round((plain / s) * 100) / 100,
  });
  return [row('JSON.parse loop', plain), row('quality join (parse + join + metrics)', full)];
}

if (require.main === module) {
  console.table(benchQuality());
}
