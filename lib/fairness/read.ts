import { createReadStream } from 'node:fs';
import { CsvStreamParser, CsvSyntaxError } from '../drift/csv';
import { toLines, type TextSource } from '../drift/lines';
import type { RawCell } from '../drift/values';
import { BiasAccumulator, type BiasOptions } from './analysis';
import type { BiasReport } from './report';
import { BiasInputError } from './errors';

// Readers: CSV with a header row and JSON lines, streamed into a BiasAccumulator.

/** How the data is laid out: CSV with a header row, or one JSON object per line. */
export type BiasDataFormat = 'csv' | 'jsonl';

/** {@link BiasOptions} plus the data format and an optional report timestamp. */
export interface AnalyzeBiasOptions extends BiasOptions {
  /** The data format. */
  readonly format: BiasDataFormat;
  /** @default - no timestamp in the report */
  readonly generatedAt?: string;
}

async function feedCsv(acc: BiasAccumulator, source: TextSource): Promise<void> {
  const parser = new CsvStreamParser();
  let header: string[] | undefined;
  let recordNumber = 0;
  const take = (records: string[][]): void => {
    for (const rec of records) {
      recordNumber++;
      if (!header) {
        if (rec[0]?.charCodeAt(0) === 0xfeff) rec[0] = rec[0].slice(1);
        header = rec.map((h) => h.trim());
        const seen = new Set<string>();
        for (const h of header) {
          if (h === '') throw new BiasInputError('badData', 'the CSV header has an empty column name');
          if (seen.has(h)) throw new BiasInputError('badData', `the CSV header repeats column "${h}"`);
          seen.add(h);
        }
        acc.checkColumns(header);
        continue;
      }
      if (rec.length !== header.length)
        throw new BiasInputError(
          'badData',
          `CSV record ${recordNumber} has ${rec.length} fields; the header has ${header.length}`,
        );
      const row: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) row[header[i]] = rec[i];
      acc.addRecord(row);
    }
  };
  try {
    // Lines, not raw chunks: toLines already handles strings, streams and byte chunks; the CSV
    // parser gets the line breaks back so quoted fields may still span lines.
    for await (const line of toLines(source)) take(parser.push(`${line}\n`));
    take(parser.end());
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new BiasInputError('badData', `malformed CSV: ${err.message}`);
    throw err;
  }
  if (!header) throw new BiasInputError('emptyData', 'the data is empty (no header row)');
}

async function feedJsonLines(acc: BiasAccumulator, source: TextSource): Promise<void> {
  let lineNumber = 0;
  for await (const line of toLines(source)) {
    lineNumber++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BiasInputError('badData', `line ${lineNumber} is not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new BiasInputError('badData', `line ${lineNumber} is not a JSON object`);
    acc.addRecord(value as Record<string, RawCell>);
  }
}

/**
 * Computes the bias report of a data set streamed from `source` (the text itself, a Node stream, an
 * S3 `GetObject` body, or an async iterable of chunks), with bounded memory.
 * @throws BiasInputError for a bad spec, unreadable data, a missing column or no usable row
 */
async function feed(acc: BiasAccumulator, source: TextSource, format: BiasDataFormat): Promise<void> {
  if (format === 'csv') await feedCsv(acc, source);
  else await feedJsonLines(acc, source);
}

/**
 * Computes the bias report of a data set streamed from `source` (the text itself, a Node stream, an
 * S3 `GetObject` body, or an async iterable of chunks), with bounded memory.
 * @throws BiasInputError for a bad spec, unreadable data, a missing column or no usable row
 */
export async function analyzeBias(source: TextSource, options: AnalyzeBiasOptions): Promise<BiasReport> {
  const acc = new BiasAccumulator(options);
  await feed(acc, source, options.format);
  return acc.report(options.generatedAt);
}

/** The data format a file name implies: `.jsonl`, `.ndjson`, `.json` are JSON lines, the rest CSV. */
export function formatOfPath(path: string): BiasDataFormat {
  return /\.(jsonl|ndjson|json)$/i.test(path) ? 'jsonl' : 'csv';
}

/**
 * {@link analyzeBias} of a file, its format from the extension unless `options.format` says. The
 * options are checked before the file is opened.
 * @throws BiasInputError as {@link analyzeBias}; the file's I/O errors (ENOENT…) as they are
 */
export async function analyzeBiasFile(
  path: string,
  options: BiasOptions & { readonly format?: BiasDataFormat; readonly generatedAt?: string },
): Promise<BiasReport> {
  const acc = new BiasAccumulator(options);
  await feed(acc, createReadStream(path), options.format ?? formatOfPath(path));
  return acc.report(options.generatedAt);
}
