import type { CostReport } from './cost';
import type { ModelCost } from './analysis';

/** Output formats of `compliant-mlops cost`, as the checker names them. */
export const COST_FORMATS = ['text', 'json', 'markdown'] as const;

/** One of {@link COST_FORMATS}. */
export type CostFormat = (typeof COST_FORMATS)[number];

/** Whether `s` names a format of {@link COST_FORMATS}. */
export function isCostFormat(s: string): s is CostFormat {
  return (COST_FORMATS as readonly string[]).includes(s);
}

function money(v: number): string {
  return v.toFixed(2);
}

function trendCell(m: ModelCost): string {
  if (!m.trend) return '-';
  const sign = m.trend.change > 0 ? '+' : '';
  const pct = m.trend.changeRatio === null ? 'new' : `${sign}${(m.trend.changeRatio * 100).toFixed(1)}%`;
  return `${sign}${money(m.trend.change)} (${pct})`;
}

function rows(report: CostReport): string[][] {
  return report.models.map((m) => [
    m.model,
    ...m.perPeriod.map(money),
    money(m.total),
    `${(m.share * 100).toFixed(1)}%`,
    trendCell(m),
  ]);
}

function header(report: CostReport): string[] {
  return ['model', ...report.periods, 'total', 'share', 'trend (last vs previous)'];
}

function summaryLines(report: CostReport): string[] {
  const cur = report.currency ?? '';
  const lines: string[] = [];
  const s = report.steadiness;
  if (s) {
    const cv = s.coefficientOfVariation === null ? '-' : s.coefficientOfVariation.toFixed(3);
    lines.push(
      `daily cost: mean ${money(s.mean)} ${cur} over ${s.days} days, coefficient of variation ${cv} (steady when ≤ ${s.maxCoefficientOfVariation} over at least 7 days): ${s.steady ? 'steady' : 'not steady'}`,
    );
  }
  const sp = report.savingsPlans;
  if (sp) {
    lines.push(
      sp.hourlyCommitment === null || sp.hourlyCommitment === 0
        ? `savings plans (SageMaker, ${sp.term}, ${sp.payment}, lookback ${sp.lookback}): no purchase recommended`
        : `savings plans (SageMaker, ${sp.term}, ${sp.payment}, lookback ${sp.lookback}): commit ${sp.hourlyCommitment} ${sp.currency ?? cur}/hour, estimated savings ${sp.estimatedMonthlySavings ?? '-'} ${sp.currency ?? cur}/month (${sp.estimatedSavingsPercentage ?? '-'}%)`,
    );
  } else if (s && !s.steady) {
    lines.push('savings plans: not asked for (usage not steady)');
  }
  lines.push(
    'spot savings: not reported (Cost Explorer has no on-demand price for spot usage; audit --checks training-jobs reports Audit-TrainingJobSpotSavings)',
  );
  if (report.estimated) lines.push('note: some periods are still estimated by Cost Explorer');
  for (const e of report.errors) lines.push(`error: ${e.operation}: ${e.code}: ${e.message}`);
  return lines;
}

/** Renders the report as an aligned table followed by the summary lines. */
export function formatCostText(report: CostReport): string {
  const head = header(report);
  const body = rows(report);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const render = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const lines = [
    `SageMaker cost per ${report.tagKey} (${report.metric}, ${report.currency ?? '-'}), ${report.window.start} to ${report.window.end} (end exclusive), ${report.granularity.toLowerCase()}: total ${money(report.total)}`,
    '',
  ];
  if (body.length > 0) {
    lines.push(render(head));
    for (const r of body) lines.push(render(r));
  } else {
    lines.push('no SageMaker cost in the window');
  }
  lines.push('', ...summaryLines(report));
  return `${lines.join('\n')}\n`;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Renders the report as GitHub-flavoured Markdown (a table and a list). */
export function formatCostMarkdown(report: CostReport): string {
  const head = header(report);
  const lines = [
    `## SageMaker cost per \`${report.tagKey}\``,
    '',
    `${report.window.start} to ${report.window.end} (end exclusive), ${report.granularity.toLowerCase()}, ${report.metric} in ${report.currency ?? '-'}: total **${money(report.total)}**`,
    '',
  ];
  if (report.models.length > 0) {
    lines.push(`| ${head.map(mdCell).join(' | ')} |`);
    lines.push(`| ${head.map((_, i) => (i === 0 || i === head.length - 1 ? '---' : '---:')).join(' | ')} |`);
    for (const r of rows(report)) lines.push(`| ${r.map(mdCell).join(' | ')} |`);
  } else {
    lines.push('No SageMaker cost in the window.');
  }
  lines.push('', ...summaryLines(report).map((l) => `- ${l}`));
  return `${lines.join('\n')}\n`;
}

/** Renders the report in `format`. */
export function formatCostReport(report: CostReport, format: CostFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'markdown') return formatCostMarkdown(report);
  return formatCostText(report);
}
