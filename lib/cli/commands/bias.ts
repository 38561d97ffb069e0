import { stat } from 'node:fs/promises';
import { EXIT, UsageError, type CliIO, type Command } from '../command';
import { parseCommandArgs } from '../args';
import {
  BIAS_REPORT_KIND,
  BIAS_REPORT_VERSION,
  ROW_REJECT_REASONS,
  type BiasReport,
  type FacetComparison,
  type ReportedMetric,
} from '../../fairness/report';
import { DEFAULT_PROXY_THRESHOLD } from '../../fairness/analysis';
import { analyzeBiasFile, type BiasDataFormat } from '../../fairness/read';
import { BiasInputError } from '../../fairness/errors';
import { METRICS, metricInfo, type BiasMetric } from '../../fairness/metrics';
import { errnoSuffix, numberOption, resolvePath } from './baseline';

const USAGE = `Usage: compliant-mlops bias <data.csv|data.jsonl> --label <spec> --facet <spec> [--facet <spec>...] [options]

Measures bias in a data set with SageMaker Clarify's metrics: pre-training (CI, DPL, KL, JS, LP, TVD,
KS, CDD) from the observed labels, post-training (DPPL, DI, DCAcc, DCR, SD, RD, DAR, DRR, AD, TE,
CDDPL, GE) with --predictions, and proxies: other columns associated with a facet (Cramér's V for
categorical columns, correlation ratio for numeric ones). Streams the file (CSV with a header row,
or JSON lines) with bounded memory.

Specs: column (positive label 1; for a facet: each value in turn), column=value, column:>=number
(also >, <=, <).

Options:
  --label <spec>           observed label and its positive outcome (required), e.g. churned=1, score:>=0.5
  --facet <spec>           sensitive facet d, e.g. gender=female, age:>=40, or gender (repeatable; required)
  --predictions <spec>     predicted label column (a bare column uses the label's positive condition)
  --group <column>         group attribute for CDD and CDDPL (e.g. region)
  --fail-on <M=x>          threshold per metric (repeatable, or comma-separated): |value| > x crosses,
                           DI crosses outside [x, 1/x]; e.g. --fail-on CI=0.2 --fail-on DI=0.8
  --categorical <a,b>      columns to treat as categorical in proxy detection even when numeric (zip codes)
  --proxy-threshold <x>    association above which a column is a flagged proxy (default: ${DEFAULT_PROXY_THRESHOLD})
  --format <f>             text, json or markdown (default: text)
  --data-format <f>        csv or jsonl (default: from the extension; .jsonl/.ndjson/.json are JSON lines)
  --help, -h               show this help

Exit codes: 0 no threshold crossed and no proxy flagged, 1 a --fail-on threshold crossed or a proxy
flagged, 2 bad usage or unusable input (one line on stderr; --format json also prints the error).
`;

const OPTIONS = {
  label: { type: 'string' },
  facet: { type: 'string', multiple: true },
  predictions: { type: 'string' },
  group: { type: 'string' },
  'fail-on': { type: 'string', multiple: true },
  categorical: { type: 'string' },
  'proxy-threshold': { type: 'string' },
  format: { type: 'string' },
  'data-format': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

// Clarify's own method names where they differ from ours (its analysis config says DCA and CDDL).
const ALIASES: Readonly<Record<string, BiasMetric>> = { DCA: 'DCAcc', CDDL: 'CDD' };

/** Parses `--fail-on CI=0.2` values (also comma-separated) into thresholds by metric. */
export function parseFailOn(values: readonly string[]): Partial<Record<BiasMetric, number>> {
  const out: Partial<Record<BiasMetric, number>> = {};
  for (const item of values.flatMap((v) => v.split(','))) {
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim();
    const metric =
      METRICS.find((m) => m.metric.toLowerCase() === name.toLowerCase())?.metric ??
      ALIASES[name.toUpperCase()];
    if (eq < 0 || metric === undefined)
      throw new UsageError(
        `--fail-on: expected METRIC=threshold with METRIC one of ${METRICS.map((m) => m.metric).join(', ')} (got ${JSON.stringify(item)})`,
      );
    const ratio = metricInfo(metric).threshold === 'ratio';
    out[metric] = numberOption(
      item.slice(eq + 1),
      `fail-on ${metric}`,
      0,
      (v) => (ratio ? v > 0 && v <= 1 : v >= 0),
      ratio ? 'expected a number in (0, 1]' : 'expected a number >= 0',
    );
  }
  return out;
}

function fmt(v: number | null): string {
  if (v === null) return '-';
  if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential(2);
  return v.toFixed(4);
}

function thresholdText(m: ReportedMetric): string {
  if (m.threshold === undefined) return '';
  return metricInfo(m.metric).threshold === 'ratio'
    ? `outside [${m.threshold}, ${+(1 / m.threshold).toFixed(4)}]`
    : `|x| > ${m.threshold}`;
}

function note(m: ReportedMetric): string {
  const parts: string[] = [];
  if (m.crossed) parts.push('CROSSED');
  if (m.reason) parts.push(m.reason);
  if (m.skippedGroups)
    parts.push(`subgroups left out (no acceptances or no rejections): ${m.skippedGroups.join(', ')}`);
  return parts.join('; ');
}

function table(header: string[], rows: string[][], numeric: (i: number) => boolean): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const render = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [render(header), ...rows.map(render)];
}

