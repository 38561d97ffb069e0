import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../lib/cli/command';
import { baselineCommand } from '../../lib/cli/commands/baseline';
import { parseBaseline } from '../../lib/drift/baseline';

const FIXTURES = join(__dirname, '..', 'fixtures', 'drift');

function fakeIO(cwd = FIXTURES): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env: {}, cwd };
}

async function usageError(args: string[], message: RegExp, cwd?: string): Promise<void> {
  const io = fakeIO(cwd);
  const run = baselineCommand.run(args, io);
  await expect(run).rejects.toThrow(UsageError);
  await expect(run).rejects.toThrow(message);
  expect(io.out).toEqual([]);
}

describe('compliant-mlops baseline', () => {
  it('writes a baseline file and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-cli-'));
    const io = fakeIO();
    const code = await baselineCommand.run(
      ['training.csv', '--output', join(dir, 'b.json'), '--target', 'label', '--categorical', 'zip'],
      io,
    );
    expect(code).toBe(0);
    expect(io.out.join('')).toMatch(
      /^wrote .*b\.json: 4 features \(2 numeric, 2 categorical\) from 5000 rows, schema sha256:[0-9a-f]{64}\n$/,
    );
    const b = parseBaseline(readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(b.features.map((f) => f.name)).toEqual(['age', 'income', 'segment', 'zip']);
    expect(b.target).toBe('label');
  });

  it('writes byte-identical baselines on every run (seeded reservoir)', async () => {
    const run = async (): Promise<string> => {
      const io = fakeIO();
      expect(await baselineCommand.run(['training.csv', '-o', '-', '--target', 'label'], io)).toBe(0);
      expect(io.err.join('')).toMatch(/^baseline: 4 features \(3 numeric, 1 categorical\) from 5000 rows/);
      return io.out.join('');
    };
    const first = await run();
    expect(await run()).toBe(first);
    // Number arrays stay on one line so reviews can diff the document.
    expect(first).toMatch(/"binCounts": \[\d+(, \d+){9}\]/);
    const withSeed = fakeIO();
    await baselineCommand.run(
      ['training.csv', '-o', '-', '--target', 'label', '--seed', '7', '--sample-size', '100'],
      withSeed,
    );
    const seeded = parseBaseline(withSeed.out.join(''));
    expect(seeded.seed).toBe(7);
    expect(seeded.features[0].type === 'numeric' && seeded.features[0].sample).toHaveLength(100);
  });

  it('reads JSON lines by extension or --format', async () => {
    const byExt = fakeIO();
    expect(
      await baselineCommand.run(
        ['training.jsonl', '-o', '-', '--target', 'label', '--categorical', 'zip'],
        byExt,
      ),
    ).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'baseline-cli-'));
    writeFileSync(join(dir, 'train.txt'), readFileSync(join(FIXTURES, 'training.jsonl')));
    const byFlag = fakeIO(dir);
    expect(
      await baselineCommand.run(
        ['train.txt', '-o', '-', '--format', 'jsonl', '--target', 'label', '--categorical', 'zip'],
        byFlag,
      ),
    ).toBe(0);
    expect(parseBaseline(byFlag.out.join('')).schemaHash).toBe(parseBaseline(byExt.out.join('')).schemaHash);
  });

  it('prints help and exits 0', async () => {
    const io = fakeIO();
    expect(await baselineCommand.run(['--help'], io)).toBe(0);
    expect(io.out.join('')).toContain('Usage: compliant-mlops baseline');
  });

  it('fails with exit 2 (UsageError) on an empty or header-only training file', async () => {
    await usageError(['empty.csv', '-o', '-'], /^empty\.csv: the training data is empty \(no header row\)$/);
    await usageError(
      ['header-only.csv', '-o', '-'],
      /^header-only\.csv: the training data has a header but no data rows$/,
    );
  });

  it('fails with exit 2 on a missing file, a directory, or malformed training data', async () => {
    await usageError(['nope.csv', '-o', '-'], /^training data not found: nope\.csv$/);
    await usageError(['.', '-o', '-'], /^training data is not a file: \.$/);
    const dir = mkdtempSync(join(tmpdir(), 'baseline-cli-'));
    writeFileSync(join(dir, 'bad.csv'), 'a,b\n1,2\n3\n');
    await usageError(['bad.csv', '-o', '-'], /^bad\.csv: CSV record 3 has 1 fields; the header has 2$/, dir);
    await usageError(
      ['training.csv', '-o', '-', '--target', 'nope'],
      /target column "nope" is not in the training data/,
    );
  });

  it('fails with exit 2 on bad arguments', async () => {
    await usageError(['training.csv'], /--output is required/);
    await usageError(['-o', 'x.json'], /expected one training data file \(got 0\)/);
    await usageError(['a.csv', 'b.csv', '-o', 'x.json'], /expected one training data file \(got 2\)/);
    await usageError(
      ['training.csv', '-o', '-', '--format', 'xml'],
      /^--format: must be csv or jsonl \(got "xml"\)$/,
    );
    await usageError(['training.csv', '-o', '-', '--seed', '1.5'], /^--seed: expected an integer/);
    await usageError(
      ['training.csv', '-o', '-', '--sample-size', '0'],
      /^--sample-size: expected an integer >= 1/,
    );
    await usageError(['training.csv', '-o', '-', '--bogus'], /Unknown option '--bogus'/);
  });

  it('fails with exit 2 when the output cannot be written', async () => {
    await usageError(
      ['training.csv', '-o', join(tmpdir(), 'no-such-dir-drift', 'x.json')],
      /^cannot write .*x\.json \(ENOENT\)$/,
    );
  });
});
