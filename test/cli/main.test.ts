import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { Command, UsageError } from '../../lib/cli/command';
import { COMMANDS } from '../../lib/cli/commands';
import { main } from '../../lib/cli/main';
import { toolVersion } from '../../lib/check/version';
import { fakeIO, REPO } from './fake-io';

const boom: Command = {
  name: 'boom',
  summary: 'throws',
  usage: 'usage: compliant-mlops boom\n',
  run: async (args) => {
    if (args[0] === 'usage') throw new UsageError('boom: bad thing\nsecond line');
    throw new Error('unexpected failure');
  },
};

describe('main', () => {
  test('--help lists every registered command', async () => {
    const io = fakeIO();
    expect(await main(['--help'], io)).toBe(0);
    for (const c of COMMANDS) expect(io.out()).toContain(`  ${c.name}`);
    expect(io.out()).toContain('exit codes: 0 ok; 1 findings; 2 usage or input error');
  });

  test('<command> --help and help <command> print the command usage', async () => {
    const a = fakeIO();
    expect(await main(['check', '--help'], a)).toBe(0);
    expect(a.out()).toMatch(/^usage: compliant-mlops check <path\.\.\.>/);
    const b = fakeIO();
    expect(await main(['help', 'check'], b)).toBe(0);
    expect(b.out()).toBe(a.out());
  });

  test('--version prints the package version', async () => {
    const io = fakeIO();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toBe(`${toolVersion()}\n`);
    expect(toolVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test.each([
    [[], /^compliant-mlops: missing command \(expected one of check/],
    [['nope'], /^compliant-mlops: unknown command "nope"/],
  ])('%j is a usage error', async (argv, message) => {
    const io = fakeIO();
    expect(await main(argv, io)).toBe(2);
    expect(io.errLines()).toEqual([expect.stringMatching(message)]);
  });

  test('a UsageError becomes one line on stderr and exit 2', async () => {
    const io = fakeIO();
    expect(await main(['boom', 'usage'], io, [boom])).toBe(2);
    expect(io.err()).toBe('compliant-mlops: boom: bad thing; second line\n');
  });

  test('an unexpected error becomes one line on stderr and exit 2, never a stack trace', async () => {
    const io = fakeIO();
    expect(await main(['boom'], io, [boom])).toBe(2);
    expect(io.err()).toBe('compliant-mlops: internal error: unexpected failure\n');
  });
});

test('the bin/cli.ts entry point runs as a process and sets the exit code', () => {
  const result = spawnSync(
    'npx',
    [
      'tsx',
      'bin/cli.ts',
      'check',
      'test/fixtures/check/templates/violations.template.json',
      '--packs',
      'AwsSolutions',
      '--format',
      'json',
    ],
    {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    },
  );
  expect(result.status).toBe(1);
  expect(result.stderr).toBe('');
  expect((JSON.parse(result.stdout) as { findings: unknown[] }).findings).toHaveLength(4);
});
