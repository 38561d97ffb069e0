import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO } from './fake-io';

const GUARD = join(__dirname, 'support', 'refuse-modules.mjs');

/** Runs `check` from source with the modules matching `refused` made unloadable. */
function checkRefusing(refused: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', GUARD, '--import', 'tsx', 'bin/cli.ts', 'check', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, REFUSE_MODULES: refused },
  });
}

// Start-up is most of a small run (issue 15): the yaml package (72 modules) loads only for what
// needs it, a YAML template or an acknowledgments file, and zod (95 modules) only with an
// acknowledgment to read.
describe('the YAML parser loads only when a YAML input needs it', () => {
  test('a JSON template is checked without the yaml package', () => {
    const r = checkRefusing(
      '^yaml$',
      'test/fixtures/check/templates/violations.template.json',
      '--packs',
      'AwsSolutions',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/AwsSolutions-S1/);
  });

  test('the guard works: a YAML template needs the yaml package and is refused under it', () => {
    const r = checkRefusing(
      '^yaml$',
      'test/fixtures/check/templates/short-form.yaml',
      '--packs',
      'AwsSolutions',
    );
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBe(1);
    expect(r.stderr).toMatch(/refused module yaml/);
  });
});

describe('zod loads only when there is an acknowledgment to read', () => {
  test('a JSON template without acknowledgments is checked by every pack without zod', () => {
    const r = checkRefusing('^zod$', 'test/fixtures/check/templates/violations.template.json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/AwsSolutions-S1/);
  });

  test('the guard works: a template that records acknowledgments needs zod and is refused under it', () => {
    const r = checkRefusing('^zod$', 'test/fixtures/check/templates/acknowledged.template.json');
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBe(1);
    expect(r.stderr).toMatch(/refused module zod/);
  });
});
