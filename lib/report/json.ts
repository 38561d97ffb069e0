import { Report } from './finding';
import { fingerprintOf, summarize } from './summary';

/** Version of the JSON report layout; bumped only for incompatible changes. */
export const JSON_REPORT_VERSION = 1;

/**
 * The report as JSON, following `docs/check-report.schema.json`: tool, summary counts, packs,
 * inputs, input errors, rule descriptors, and findings (each with its stable fingerprint).
 */
export function writeJson(report: Report): string {
  const body = {
    schemaVersion: JSON_REPORT_VERSION,
    tool: report.tool,
    summary: summarize(report),
    packs: report.packs ?? [...new Set(report.findings.map((f) => f.pack))],
    inputs: report.inputs,
    // docs/check-report.schema.json admits exactly { input, message } per error.
    errors: report.errors.map(({ input, message }) => ({ input, message })),
    rules: report.rules,
    findings: report.findings.map((f) => ({ ...f, fingerprint: fingerprintOf(f) })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
