/**
 * Drift pipeline benchmark (not a timed test): `npx tsx bench/drift.ts`.
 *
 * Writes a 100 MB synthetic SageMaker data capture file (CSV-encoded inputs, 8 numeric and 2
 * categorical features) to os.tmpdir(), then times, over the same file:
 * - `JSON.parse loop`: node:readline over a file stream, `JSON.parse` per line, nothing else (the floor
 *   any JSON-lines reader pays);
 * - `drift pipeline`: the same stream through `DriftAccumulator.addCaptureLines` (parse the event, the
 *   CSV payload and the numbers, bin every value, feed the reservoirs) plus `report()` (PSI, KS,
 *   chi-square).
 * Each is run 5 times, alternating, after one warm-up pass, and the median is reported (the whole bench takes about
 * a minute). Exports `benchDrift()` for the `npm run bench` aggregator.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { DriftAccumulator, type DriftReport } from '../lib/drift/analysis';
import { BaselineBuilder, type DriftBaseline } from '../lib/drift/baseline';
import { mulberry32 } from '../lib/drift/random';

const TARGET_BYTES = 100 * 1024 * 1024;
const RUNS = 5;
const NUMERIC = 8;
const CATEGORIES = ['web', 'mobile', 'partner', 'branch'];
const REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1'];

function featureRow(rand: () => number, shift: number): string[] {
  const cells: string[] = [];
  for (let k = 0; k < NUMERIC; k++)
    cells.push(((k + 1) * 10 + shift + 5 * (rand() + rand() + rand() - 1.5)).toFixed(3));
  cells.push(CATEGORIES[Math.floor(rand() * CATEGORIES.length)]);
  cells.push(REGIONS[Math.floor(rand() * REGIONS.length)]);
  return cells;
}

function syntheticBaseline(): DriftBaseline {
  const names = [...Array.from({ length: NUMERIC }, (_, k) => `x${k}`), 'channel', 'region'];
  const b = new BaselineBuilder(names);
  const rand = mulberry32(11);
  for (let i = 0; i < 50_000; i++) b.addRow(featureRow(rand, 0));
  return b.finish();
}

async function writeCapture(path: string): Promise<{ bytes: number; records: number }> {
  const out = createWriteStream(path);
  const rand = mulberry32(12);
  let bytes = 0;
  let records = 0;
  const start = Date.UTC(2025, 0, 1);
  while (bytes < TARGET_BYTES) {
    const batch: string[] = [];
    for (let i = 0; i < 1000; i++, records++) {
      batch.push(
        JSON.stringify({
          captureData: {
            endpointInput: {
              observedContentType: 'text/csv',
              mode: 'INPUT',
              data: featureRow(rand, records > 150_000 ? 2 : 0).join(','),
              encoding: 'CSV',
            },
            endpointOutput: {
              observedContentType: 'text/csv; charset=utf-8',
              mode: 'OUTPUT',
              data: rand().toFixed(6),
              encoding: 'CSV',
            },
          },
          eventMetadata: {
            eventId: `0b1c${records.toString(16).padStart(8, '0')}-4d5e-6f70-8192-a3b4c5d6e7f8`,
            inferenceId: `req-${records}`,
            inferenceTime: new Date(start + records * 10).toISOString(),
          },
          eventVersion: '0',
        }),
      );
    }
    const chunk = `${batch.join('\n')}\n`;
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, records };
}

async function plainJsonParse(path: string): Promise<number> {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (line.length > 0 && JSON.parse(line) !== null) n++;
  }
  return n;
}

async function pipeline(
  path: string,
  baseline: DriftBaseline,
): Promise<{ rows: number; report: DriftReport }> {
  const acc = new DriftAccumulator(baseline);
  await acc.addCaptureLines(createReadStream(path));
  acc.assertUsable();
  return { rows: acc.rows, report: acc.report() };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Alternates the two cases run by run, so machine load drifts affect both alike. */
async function timeInterleaved(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number[], number[]]> {
  await a(); // warm-up: JIT and page cache
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ta.push(await seconds(a));
    tb.push(await seconds(b));
  }
  return [ta, tb];
}

/** One row of the benchmark table. */
export interface DriftBenchRow {
  readonly bench: 'drift';
  readonly case: string;
  readonly megabytes: number;
  readonly records: number;
  readonly runs: number;
  readonly medianSeconds: number;
  readonly mbPerSecond: number;
  readonly recordsPerSecond: number;
  /** Throughput relative to the plain JSON.parse loop (target ≥ 0.3). */
  readonly relativeToJsonParse: number;
}

/** Runs the drift benchmark and returns one row per case (plain JSON.parse loop, drift pipeline). */
export async function benchDrift(): Promise<DriftBenchRow[]> {
  const path = join(tmpdir(), `compliant-mlops-drift-bench-${process.pid}.jsonl`);
  try {
    const baseline = syntheticBaseline();
    const { records } = await writeCapture(path);
    const megabytes = (await stat(path)).size / (1024 * 1024);
    const check = await pipeline(path, baseline);
    if (check.rows !== records) throw new Error(`pipeline read ${check.rows} rows, wrote ${records}`);
    const [plainTimes, fullTimes] = await timeInterleaved(
      () => plainJsonParse(path),
      () => pipeline(path, baseline),
    );
    const plain = median(plainTimes);
    const full = median(fullTimes);
    const row = (name: string, seconds: number): DriftBenchRow => ({
      bench: 'drift',
      case: name,
      megabytes: Math.round(megabytes * 10) / 10,
      records,
      runs: RUNS,
      medianSeconds: Math.round(seconds * 1000) / 1000,
      mbPerSecond: Math.round((megabytes / seconds) * 10) / 10,
      recordsPerSecond: Math.round(records / seconds),
      relativeToJsonParse: Math.round((plain / seconds) * 100) / 100,
    });
    return [
      row('JSON.parse loop (readline)', plain),
      row('drift pipeline (parse + accumulate + report)', full),
    ];
  } finally {
    await rm(path, { force: true });
  }
}

if (require.main === module) {
  benchDrift().then(
    (rows) => {
      console.table(rows.map(({ bench: _bench, ...r }) => r));
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