function comparisonHeading(c: FacetComparison): string {
  const side = (s: FacetComparison['a']): string =>
    `${s.rows} rows, ${s.labelPositive} positive${s.predictedPositive !== undefined ? `, ${s.predictedPositive} predicted positive` : ''}`;
  return `facet ${c.facet}: d ${side(c.d)}; a ${side(c.a)}`;
}

function inputLine(report: BiasReport): string {
  const rejected = ROW_REJECT_REASONS.filter((r) => report.input.rejected[r] > 0).map(
    (r) => `${r} ${report.input.rejected[r]}`,
  );
  const excluded = Object.entries(report.input.facetExcluded)
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f} ${n}`);
  return [
    `rows ${report.input.rows}, used ${report.input.used}`,
    rejected.length > 0 ? `rejected: ${rejected.join(', ')}` : '',
    excluded.length > 0 ? `no facet value: ${excluded.join(', ')}` : '',
    report.input.withoutGroup > 0 ? `no group value: ${report.input.withoutGroup}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function summaryLine(report: BiasReport): string {
  const s = report.summary;
  const crossed = s.crossed.map((c) => `${c.facet} ${c.metric} ${fmt(c.value)}`);
  return `${s.crossed.length} threshold${s.crossed.length === 1 ? '' : 's'} crossed${crossed.length > 0 ? ` (${crossed.join(', ')})` : ''}; ${s.flaggedProxies} prox${s.flaggedProxies === 1 ? 'y' : 'ies'} flagged above ${report.thresholds.proxy}`;
}

/** Renders a bias report as aligned tables: one per facet comparison, then the proxies. */
export function formatBiasText(report: BiasReport, data: string): string {
  const lines: string[] = [];
  lines.push(
    `bias ${data}: label ${report.label}${report.predictions ? `, predictions ${report.predictions}` : ''}${report.group ? `, group ${report.group}` : ''}`,
  );
  lines.push(inputLine(report));
  for (const c of report.facets) {
    lines.push('', comparisonHeading(c));
    const rows = [...c.preTraining, ...c.postTraining].map((m) => [
      m.metric,
      fmt(m.value),
      metricInfo(m.metric).range,
      thresholdText(m),
      note(m),
    ]);
    lines.push(...table(['metric', 'value', 'range', 'threshold', 'note'], rows, (i) => i === 1));
  }
  lines.push(
    '',
    `proxies (association with the facet, strongest first; flagged above ${report.thresholds.proxy}):`,
  );
  const proxyRows = report.proxies.map((p) => [
    p.facet,
    p.column,
    p.measure,
    fmt(p.value),
    p.flagged ? 'yes' : p.reason ? `no (${p.reason})` : 'no',
  ]);
  lines.push(...table(['facet', 'column', 'measure', 'value', 'flagged'], proxyRows, (i) => i === 3));
  lines.push('', summaryLine(report));
  return `${lines.join('\n')}\n`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** Renders a bias report as Markdown (a pull-request comment, a model card section). */
export function formatBiasMarkdown(report: BiasReport, data: string): string {
  const lines: string[] = [];
  lines.push(`## Bias report: \`${cell(data)}\``, '');
  lines.push(
    `Label \`${cell(report.label)}\`${report.predictions ? `, predictions \`${cell(report.predictions)}\`` : ''}${report.group ? `, group \`${cell(report.group)}\`` : ''}. ${cell(inputLine(report))}.`,
  );
  for (const c of report.facets) {
    lines.push('', `### ${cell(comparisonHeading(c))}`, '');
    lines.push('| metric | value | range | threshold | note |', '| --- | ---: | --- | --- | --- |');
    for (const m of [...c.preTraining, ...c.postTraining]) {
      const i = metricInfo(m.metric);
      lines.push(
        `| [${m.metric}](${i.docs}) | ${fmt(m.value)} | ${i.range} | ${cell(thresholdText(m))} | ${cell(note(m))} |`,
      );
    }
  }
  lines.push('', `### Proxies (flagged above ${report.thresholds.proxy})`, '');
  lines.push('| facet | column | measure | value | flagged |', '| --- | --- | --- | ---: | --- |');
  for (const p of report.proxies)
    lines.push(
      `| ${cell(p.facet)} | ${cell(p.column)} | ${p.measure} | ${fmt(p.value)} | ${p.flagged ? '**yes**' : p.reason ? `no (${cell(p.reason)})` : 'no'} |`,
    );
  lines.push('', `**Summary:** ${cell(summaryLine(report))}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * `compliant-mlops bias`: Clarify's bias metrics and proxy detection on a CSV or JSON lines file.
 * @see lib/fairness/README.md
 */
export const biasCommand: Command = {
  name: 'bias',
  summary:
    'measure data and model bias (Clarify metrics CI, DPL, DI, DPPL…) and facet proxies in CSV or JSON lines',
  usage: USAGE,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    let parsed: ReturnType<typeof parseCommandArgs<typeof OPTIONS, true>>;
    try {
      parsed = parseCommandArgs('bias', args, OPTIONS, true);
    } catch (err) {
      // An unknown option stops parsing; a --format json among the arguments still gets its document.
      const i = args.indexOf('--format');
      if (args.includes('--format=json') || (i >= 0 && args[i + 1] === 'json')) printError(io, 'usage', err);
      throw err;
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    const format = (values.format ?? 'text') as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format: must be text, json or markdown (got ${JSON.stringify(values.format)})`);
    try {
      return await analyze(values, positionals, format, io);
    } catch (err) {
      const usage =
        err instanceof UsageError
          ? err
          : err instanceof BiasInputError
            ? new UsageError(`bias: ${err.message}`)
            : undefined;
      if (usage === undefined) throw err;
      // Machine output carries the error too: a pipeline that parses stdout must not read an empty
      // document as "no bias".
      if (format === 'json') printError(io, err instanceof BiasInputError ? err.reason : 'usage', usage);
      throw usage;
    }
  },
};

