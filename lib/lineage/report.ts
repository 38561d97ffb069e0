import type { CaptureSearch } from './capture-search';
import type { FactValue, LineageChain, LineageLink } from './chain';

/** Output formats of the lineage command. */
export const LINEAGE_FORMATS = ['text', 'json', 'markdown'] as const;

/** One of {@link LINEAGE_FORMATS}. */
export type LineageFormat = (typeof LINEAGE_FORMATS)[number];

/** What the lineage command reports: the chain, the captured inference, or both. */
export interface LineageReport {
  readonly chain?: LineageChain;
  readonly inference?: CaptureSearch;
  /** Access errors, one line each (they make the exit code 2). */
  readonly errors: readonly string[];
}

/** Exit codes: 0 whole chain read (and the inference found), 1 a link broken or not approved, 2 access errors. */
export function lineageExitCode(report: LineageReport): 0 | 1 | 2 {
  if (report.errors.length > 0) return 2;
  const broken = report.chain?.links.some((l) => l.status !== 'read') ?? false;
  const inf = report.inference;
  const lost = inf !== undefined && (inf.matches.length === 0 || inf.notRead.length > 0);
  return broken || lost ? 1 : 0;
}

/** The access errors of a report: every link or object not read because access was denied. */
export function accessErrors(
  chain: LineageChain | undefined,
  inference: CaptureSearch | undefined,
): string[] {
  const out: string[] = [];
  for (const l of chain?.links ?? [])
    if (l.reason === 'access denied') out.push(`${l.kind} ${l.name}: access denied (${l.detail ?? ''})`);
  for (const n of inference?.notRead ?? [])
    if (n.reason === 'access denied') out.push(`${n.object}: access denied (${n.detail})`);
  return out;
}

function fact(v: FactValue): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.join('; ');
  return Object.entries(v as Record<string, string>)
    .map(([k, x]) => `${k}=${x}`)
    .join('; ');
}

function statusWord(l: LineageLink): string {
  return l.status === 'not-read' ? `NOT READ (${l.reason ?? 'error'})` : l.status.toUpperCase();
}

function depth(l: LineageLink): number {
  return [
    'endpoint',
    'endpoint-config',
    'model',
    'model-package',
    'training-job',
    'dataset-manifest',
    'dataset-object',
  ].indexOf(l.kind);
}

/** Renders a report; JSON carries everything, errors included. */
export function renderLineage(report: LineageReport, format: LineageFormat): string {
  if (format === 'json')
    return `${JSON.stringify({ ...report, exitCode: lineageExitCode(report) }, null, 2)}\n`;
  const md = format === 'markdown';
  const lines: string[] = [];
  if (report.chain) {
    lines.push(
      md
        ? `# Lineage of endpoint \`${report.chain.endpointName}\``
        : `lineage of endpoint ${report.chain.endpointName}`,
    );
    if (md) lines.push('', '| link | status | via | facts |', '|---|---|---|---|');
    for (const l of report.chain.links) {
      const facts = Object.entries(l.facts).map(([k, v]) => `${k}: ${fact(v)}`);
      if (l.detail) facts.unshift(l.detail);
      if (md) {
        const cell = (s: string): string => s.replace(/\|/g, '\\|');
        lines.push(
          `| ${l.kind} \`${cell(l.name)}\` | ${statusWord(l)} | ${l.via ?? ''} | ${cell(facts.join('<br>'))} |`,
        );
      } else {
        const pad = '  '.repeat(Math.max(0, depth(l)));
        lines.push(`${pad}${l.kind} ${l.name}: ${statusWord(l)}${l.via ? ` (via ${l.via})` : ''}`);
        for (const f of facts) lines.push(`${pad}    ${f}`);
      }
    }
  }
  const inf = report.inference;
  if (inf) {
    if (lines.length) lines.push('');
    lines.push(md ? `# Inference \`${inf.inferenceId}\`` : `inference ${inf.inferenceId} in ${inf.capture}`);
    if (md) lines.push('', `capture: \`${inf.capture}\``);
    lines.push(
      `${inf.matches.length === 0 ? 'not found' : `${inf.matches.length} match(es)`} in ${inf.objectsRead} object(s), ${inf.pages} page(s)${inf.truncated ? ' (stopped at a limit: more objects not read)' : ''}`,
    );
    for (const m of inf.matches) {
      lines.push(
        `${md ? '- ' : '  '}${m.object} line ${m.line}${m.inferenceTime ? ` at ${m.inferenceTime}` : ''}${m.eventId ? ` event ${m.eventId}` : ''}`,
      );
      if (m.request)
        lines.push(`${md ? '  - ' : '    '}request (${m.request.contentType ?? '?'}): ${m.request.data}`);
      if (m.response)
        lines.push(`${md ? '  - ' : '    '}response (${m.response.contentType ?? '?'}): ${m.response.data}`);
    }
    for (const n of inf.notRead)
      lines.push(`${md ? '- ' : '  '}NOT READ (${n.reason}) ${n.object}: ${n.detail}`);
  }
  return `${lines.join('\n')}\n`;
}
