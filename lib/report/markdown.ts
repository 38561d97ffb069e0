import { Finding, Report } from './finding';
import { locationLabel, notCheckedLocation, resourceLabel, summaryLine } from './summary';

/** Options of {@link writeMarkdown}. */
export interface MarkdownOptions {
  /**
   * Most findings listed per table; the rest are counted. GitHub comments hold 65,536 characters.
   * @default 200
   */
  readonly maxRows?: number;
}

/**
 * The report as Markdown for pull-request comments: a summary line, a table of open findings,
 * acknowledged findings in a collapsed section, and input errors.
 */
export function writeMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const max = options.maxRows ?? 200;
  const open = report.findings.filter((f) => !f.acknowledgment);
  const acked = report.findings.filter((f) => f.acknowledgment);
  const out: string[] = [`### ${report.tool.name} ${report.tool.command}`, '', summaryLine(report), ''];
  if (open.length > 0) {
    out.push('| Level | Rule | Resource | Stack | Message | Location |', '|---|---|---|---|---|---|');
    for (const f of open.slice(0, max)) {
      out.push(
        row([
          icon(f),
          code(f.ruleId) + granular(f),
          resource(f),
          cell(f.stack ?? ''),
          cell(f.message),
          loc(f),
        ]),
      );
    }
    if (open.length > max) out.push('', `…and ${open.length - max} more.`);
    out.push('');
  } else if (report.errors.length === 0) {
    out.push('No open findings.', '');
  }
  if (acked.length > 0) {
    out.push(`<details><summary>${acked.length} acknowledged</summary>`, '');
    out.push('| Rule | Resource | Reason | Owner | Expires |', '|---|---|---|---|---|');
    for (const f of acked.slice(0, max)) {
      const a = f.acknowledgment!;
      out.push(
        row([
          code(f.ruleId) + granular(f),
          resource(f),
          cell(a.reason),
          cell(a.owner ?? ''),
          cell(a.expires ?? ''),
        ]),
      );
    }
    if (acked.length > max) out.push('', `…and ${acked.length - max} more.`);
    out.push('', '</details>', '');
  }
  const notChecked = report.notChecked ?? [];
  if (notChecked.length > 0) {
    out.push(`**Not checked** (${notChecked.length})`, '');
    for (const n of notChecked.slice(0, max))
      out.push(
        `- ${code(n.logicalId)} ${cell(n.resourceType)} at ${code(notCheckedLocation(n))}: ${cell(n.reason)}`,
      );
    if (notChecked.length > max) out.push('', `…and ${notChecked.length - max} more.`);
    out.push('');
  }
  if (report.errors.length > 0) {
    out.push('**Input errors**', '');
    for (const e of report.errors) out.push(`- ${code(e.input)}: ${cell(e.message)}`);
    out.push('');
  }
  return out.join('\n');
}

function icon(f: Finding): string {
  return f.level === 'error' ? '🔴 error' : f.level === 'warning' ? '🟡 warning' : '🔵 note';
}

function granular(f: Finding): string {
  return f.granular !== undefined ? ` ${code(f.granular)}` : '';
}

function resource(f: Finding): string {
  return code(resourceLabel(f)) + (f.resourceType ? `<br>${cell(f.resourceType)}` : '');
}

function loc(f: Finding): string {
  const l = locationLabel(f);
  return l ? code(l) : '';
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Escapes table-breaking characters and HTML in a cell. */
function cell(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

function code(s: string): string {
  // A code span cannot hold a backtick run of its own length; pipes still need escaping in tables.
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${ticks}`;
}
