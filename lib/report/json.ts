import { Report } from './finding';
import { fingerprintOf, summarize } from './summary';

/** Version of the JSON report layout; bumped only for incompatible changes. */
export const JSON_REPORT_VERSION = 1;

/**
 * The report as JSON, following `docs/check-report.schema.json`: tool, summary counts, packs,
 * inputs, input errors (with their pack when they concern one), rule descriptors, and findings
 * (each with its stable fingerprint).
 */
export function writeJson(report: Report): string {
  const body = {
    schemaVersion: JSON_REPORT_VERSION,
    tool: report.tool,
    summary: summarize(report),
    packs: report.packs ?? [...new Set(report.findings.map((f) => f.pack))],
    inputs: report.inputs,
    // docs/check-report.schema.json admits { input, message, pack? } per error; pack is the one
    // pack or audit check group the error leaves incomplete, absent when it concerns them all.
    errors: report.errors.map(({ input, message, pack }) => ({
      input,
      message,
      ...(pack !== undefined ? { pack } : {}),
    })),
    // Resources seen but not checked (SAM, nested stacks not on disk); they do not change the exit code.
    notChecked: report.notChecked ?? [],
    rules: report.rules,
    findings: report.findings.map((f) => ({ ...f, fingerprint: fingerprintOf(f) })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
