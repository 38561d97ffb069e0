import { createHash } from 'node:crypto';
import { Finding, FindingLevel, NotCheckedResource, Report } from './finding';

/** Counts every writer prints in its summary. */
export interface ReportSummary {
  /** Unacknowledged findings. */
  readonly open: number;
  readonly errors: number;
  readonly warnings: number;
  readonly notes: number;
  readonly acknowledged: number;
  /** Inputs that could not be checked. */
  readonly inputErrors: number;
  /** Inputs checked. */
  readonly inputs: number;
}

/** Counts the findings of a report by state and level. */
export function summarize(report: Report): ReportSummary {
  const open = report.findings.filter((f) => !f.acknowledgment);
  const count = (level: FindingLevel): number => open.filter((f) => f.level === level).length;
  return {
    open: open.length,
    errors: count('error'),
    warnings: count('warning'),
    notes: count('note'),
    acknowledged: report.findings.length - open.length,
    inputErrors: report.errors.length,
    inputs: report.inputs.length,
  };
}

/** `3 errors, 1 warning, 0 notes; 4 acknowledged; 2 templates checked; 1 input error`. */
export function summaryLine(report: Report): string {
  const s = summarize(report);
  const n = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
  const parts = [
    `${n(s.errors, 'error')}, ${n(s.warnings, 'warning')}, ${n(s.notes, 'note')}`,
    `${s.acknowledged} acknowledged`,
    `${n(s.inputs, report.tool.command === 'check' ? 'template' : 'input')} checked`,
  ];
  if (s.inputErrors > 0) parts.push(n(s.inputErrors, 'input error'));
  const notChecked = report.notChecked?.length ?? 0;
  if (notChecked > 0) parts.push(`${n(notChecked, 'resource')} not checked`);
  return parts.join('; ');
}

/**
 * A finding's identity across runs: sha256 of `ruleId|stack|logicalId|granular`. Stays the same
 * when lines move or messages change, so code scanning keeps one alert per finding.
 */
export function fingerprintOf(f: Finding): string {
  return createHash('sha256')
    .update(`${f.ruleId}|${f.stack ?? ''}|${f.logicalId ?? f.constructPath ?? ''}|${f.granular ?? ''}`)
    .digest('hex');
}

/** Where a finding is, for people: `stack/logicalId` (or the construct path). */
export function resourceLabel(f: Finding): string {
  return f.logicalId ?? f.constructPath ?? '(stack)';
}

/** `file:line` of a finding: its source when known, else its template line. */
export function locationLabel(f: Finding): string | undefined {
  if (f.source) return `${f.source.file}:${f.source.line}`;
  if (f.templatePath) return f.templateLine ? `${f.templatePath}:${f.templateLine}` : f.templatePath;
  return undefined;
}

/** `template.yaml:5` of a resource that was not checked. */
export function notCheckedLocation(n: NotCheckedResource): string {
  return n.line !== undefined ? `${n.templatePath}:${n.line}` : n.templatePath;
}
