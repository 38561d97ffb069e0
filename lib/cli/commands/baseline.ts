import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { EXIT, UsageError, type CliIO, type Command } from '../command';
import { parseCommandArgs } from '../args';
import {
  buildBaselineFromCsv,
  buildBaselineFromJsonLines,
  type DriftBaseline,
  type TrainingFormat,
} from '../../drift/baseline';
import { DriftInputError } from '../../drift/errors';
import { DEFAULT_SEED } from '../../drift/random';

// Helpers shared with the drift command (exported for it; not part of the package API).
/** Resolves a path argument against the command's working directory. */
export function resolvePath(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Fails with one line when a path does not exist or is not the expected kind. */
export async function requireFile(path: string, label: string, shown: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new UsageError(`${label} not found: ${shown}${errnoSuffix(err)}`);
  }
  if (!info.isFile()) throw new UsageError(`${label} is not a file: ${shown}`);
}

/** Turns a Node.js error code into a short suffix (`(EACCES)`), empty for ENOENT. */
export function errnoSuffix(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== 'ENOENT' ? ` (${code})` : '';
}

/** Rewraps a drift input error (or an I/O error) as a usage error so the CLI exits 2. */
export function asUsageError(err: unknown, context: string): never {
  if (err instanceof UsageError) throw err;
  if (err instanceof DriftInputError) throw new UsageError(`${context}: ${err.message}`);
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string') throw new UsageError(`${context}: cannot read (${code})`);
  throw err;
}

/** Parses a numeric option, failing with one line naming the option. */
export function numberOption(
  value: string | undefined,
  name: string,
  fallback: number,
  check: (v: number) => boolean,
  expected: string,
): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || !check(v))
    throw new UsageError(`--${name}: ${expected} (got ${JSON.stringify(value)})`);
  return v;
}

const USAGE = `Usage: compliant-mlops baseline <training-data> --output <baseline.json> [options]

Builds a drift baseline from training data: per numeric feature the decile bins, mean, std, min,
max, missing rate and a reproducible reservoir sample; per categorical feature the category counts.

Options:
  --output, -o <file>      where to write the baseline JSON ("-" for stdout) (required)
  --target <column>        label column to leave out of the features
  --categorical <a,b>      columns to treat as categorical even when numeric
  --format <csv|jsonl>     training data format (default: from the extension, .jsonl/.ndjson/.json
                           are JSON lines, anything else CSV with a header row)
  --seed <int>             reservoir sampling seed (default: ${DEFAULT_SEED})
  --sample-size <int>      reservoir size per numeric feature (default: 10000)
  --help, -h               show this help

Exit codes: 0 written, 2 bad usage or unusable training data (empty, header only, malformed).
`;

/** Serializes a baseline: indented for review, but number arrays (edges, samples) on one line. */
export function formatBaseline(baseline: DriftBaseline): string {
  const text = JSON.stringify(baseline, null, 2);
  return `${text.replace(/\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`)}\n`;
}

function formatOf(path: string, explicit: string | undefined): TrainingFormat {
  if (explicit !== undefined) {
    if (explicit !== 'csv' && explicit !== 'jsonl')
      throw new UsageError(`--format: must be csv or jsonl (got ${JSON.stringify(explicit)})`);
    return explicit;
  }
  return /\.(jsonl|ndjson|json)$/i.test(path) ? 'jsonl' : 'csv';
}

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  target: { type: 'string' },
  categorical: { type: 'string' },
  format: { type: 'string' },
  seed: { type: 'string' },
  'sample-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `compliant-mlops baseline`: builds a drift baseline from a training data file.
 * @see lib/drift/README.md
 */
export const baselineCommand: Command = {
  name: 'baseline',
  summary: 'build a drift baseline (bins, moments, samples, frequencies) from training data',
  usage: USAGE,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('baseline', args, OPTIONS, true);
    if (values.help) {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    if (positionals.length !== 1)
      throw new UsageError(`baseline: expected one training data file (got ${positionals.length})`);
    if (values.output === undefined || values.output === '')
      throw new UsageError('baseline: --output is required');
    const input = positionals[0];
    const format = formatOf(input, values.format);
    const categorical = (values.categorical ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    const seed = numberOption(values.seed, 'seed', DEFAULT_SEED, Number.isSafeInteger, 'expected an integer');
    const sampleSize = numberOption(
      values['sample-size'],
      'sample-size',
      10_000,
      (v) => Number.isInteger(v) && v >= 1,
      'expected an integer >= 1',
    );
    const path = resolvePath(io.cwd, input);
    await requireFile(path, 'training data', input);
    const options = { target: values.target, categorical, seed, sampleSize };
    let baseline: DriftBaseline;
    try {
      baseline =
        format === 'csv'
          ? await buildBaselineFromCsv(createReadStream(path), options)
          : await buildBaselineFromJsonLines(createReadStream(path), options);
    } catch (err) {
      asUsageError(err, input);
    }
    const text = formatBaseline(baseline);
    const numeric = baseline.features.filter((f) => f.type === 'numeric').length;
    const summary = `${baseline.features.length} features (${numeric} numeric, ${baseline.features.length - numeric} categorical) from ${baseline.rowCount} rows, schema ${baseline.schemaHash}\n`;
    if (values.output === '-') {
      io.stdout(text);
      io.stderr(`baseline: ${summary}`);
      return EXIT.ok;
    }
    try {
      await writeFile(resolvePath(io.cwd, values.output), text);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new UsageError(`cannot write ${values.output}${typeof code === 'string' ? ` (${code})` : ''}`);
    }
    io.stdout(`wrote ${values.output}: ${summary}`);
    return EXIT.ok;
  },
};
