import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, UsageError, type CliIO, type Command } from '../command';
import { parseCommandArgs } from '../args';
import {
  DEFAULT_THRESHOLDS,
  DriftAccumulator,
  type DriftReport,
  type FeatureDrift,
} from '../../drift/analysis';
import { parseBaseline, type DriftBaseline } from '../../drift/baseline';
import { CAPTURE_REJECT_REASONS } from '../../drift/capture';
import { asUsageError, errnoSuffix, numberOption, resolvePath } from './baseline';

const USAGE = `Usage: compliant-mlops drift --baseline <baseline.json> <capture files or dirs...> [options]

Compares SageMaker data capture files (JSON lines) with a baseline: PSI, Kolmogorov-Smirnov D and
p-value per numeric feature, PSI and chi-square p-value per categorical feature, and whether each
feature drifted (PSI >= threshold or p-value < threshold, given enough observed values).
Directories are searched recursively for *.jsonl files.

Options:
  --baseline, -b <file>    baseline JSON written by \`compliant-mlops baseline\` (required)
  --format <text|json>     output format (default: text)
  --fail-on-drift          exit 1 when any feature drifted
  --psi-threshold <x>      PSI at or above which a feature drifted (default: ${DEFAULT_THRESHOLDS.psi})
  --p-value <x>            significance level; a p-value below it is drift (default: ${DEFAULT_THRESHOLDS.pValue})
  --min-samples <n>        observed values a feature needs before it can drift (default: ${DEFAULT_THRESHOLDS.minSampleSize})
  --schema-hash <hash>     fail unless the baseline has this schema hash
  --help, -h               show this help

Exit codes: 0 no drift (or drift without --fail-on-drift), 1 drift with --fail-on-drift,
2 bad usage or unusable input (missing file, malformed baseline, no parsable records, capture from
another schema).
`;

/** Capture files named by the arguments: files as given, directories searched for *.jsonl, sorted. */
async function captureFiles(
  cwd: string,
  args: readonly string[],
): Promise<{ path: string; shown: string }[]> {
  const out: { path: string; shown: string }[] = [];
  for (const arg of args) {
    const path = resolvePath(cwd, arg);
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      throw new UsageError(`capture path not found: ${arg}${errnoSuffix(err)}`);
    }
    if (info.isFile()) {
      out.push({ path, shown: arg });
      continue;
    }
    const found: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile() && e.name.endsWith('.jsonl')) found.push(p);
      }
    };
    await walk(path);
    if (found.length === 0) throw new UsageError(`no capture files (*.jsonl) under ${arg}`);
    for (const p of found.sort()) out.push({ path: p, shown: p });
  }
  return out;
}

function fmt(v: number | null | undefined, digits: number): string {
  if (v === null || v === undefined) return '-';
  return v.toFixed(digits);
}

function fmtP(v: number | null): string {
  if (v === null) return '-';
  return v !== 0 && v < 1e-4 ? v.toExponential(1) : v.toFixed(4);
}

function driftedCell(f: FeatureDrift, min: number): string {
  if (f.drifted) return 'yes';
  return f.sufficientData ? 'no' : `no (n<${min})`;
}

