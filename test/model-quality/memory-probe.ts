// Run by memory.test.ts as `node --expose-gc --import tsx memory-probe.ts <bias|join> <rows>`: streams
// generated rows through the analysis and prints the largest heap growth seen after a full GC at
// checkpoints, so an implementation that kept the rows would show them.
import { Readable } from 'node:stream';
import { analyzeBias } from '../../lib/fairness';
import { QualityJoin } from '../../lib/model-quality';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const [mode, rowsText] = process.argv.slice(2);
const rows = Number(rowsText);
// The control: KEEP=1 holds every chunk, as an implementation that buffered its input would, to
// show the measurement sees it.
const kept: string[] = [];
const keep = process.env.KEEP === '1';
const checkpoints = new Set([Math.floor(rows / 4), Math.floor(rows / 2), rows - 1]);
let peak = 0;
let base = 0;
const measure = (): void => {
  gc!();
  peak = Math.max(peak, process.memoryUsage().heapUsed - base);
};

/** Lines, one chunk per 1000, generated lazily; measures the heap at the checkpoints. */
function* lines(make: (i: number) => string, header?: string): Generator<string> {
  if (header !== undefined) yield `${header}\n`;
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `${make(i)}\n`;
    if (i % 1000 === 999 || i === rows - 1) {
      if (keep) kept.push(chunk);
      yield chunk;
      chunk = '';
    }
    if (checkpoints.has(i)) measure();
  }
}

async function main(): Promise<void> {
  gc!();
  base = process.memoryUsage().heapUsed;
  let count = 0;
  if (mode === 'bias') {
    const groups = ['north', 'south', 'east', 'west'];
    const source = Readable.from(
      lines(
        (i) =>
          `${i % 2 === 0 ? 'female' : 'male'},${20 + (i % 60)},${groups[i % 4]},${(i * 7919) % 1000},${i % 3 === 0 ? 1 : 0},${i % 5 === 0 ? 1 : 0}`,
        'gender,age,region,spend,churned,predicted',
      ),
    );
    const report = await analyzeBias(source, {
      format: 'csv',
      label: 'churned',
      predictions: 'predicted',
      facets: ['gender=female', 'age:>=40'],
      group: 'region',
    });
    count = report.input.rows;
  } else {
    const join = new QualityJoin(
      { problemType: 'binaryClassification' },
      { fairness: { facets: ['gender=female'] } },
    );
    // 1000 labels held; 500k captured predictions streamed past them, each with its request.
    for (let i = 0; i < 1000; i++)
      join.addGroundTruthLine(
        JSON.stringify({
          groundTruthData: { data: String(i % 2), encoding: 'CSV' },
          eventMetadata: { eventId: `id-${i * 500}` },
        }),
      );
    await join.addCaptures(
      Readable.from(
        lines((i) =>
          JSON.stringify({
            captureData: {
              endpointInput: {
                observedContentType: 'application/json',
                data: `{"gender":"${i % 3 === 0 ? 'female' : 'male'}","tenure":${i % 48}}`,
                encoding: 'JSON',
              },
              endpointOutput: {
                observedContentType: 'text/csv',
                data: String((i % 100) / 100),
                encoding: 'CSV',
              },
            },
            eventMetadata: { eventId: `e-${i}`, inferenceId: `id-${i}` },
          }),
        ),
      ),
    );
    const r = join.report();
    count = r.captures.records;
    if (r.matched !== 1000) throw new Error(`matched ${r.matched}`);
  }
  measure();
  process.stdout.write(JSON.stringify({ rows: count, peakHeapGrowthBytes: peak, kept: kept.length }));
}

void main();
