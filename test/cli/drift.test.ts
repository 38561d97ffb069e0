import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../lib/cli/command';
import { baselineCommand } from '../../lib/cli/commands/baseline';
import { driftCommand } from '../../lib/cli/commands/drift';
import type { DriftReport } from '../../lib/drift/analysis';

const FIXTURES = join(__dirname, '..', 'fixtures', 'drift');
let dir: string;
let baselinePath: string;

function fakeIO(cwd = FIXTURES): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env: {}, cwd };
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const io = fakeIO();
  const code = await driftCommand.run(args, io);
  return { code, out: io.out.join('') };
}

async function usageError(args: string[], message: RegExp): Promise<void> {
  const io = fakeIO();
  const p = driftCommand.run(args, io);
  await expect(p).rejects.toThrow(UsageError);
  await expect(p).rejects.toThrow(message);
  expect(io.out).toEqual([]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drift-cli-'));
  baselinePath = join(dir, 'baseline.json');
  const code = await baselineCommand.run(
    ['training.csv', '-o', baselinePath, '--target', 'label', '--categorical', 'zip'],
    fakeIO(),
  );
  expect(code).toBe(0);
});

describe('compliant-mlops drift', () => {
  it('prints a per-feature table and exits 0 without drift', async () => {
    const { code, out } = await run(['--baseline', baselinePath, 'capture-stable.jsonl', '--fail-on-drift']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(
      /^baseline sha256:[0-9a-f]{12}… {2}capture: 400 rows from 400 records in 1 file$/,
    );
    expect(lines[2]).toMatch(/^feature\s+type\s+n base\s+n obs\s+PSI\s+KS D\s+chi2\s+p-value\s+drifted$/);
    expect(lines[3]).toMatch(/^age\s+numeric\s+\d+\s+\d+\s+0\.\d{4}\s+0\.\d{4}\s+-\s+0\.\d{4}\s+no$/);
    expect(lines[5]).toMatch(
      /^segment\s+categorical\s+5000\s+400\s+0\.\d{4}\s+-\s+\d+\.\d{2}\s+0\.\d{4}\s+no$/,
    );
    expect(out).toContain(
      '0 of 4 features drifted (0.0%); thresholds: PSI >= 0.2 or p-value < 0.01, at least 100 values',
    );
  });

  it('exits 0 on drift by default and 1 with --fail-on-drift', async () => {
    const plain = await run(['-b', baselinePath, 'capture-drifted.jsonl']);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/^age\s.*\byes$/m);
    expect(plain.out).toContain('2 of 4 features drifted (50.0%): age, segment');
    expect((await run(['-b', baselinePath, 'capture-drifted.jsonl', '--fail-on-drift'])).code).toBe(1);
  });

  it('prints the JSON report with --format json', async () => {
    const { code, out } = await run([
      '--baseline',
      baselinePath,
      'capture-drifted.jsonl',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as DriftReport;
    expect(report.kind).toBe('compliant-mlops/drift-report');
    expect(report.summary.drifted).toEqual(['age', 'segment']);
    expect(report.features[0].ks?.method).toBe('asymptotic');
    expect(report.input.rows).toBe(400);
    expect(Date.parse(report.generatedAt ?? '')).not.toBeNaN();
  });

  it('applies --psi-threshold, --p-value and --min-samples', async () => {
    const lax = await run([
      '-b',
      baselinePath,
      'capture-drifted.jsonl',
      '--psi-threshold',
      '50',
      '--p-value',
      '1e-300',
      '--fail-on-drift',
    ]);
    expect(lax.code).toBe(0);
    expect(lax.out).toContain('thresholds: PSI >= 50 or p-value < 1e-300');
    const few = await run([
      '-b',
      baselinePath,
      'capture-drifted.jsonl',
      '--min-samples',
      '1000',
      '--fail-on-drift',
    ]);
    expect(few.code).toBe(0);
    expect(few.out).toMatch(/^age\s.*no \(n<1000\)$/m);
  });

  it('searches directories recursively for .jsonl files and reports rejected lines', async () => {
    const capDir = join(dir, 'captures', 'endpoint', 'AllTraffic', '2025', '01', '01', '00');
    mkdirSync(capDir, { recursive: true });
    copyFileSync(join(FIXTURES, 'capture-stable.jsonl'), join(capDir, 'a.jsonl'));
    writeFileSync(
      join(capDir, 'b.jsonl'),
      `${readFileSync(join(FIXTURES, 'capture-stable.jsonl'), 'utf8').slice(0, 5000)}\nnot json\n`,
    );
    writeFileSync(join(capDir, 'ignored.txt'), 'not a capture');
    const { code, out } = await run(['-b', baselinePath, join(dir, 'captures')]);
    expect(code).toBe(0);
    expect(out).toMatch(/in 2 files\n/);
    expect(out).toMatch(/^rejected: truncatedLine 1, invalidJson 1$/m);
  });

  it('fails with exit 2 on bad arguments', async () => {
    await usageError(['capture-stable.jsonl'], /^drift: --baseline is required$/);
    await usageError(['-b', baselinePath], /^drift: expected at least one capture file or directory$/);
    await usageError(
      ['-b', baselinePath, 'capture-stable.jsonl', '--format', 'xml'],
      /^--format: must be text or json \(got "xml"\)$/,
    );
    await usageError(
      ['-b', baselinePath, 'capture-stable.jsonl', '--p-value', '2'],
      /^--p-value: expected a number between 0 and 1 \(got "2"\)$/,
    );
    await usageError(
      ['-b', baselinePath, 'capture-stable.jsonl', '--psi-threshold', 'abc'],
      /^--psi-threshold: expected a number > 0/,
    );
    await usageError(
      ['-b', baselinePath, 'capture-stable.jsonl', '--min-samples', '0'],
      /^--min-samples: expected an integer >= 1/,
    );
    await usageError(['-b', baselinePath, 'capture-stable.jsonl', '--nope'], /Unknown option '--nope'/);
  });

  it('fails with exit 2 on a missing baseline or capture path', async () => {
    await usageError(['-b', 'missing.json', 'capture-stable.jsonl'], /^baseline not found: missing\.json$/);
    await usageError(['-b', baselinePath, 'missing.jsonl'], /^capture path not found: missing\.jsonl$/);
    const empty = mkdtempSync(join(tmpdir(), 'drift-empty-'));
    await usageError(['-b', baselinePath, empty], /^no capture files \(\*\.jsonl\) under /);
  });

  it('fails with exit 2 on a malformed baseline', async () => {
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, 'nope');
    await usageError(
      ['-b', notJson, 'capture-stable.jsonl'],
      /not-json\.json: not a usable drift baseline: not valid JSON$/,
    );
    await usageError(
      ['-b', join(FIXTURES, 'training.jsonl'), 'capture-stable.jsonl'],
      /not a usable drift baseline: not valid JSON$/,
    );
    const tampered = JSON.parse(readFileSync(baselinePath, 'utf8')) as { features: { name: string }[] };
    tampered.features[0].name = 'renamed';
    const tamperedPath = join(dir, 'tampered.json');
    writeFileSync(tamperedPath, JSON.stringify(tampered));
    await usageError(
      ['-b', tamperedPath, 'capture-stable.jsonl'],
      /tampered\.json: not a usable drift baseline: schemaHash: does not match the features/,
    );
    const partial = join(dir, 'partial.json');
    writeFileSync(partial, JSON.stringify({ kind: 'compliant-mlops/drift-baseline', schemaVersion: 1 }));
    await usageError(
      ['-b', partial, 'capture-stable.jsonl'],
      /partial\.json: not a usable drift baseline: schemaHash: /,
    );
  });

  it('fails with exit 2 on a capture with no parsable records', async () => {
    await usageError(
      ['-b', baselinePath, 'capture-garbage.jsonl'],
      /^capture \(1 file\): no parsable capture records in 3 lines \(truncatedLine 1, invalidJson 1, notCaptureRecord 1\)$/,
    );
  });

  it('fails with exit 2 on a capture or baseline from another schema', async () => {
    await usageError(
      ['-b', baselinePath, 'capture-other-schema.jsonl'],
      /^capture \(1 file\): the capture does not match the baseline schema sha256:[0-9a-f]{12}… \(4 features: age, income, segment, zip\): 50 rows rejected \(50 with 6 columns\), 0 accepted$/,
    );
    await usageError(
      ['-b', baselinePath, 'capture-stable.jsonl', '--schema-hash', `sha256:${'a'.repeat(64)}`],
      /is not the expected sha256:a{64}$/,
    );
  });

  it('prints help and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: compliant-mlops drift');
  });
});