/** Renders a report as an aligned per-feature table with a header and summary line. */
export function formatDriftText(report: DriftReport, files: number): string {
  const t = report.thresholds;
  const rejected = CAPTURE_REJECT_REASONS.filter((r) => report.input.rejected[r] > 0).map(
    (r) => `${r} ${report.input.rejected[r]}`,
  );
  const lines: string[] = [];
  lines.push(
    `baseline ${report.baselineSchemaHash.slice(0, 19)}…  capture: ${report.input.rows} rows from ${report.input.records} records in ${files} file${files === 1 ? '' : 's'}`,
  );
  if (rejected.length > 0) lines.push(`rejected: ${rejected.join(', ')}`);
  lines.push('');
  const header = ['feature', 'type', 'n base', 'n obs', 'PSI', 'KS D', 'chi2', 'p-value', 'drifted'];
  const rows = report.features.map((f) => [
    f.name,
    f.type,
    String(f.baselineCount),
    String(f.observedCount),
    fmt(f.psi, 4),
    fmt(f.ks?.statistic, 4),
    fmt(f.chiSquare?.statistic, 2),
    fmtP(f.pValue),
    driftedCell(f, t.minSampleSize),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numericCol = (i: number): boolean => i >= 2 && i <= 7;
  const render = (cells: string[]): string =>
    cells
      .map((c, i) => (numericCol(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  lines.push(render(header));
  for (const r of rows) lines.push(render(r));
  lines.push('');
  const s = report.summary;
  lines.push(
    `${s.driftedFeatures} of ${s.features} features drifted (${(s.driftedShare * 100).toFixed(1)}%)${s.drifted.length > 0 ? `: ${s.drifted.join(', ')}` : ''}; thresholds: PSI >= ${t.psi} or p-value < ${t.pValue}, at least ${t.minSampleSize} values`,
  );
  return `${lines.join('\n')}\n`;
}

const OPTIONS = {
  baseline: { type: 'string', short: 'b' },
  format: { type: 'string' },
  'fail-on-drift': { type: 'boolean' },
  'psi-threshold': { type: 'string' },
  'p-value': { type: 'string' },
  'min-samples': { type: 'string' },
  'schema-hash': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `compliant-mlops drift`: compares capture files with a baseline and prints the drift report.
 * @see lib/drift/README.md
 */
export const driftCommand: Command = {
  name: 'drift',
  summary: 'compare SageMaker data capture with a baseline (PSI, KS, chi-square per feature)',
  usage: USAGE,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('drift', args, OPTIONS, true);
    if (values.help) {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    if (values.baseline === undefined || values.baseline === '')
      throw new UsageError('drift: --baseline is required');
    if (positionals.length === 0)
      throw new UsageError('drift: expected at least one capture file or directory');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new UsageError(`--format: must be text or json (got ${JSON.stringify(format)})`);
    const thresholds = {
      psi: numberOption(
        values['psi-threshold'],
        'psi-threshold',
        DEFAULT_THRESHOLDS.psi,
        (v) => v > 0,
        'expected a number > 0',
      ),
      pValue: numberOption(
        values['p-value'],
        'p-value',
        DEFAULT_THRESHOLDS.pValue,
        (v) => v > 0 && v < 1,
        'expected a number between 0 and 1',
      ),
      minSampleSize: numberOption(
        values['min-samples'],
        'min-samples',
        DEFAULT_THRESHOLDS.minSampleSize,
        (v) => Number.isInteger(v) && v >= 1,
        'expected an integer >= 1',
      ),
    };

    const baselinePath = resolvePath(io.cwd, values.baseline);
    let text: string;
    try {
      text = await readFile(baselinePath, 'utf8');
    } catch (err) {
      throw new UsageError(`baseline not found: ${values.baseline}${errnoSuffix(err)}`);
    }
    let baseline: DriftBaseline;
    try {
      baseline = parseBaseline(text, { expectedSchemaHash: values['schema-hash'] });
    } catch (err) {
      asUsageError(err, `${values.baseline}: not a usable drift baseline`);
    }

    const files = await captureFiles(io.cwd, positionals);
    const acc = new DriftAccumulator(baseline);
    for (const f of files) {
      try {
        await acc.addCaptureLines(createReadStream(f.path));
      } catch (err) {
        asUsageError(err, f.shown);
      }
    }
    try {
      acc.assertUsable();
    } catch (err) {
      asUsageError(err, `capture (${files.length} file${files.length === 1 ? '' : 's'})`);
    }
    const report = acc.report(thresholds, new Date().toISOString());
    io.stdout(
      format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatDriftText(report, files.length),
    );
    return values['fail-on-drift'] && report.summary.anyDrift ? EXIT.findings : EXIT.ok;
  },
};
