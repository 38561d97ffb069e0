import { Finding, FindingLevel, Report } from './finding';
import { locationLabel, notCheckedLocation, resourceLabel, summaryLine } from './summary';

/** Options of {@link writeText}. */
export interface TextOptions {
  /**
   * ANSI colours (the CLI sets it only on a TTY with `NO_COLOR` unset).
   * @default false
   */
  readonly color?: boolean;
}

const ANSI = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1, green: 32 } as const;

/**
 * A report for people: findings grouped by stack (or template), then by resource, acknowledged
 * ones marked with their reason, owner and expiry; input errors; and a summary line.
 */
export function writeText(report: Report, options: TextOptions = {}): string {
  const paint = (code: keyof typeof ANSI, s: string): string =>
    options.color ? `\u001b[${ANSI[code]}m${s}\u001b[0m` : s;
  const levelColor: Record<FindingLevel, keyof typeof ANSI> = {
    error: 'red',
    warning: 'yellow',
    note: 'cyan',
  };
  const out: string[] = [];
  const groups = groupBy(report.findings, (f) => `${f.stack ?? ''}\u0000${f.templatePath ?? ''}`);
  for (const findings of groups.values()) {
    const first = findings[0];
    const where = first.templatePath && first.templatePath !== first.stack ? ` (${first.templatePath})` : '';
    out.push(paint('bold', `${first.stack ?? first.templatePath ?? ''}${where}`));
    for (const perResource of groupBy(findings, resourceLabel).values()) {
      const r = perResource[0];
      const extra = [r.resourceType, r.constructPath].filter(Boolean).join('  ');
      out.push(`  ${resourceLabel(r)}${extra ? paint('dim', `  ${extra}`) : ''}`);
      for (const f of perResource) out.push(...findingLines(f, paint, levelColor));
    }
    out.push('');
  }
  if (report.errors.length > 0) {
    out.push(paint('bold', 'input errors'));
    for (const e of report.errors) out.push(`  ${paint('red', 'error')}  ${e.input}: ${e.message}`);
    out.push('');
  }
  const notChecked = report.notChecked ?? [];
  if (notChecked.length > 0) {
    out.push(paint('bold', 'not checked'));
    for (const n of notChecked) {
      out.push(
        `  ${paint('yellow', 'skipped')}  ${n.logicalId}  ${n.resourceType}${paint('dim', `  ${notCheckedLocation(n)}`)}`,
      );
      out.push(`           ${n.reason}`);
    }
    out.push('');
  }
  if (report.findings.length === 0 && report.errors.length === 0) out.push(paint('green', 'no findings'));
  out.push(summaryLine(report));
  return `${out.join('\n')}\n`;
}

function findingLines(
  f: Finding,
  paint: (code: keyof typeof ANSI, s: string) => string,
  levelColor: Record<FindingLevel, keyof typeof ANSI>,
): string[] {
  const location = locationLabel(f);
  const state = f.acknowledgment ? paint('dim', 'acked  ') : paint(levelColor[f.level], f.level.padEnd(7));
  const granular = f.granular !== undefined ? ` [${f.granular}]` : '';
  const lines = [
    `    ${state} ${f.ruleId}${granular}  ${f.message}${location ? paint('dim', `  ${location}`) : ''}`,
  ];
  if (f.acknowledgment) {
    const a = f.acknowledgment;
    const who = [a.owner && `owner ${a.owner}`, a.expires && `until ${a.expires}`, `from ${a.source}`]
      .filter(Boolean)
      .join(', ');
    lines.push(paint('dim', `            ${a.reason} (${who})`));
  }
  return lines;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
