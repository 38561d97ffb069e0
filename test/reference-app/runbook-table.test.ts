import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

/** The construct ids the runbook table names (`<...>` stands for any name part). */
function runbookNames(): RegExp[] {
  const readme = readFileSync(join(ROOT, 'constructs', 'monitoring', 'README.md'), 'utf8');
  const start = readme.indexOf('### Runbook template');
  const table = readme.slice(start, readme.indexOf('\n## ', start));
  const names: RegExp[] = [];
  for (const row of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const alarmCell = row.split('|')[2] ?? '';
    for (const [, name] of alarmCell.matchAll(/`([^`]+)`/g)) {
      // A name must begin with its own words: a leading `<...>` would match any alarm.
      expect(name, `runbook table: ${name}`).toMatch(/^[A-Za-z]/);
      const pattern = name
        .split(/<[^>]+>/)
        .map((part) => part.replace(/[^A-Za-z0-9]/g, ''))
        .join('[A-Za-z0-9]+');
      names.push(new RegExp(`${pattern}$`));
    }
  }
  return names;
}

/** Every alarm of the reference app, by logical id without its hash suffix. */
function referenceAlarms(): string[] {
  const dir = join(ROOT, 'test', 'reference-app', 'logical-ids');
  return readdirSync(dir)
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter((l) => l.endsWith(' AWS::CloudWatch::Alarm'))
    .map((l) => l.split(' ')[0].replace(/[0-9A-F]{8}$/, ''));
}

// Issue 19: "README has a runbook template per alarm the library creates". The logical-id pins
// list every alarm the reference app synthesizes; each must end in a construct id the runbook
// table of constructs/monitoring/README.md names.
describe('runbook table', () => {
  it('names every alarm the reference app creates', () => {
    const names = runbookNames();
    const alarms = referenceAlarms();
    expect(alarms.length).toBeGreaterThan(40);
    expect(alarms.filter((a) => !names.some((n) => n.test(a)))).toEqual([]);
  });
});