/** Writes the `--format json` error document: the report's kind and version, and the error. */
function printError(io: CliIO, reason: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  io.stdout(
    `${JSON.stringify({ kind: BIAS_REPORT_KIND, version: BIAS_REPORT_VERSION, error: { reason, message } }, null, 2)}\n`,
  );
}

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS, true>>['values'];

async function analyze(values: Values, positionals: string[], format: Format, io: CliIO): Promise<number> {
  if (positionals.length !== 1)
    throw new UsageError(`bias: expected one data file (got ${positionals.length})`);
  if (values.label === undefined) throw new UsageError('bias: --label is required');
  if (values.facet === undefined || values.facet.length === 0)
    throw new UsageError('bias: at least one --facet is required');
  const dataFormat = values['data-format'];
  if (dataFormat !== undefined && dataFormat !== 'csv' && dataFormat !== 'jsonl')
    throw new UsageError(`--data-format: must be csv or jsonl (got ${JSON.stringify(dataFormat)})`);
  const proxyThreshold = numberOption(
    values['proxy-threshold'],
    'proxy-threshold',
    DEFAULT_PROXY_THRESHOLD,
    (v) => v >= 0 && v <= 1,
    'expected a number between 0 and 1',
  );
  const failOn = parseFailOn(values['fail-on'] ?? []);
  const shown = positionals[0];
  const path = resolvePath(io.cwd, shown);
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new UsageError(`data file not found: ${shown}${errnoSuffix(err)}`);
  }
  if (!info.isFile()) throw new UsageError(`data file is not a file: ${shown}`);
  let report: BiasReport;
  try {
    report = await analyzeBiasFile(path, {
      label: values.label,
      facets: values.facet,
      ...(values.predictions !== undefined ? { predictions: values.predictions } : {}),
      ...(values.group !== undefined ? { group: values.group } : {}),
      failOn,
      proxyThreshold,
      ...(values.categorical !== undefined
        ? {
            categorical: values.categorical
              .split(',')
              .map((c) => c.trim())
              .filter(Boolean),
          }
        : {}),
      ...(dataFormat !== undefined ? { format: dataFormat as BiasDataFormat } : {}),
      generatedAt: new Date().toISOString(),
    });
  } catch (err) {
    // A spec error is about the arguments, not the file; everything else names the file.
    if (err instanceof BiasInputError && err.reason !== 'badSpec')
      throw new BiasInputError(err.reason, `${shown}: ${err.message}`);
    const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
    if (typeof code === 'string') throw new UsageError(`bias: ${shown}: cannot read (${code})`);
    throw err;
  }
  io.stdout(
    format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === 'markdown'
        ? formatBiasMarkdown(report, shown)
        : formatBiasText(report, shown),
  );
  return report.summary.anyCrossed ? EXIT.findings : EXIT.ok;
}
