import { Finding, Report } from './finding';
import { locationLabel, resourceLabel, summaryLine } from './summary';

/**
 * The report as JUnit XML for CI test views: one test suite per pack, one test case per rule ×
 * resource (granular findings of one rule on one resource share a case). A case fails when any
 * of its findings is unacknowledged and is skipped when all are acknowledged. Input errors are
 * test cases with an `<error>` in an `inputs` suite.
 */
export function writeJunit(report: Report): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const packs = [...new Set(report.findings.map((f) => f.pack))];
  for (const pack of packs) {
    const cases = new Map<string, Finding[]>();
    for (const f of report.findings.filter((x) => x.pack === pack)) {
      const key = `${f.ruleId}\u0000${f.stack ?? ''}\u0000${resourceLabel(f)}`;
      cases.set(key, [...(cases.get(key) ?? []), f]);
    }
    const body: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const findings of cases.values()) {
      const f = findings[0];
      const open = findings.filter((x) => !x.acknowledgment);
      const name = `${f.ruleId} ${resourceLabel(f)}`;
      const classname = [pack, f.stack].filter(Boolean).join('.');
      const attrs = `name="${xml(name)}" classname="${xml(classname)}"${f.templatePath ? ` file="${xml(f.source?.file ?? f.templatePath)}"` : ''}`;
      if (open.length > 0) {
        suiteFailures++;
        const text = open.map(detail).join('\n');
        const type = open.some((x) => x.level === 'error') ? 'error' : open[0].level;
        body.push(
          `    <testcase ${attrs}>\n      <failure message="${xml(open[0].message)}" type="${type}">${xml(text)}</failure>\n    </testcase>`,
        );
      } else {
        suiteSkipped++;
        const a = f.acknowledgment!;
        const why = `acknowledged: ${a.reason}${a.owner ? ` (owner ${a.owner}` : ' ('}${a.expires ? `, until ${a.expires}` : ''})`;
        body.push(`    <testcase ${attrs}>\n      <skipped message="${xml(why)}"/>\n    </testcase>`);
      }
    }
    tests += cases.size;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${xml(pack)}" tests="${cases.size}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}">\n${body.join('\n')}\n  </testsuite>`,
    );
  }
  if (report.errors.length > 0) {
    const body = report.errors.map(
      (e) =>
        `    <testcase name="${xml(e.input)}" classname="inputs">\n      <error message="${xml(e.message)}" type="input"/>\n    </testcase>`,
    );
    tests += report.errors.length;
    suites.push(
      `  <testsuite name="inputs" tests="${report.errors.length}" failures="0" errors="${report.errors.length}" skipped="0">\n${body.join('\n')}\n  </testsuite>`,
    );
  }
  const notChecked = report.notChecked ?? [];
  if (notChecked.length > 0) {
    const body = notChecked.map(
      (n) =>
        `    <testcase name="${xml(`${n.logicalId} ${n.resourceType}`)}" classname="${xml(['not-checked', n.stack].filter(Boolean).join('.'))}" file="${xml(n.templatePath)}">\n      <skipped message="${xml(`not checked: ${n.reason}`)}"/>\n    </testcase>`,
    );
    tests += notChecked.length;
    skipped += notChecked.length;
    suites.push(
      `  <testsuite name="not checked" tests="${notChecked.length}" failures="0" errors="0" skipped="${notChecked.length}">\n${body.join('\n')}\n  </testsuite>`,
    );
  }
  const name = `${report.tool.name} ${report.tool.command}: ${summaryLine(report)}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${tests}" failures="${failures}" errors="${report.errors.length}" skipped="${skipped}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function detail(f: Finding): string {
  const granular = f.granular !== undefined ? ` [${f.granular}]` : '';
  const location = locationLabel(f);
  return `${f.level}: ${f.findingId === f.ruleId ? f.ruleId : f.ruleId + granular}: ${f.message}${location ? ` at ${location}` : ''}${f.constructPath ? ` (${f.constructPath})` : ''}`;
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
