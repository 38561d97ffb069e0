import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COMPILE_CACHE_DEBUG_ENV, COMPILE_CACHE_ENV } from '../../lib/shared/compile-cache';
import { transpileCli } from '../package/transpile';
import { REPO } from './fake-io';

// The compiled CLI (as the package ships it, not tsx) with its V8 code cache: what a second run
// gains must never change what it reports.

const FIXTURES = [
  'test/fixtures/check/templates/violations.template.json',
  'test/fixtures/check/templates/short-form.yaml',
  'test/fixtures/check/templates/clean.json',
  'test/fixtures/check/eval/conditions.yaml',
  'test/fixtures/check/eval/serverless.yaml',
];
const CACHE_FILE = `v1-${process.version}-${process.arch}.bin`;
const DEBUG_LINE =
  /^compliant-mlops: compile cache (\S+): hits (\d+), misses (\d+), rejected (\d+), skipped (\d+), written (\d+)( \(read-only\))?$/;

let cli: string;
let work: string;

function runCli(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: path.join(work, 'home'), ...env },
    timeout: 120_000,
  });
}

/** The counts of each thread's debug line, main thread last (it writes at process exit). */
function countsOf(stderr: string) {
  return stderr
    .split('\n')
    .map((line) => DEBUG_LINE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      hits: Number(m[2]),
      misses: Number(m[3]),
      rejected: Number(m[4]),
      written: Number(m[6]),
      readOnly: m[7] !== undefined,
    }));
}

beforeAll(async () => {
  cli = await transpileCli('compile-cache-cli');
  work = mkdtempSync(path.join(tmpdir(), 'compile-cache-cli-'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the compiled CLI with the compile cache', () => {
  test('the second run compiles from the cache; reports are byte-identical with and without it', () => {
    const dir = mkdtempSync(path.join(work, 'cache-'));
    const args = [...FIXTURES, '--format', 'json', '--jobs', '1'];
    const off = runCli({ [COMPILE_CACHE_ENV]: 'off' }, 'check', ...args);
    const cold = runCli({ [COMPILE_CACHE_ENV]: dir, [COMPILE_CACHE_DEBUG_ENV]: '1' }, 'check', ...args);
    const warm = runCli({ [COMPILE_CACHE_ENV]: dir, [COMPILE_CACHE_DEBUG_ENV]: '1' }, 'check', ...args);
    const quiet = runCli({ [COMPILE_CACHE_ENV]: dir }, 'check', ...args);
    expect(off.status).toBe(1);
    expect(off.stdout).toMatch(/^\{/);
    for (const r of [cold, warm, quiet]) {
      expect(r.status).toBe(off.status);
      expect(r.stdout).toBe(off.stdout);
    }
    const [first] = countsOf(cold.stderr);
    // aws-cdk-lib, cdk-nag, zod, yaml and ours: hundreds of modules.
    expect(first.misses).toBeGreaterThan(300);
    expect(first).toMatchObject({ hits: 0, rejected: 0, written: first.misses });
    const [second] = countsOf(warm.stderr);
    expect(second).toMatchObject({ hits: first.misses, misses: 0, written: 0 });
    // Nothing but the debug line on stderr: no ExperimentalWarning, no progress.
    expect(cold.stderr.trim().split('\n')).toHaveLength(1);
    expect(warm.stderr.trim().split('\n')).toHaveLength(1);
    expect(off.stderr).toBe('');
    expect(quiet.stderr).toBe('');
    expect(readdirSync(dir)).toEqual([CACHE_FILE]);
  });

  test('help and usage errors run with the cache and write nothing on stderr but their own', () => {
    const dir = mkdtempSync(path.join(work, 'help-'));
    for (let i = 0; i < 2; i++) {
      const help = runCli({ [COMPILE_CACHE_ENV]: dir }, 'check', '--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^usage: compliant-mlops check <path\.\.\.>/);
      expect(help.stderr).toBe('');
      const usage = runCli({ [COMPILE_CACHE_ENV]: dir }, 'check', 'x.json', '--format', 'nope');
      expect(usage.status).toBe(2);
      expect(usage.stderr).toMatch(
        /^compliant-mlops: check: --format: unknown format "nope" \(expected [^\n]*\)\n$/,
      );
    }
    expect(readdirSync(dir)).toEqual([CACHE_FILE]);
  });

  test('the default cache directory is ~/.cache/compliant-mlops', () => {
    const home = mkdtempSync(path.join(work, 'home-'));
    const r = runCli({ HOME: home }, 'check', FIXTURES[2], '--jobs', '1');
    expect(r.status).toBe(0);
    expect(readdirSync(path.join(home, '.cache', 'compliant-mlops'))).toEqual([CACHE_FILE]);
  });
  // Worker threads compile the normal way: reading the cache in a worker (an eval entry enabling
  // it read-only) measured no gain on 1,000 small templates with --jobs 2, so it was not kept.
});

describe('the CLI from source', () => {
  test('under tsx the compile cache does nothing', () => {
    const dir = mkdtempSync(path.join(work, 'tsx-'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/cli.ts', 'check', '--help'], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, [COMPILE_CACHE_ENV]: dir, [COMPILE_CACHE_DEBUG_ENV]: '1' },
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('compliant-mlops: compile cache off: running from TypeScript sources\n');
    expect(readdirSync(dir)).toEqual([]);
  });
});
