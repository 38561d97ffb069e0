import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { biasCommand, parseFailOn } from '../../lib/cli/commands/bias';
import { COMMANDS } from '../../lib/cli/commands';
import type { BiasReport } from '../../lib/fairness';
import { fakeIO, REPO } from './fake-io';

const DATA = 'test/fairness/fixtures/loans.csv';
const BASE = [DATA, '--label', 'churned=1', '--facet', 'gender=female', '--facet', 'age:>=40'];

async function run(args: string[]): Promise<{ code: number; out: string; err: string[] }> {
  const io = fakeIO();
  const code = await main(['bias', ...args], io);
  return { code, out: io.out(), err: io.errLines() };
}

describe('compliant-mlops bias', () => {
  it('is registered with its summary', () => {
    expect(COMMANDS.find((c) => c.name === 'bias')?.summary).toBe(biasCommand.summary);
  });

  it('prints one table per facet and the proxies, and exits 0 when nothing crosses a threshold', async () => {
    const { code, out, err } = await run([...BASE, '--categorical', 'zip', '--proxy-threshold', '1']);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toMatch(/^bias test\/fairness\/fixtures\/loans\.csv: label churned=1\n/);
    expect(out).toMatch(/^facet gender=female: d 39 rows, /m);
    expect(out).toMatch(/^facet age:>=40: d 49 rows, /m);
    expect(out).toMatch(/^CDD +- +\[-1, 1\] +no group attribute given \(--group\)$/m);
    expect(out).toMatch(/^gender=female +zip +cramersV +\d\.\d{4} +no$/m);
    expect(out).toMatch(/^0 thresholds crossed; 0 proxies flagged above 1$/m);
    expect(out).not.toMatch(/DPPL/); // no --predictions: pre-training only
  });

  it('exits 1 when a --fail-on threshold is crossed, naming the facet and metric', async () => {
    const { code, out } = await run([
      ...BASE,
      '--predictions',
      'score:>=0.5',
      '--fail-on',
      'DI=0.8,DPL=0.9',
      '--proxy-threshold',
      '1',
    ]);
    expect(code).toBe(1);
    expect(out).toMatch(/^DI +\d+\.\d{4} +\[0, \+inf\) +outside \[0\.8, 1\.25\] +CROSSED$/m);
    expect(out).toMatch(/thresholds crossed \(gender=female DI [\d.]+, age:>=40 DI [\d.]+\)/);
  });

  it('exits 1 when a proxy is flagged (zip stands in for gender)', async () => {
    const { code, out } = await run([...BASE, '--categorical', 'zip', '--proxy-threshold', '0.5']);
    expect(code).toBe(1);
    expect(out).toMatch(/^gender=female +zip +cramersV +0\.\d{4} +yes$/m);
  });

  it('prints the report as JSON with --format json', async () => {
    const { code, out } = await run([
      ...BASE,
      '--group',
      'region',
      '--format',
      'json',
      '--proxy-threshold',
      '1',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as BiasReport;
    expect(report).toMatchObject({
      kind: 'compliant-mlops/bias-report',
      version: 1,
      label: 'churned=1',
      group: 'region',
    });
    expect(report.facets.map((f) => f.facet)).toEqual(['gender=female', 'age:>=40']);
    expect(report.facets[0].preTraining.find((m) => m.metric === 'CDD')!.value).toEqual(expect.any(Number));
    expect(Date.parse(report.generatedAt!)).not.toBeNaN();
  });

  it('prints Markdown tables linking each metric to its Clarify page with --format markdown', async () => {
    const { out } = await run([...BASE, '--format', 'markdown']);
    expect(out).toMatch(/^## Bias report: `test\/fairness\/fixtures\/loans\.csv`$/m);
    expect(out).toMatch(
      /^\| \[CI\]\(https:\/\/docs\.aws\.amazon\.com\/sagemaker\/latest\/dg\/clarify-bias-metric-class-imbalance\.html\) \| 0\.0127 \|/m,
    );
    expect(out).toMatch(/^\*\*Summary:\*\* /m);
  });

  it('reads JSON lines by extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bias-cli-'));
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, ['{"y":1,"g":"a"}', '{"y":0,"g":"b"}', '{"y":1,"g":"b"}'].join('\n'));
    const { code, out } = await run([file, '--label', 'y', '--facet', 'g=a', '--format', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(out) as BiasReport).facets[0].d).toEqual({ rows: 1, labelPositive: 1 });
  });

  it.each([
    [
      ['--label', 'churned', '--facet', 'gender'],
      /^compliant-mlops: bias: expected one data file \(got 0\)$/,
    ],
    [[DATA, '--facet', 'gender'], /^compliant-mlops: bias: --label is required$/],
    [[DATA, '--label', 'churned'], /^compliant-mlops: bias: at least one --facet is required$/],
    [
      [...BASE, '--format', 'xml'],
      /^compliant-mlops: --format: must be text, json or markdown \(got "xml"\)$/,
    ],
    [
      [...BASE, '--fail-on', 'XX=1'],
      /^compliant-mlops: --fail-on: expected METRIC=threshold with METRIC one of CI, /,
    ],
    [
      [...BASE, '--fail-on', 'DI=2'],
      /^compliant-mlops: --fail-on DI: expected a number in \(0, 1\] \(got "2"\)$/,
    ],
    [
      [...BASE, '--proxy-threshold', 'x'],
      /^compliant-mlops: --proxy-threshold: expected a number between 0 and 1/,
    ],
    [['missing.csv', '--label', 'y', '--facet', 'g'], /^compliant-mlops: data file not found: missing\.csv$/],
    [
      [DATA, '--label', 'churned', '--facet', 'age:40'],
      /^compliant-mlops: bias: --facet: the threshold needs an operator/,
    ],
    [
      [DATA, '--label', 'nope', '--facet', 'gender'],
      /^compliant-mlops: bias: test\/fairness\/fixtures\/loans\.csv: no column "nope" in the data/,
    ],
    [[...BASE, '--nope'], /^compliant-mlops: bias: Unknown option '--nope'/],
  ])('exits 2 with one stderr line and no stack trace for %j', async (args, message) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(out).toBe('');
  });

  it('still prints the error as JSON on stdout with --format json, with its reason', async () => {
    const { code, out, err } = await run([DATA, '--label', 'nope', '--facet', 'gender', '--format', 'json']);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(JSON.parse(out)).toEqual({
      kind: 'compliant-mlops/bias-report',
      version: 1,
      error: {
        reason: 'missingColumn',
        message: expect.stringMatching(/^bias: .*no column "nope" in the data/),
      },
    });
    const usage = await run(['--label', 'y', '--facet', 'g', '--format', 'json']);
    expect(JSON.parse(usage.out).error).toEqual({
      reason: 'usage',
      message: 'bias: expected one data file (got 0)',
    });
    const unknown = await run([...BASE, '--nope', '--format', 'json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.out).error).toEqual({
      reason: 'usage',
      message: expect.stringMatching(/^bias: Unknown option '--nope'/),
    });
  });

  it('parses --fail-on names case-insensitively, with Clarify aliases', () => {
    expect(parseFailOn(['ci=0.2', 'DCA=0.1', 'cddl=0.3', 'Lp=0.5'])).toEqual({
      CI: 0.2,
      DCAcc: 0.1,
      CDD: 0.3,
      LP: 0.5,
    });
  });

  it('runs without loading aws-cdk-lib, cdk-nag or the AWS SDK (the statistics are CDK-free)', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        join(__dirname, 'support', 'refuse-heavy-modules.mjs'),
        '--import',
        'tsx',
        'bin/cli.ts',
        'bias',
        ...BASE,
        '--proxy-threshold',
        '1',
      ],
      { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^0 thresholds crossed/m);
  });
});
