import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveCommand } from '../../lib/cli/command';
import { COMMANDS } from '../../lib/cli/commands';
import { REPO } from './fake-io';

const GUARD = join(__dirname, 'support', 'refuse-heavy-modules.mjs');

/** Runs the CLI from source with aws-cdk-lib, cdk-nag and the AWS SDK made unloadable. */
function cliWithoutHeavyModules(...args: string[]) {
  return spawnSync(process.execPath, ['--import', GUARD, '--import', 'tsx', 'bin/cli.ts', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

// Start-up is most of a small run (issue 15): help, version and usage errors must answer without
// loading aws-cdk-lib (~0.6 s), cdk-nag and its packs (~0.4 s) or the AWS SDK.
describe('lazy start-up', () => {
  test.each([
    [['--help'], 0, /^usage: compliant-mlops <command>/],
    [['--version'], 0, /^\d+\.\d+\.\d+/],
    [['check', '--help'], 0, /^usage: compliant-mlops check <path\.\.\.>/],
    [['audit', '--help'], 0, /^usage: compliant-mlops audit/],
    [['bias', '--help'], 0, /^Usage: compliant-mlops bias /],
    [['cost', '--help'], 0, /^usage: compliant-mlops cost /],
    [['lineage', '--help'], 0, /^usage: compliant-mlops lineage /],
    [['rollback', '--help'], 0, /^usage: compliant-mlops rollback /],
    [['rightsize', '--help'], 0, /^usage: compliant-mlops rightsize /],
    [['model-doc', '--help'], 0, /^usage: compliant-mlops model-doc /],
  ])('%j loads none of aws-cdk-lib, cdk-nag, the AWS SDK', (args, code, out) => {
    const r = cliWithoutHeavyModules(...args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(code);
    expect(r.stdout).toMatch(out);
  });

  test('usage errors of check answer before the checker loads', () => {
    const r = cliWithoutHeavyModules('check', 'x.json', '--format', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^compliant-mlops: check: --format: unknown format "nope"/);
  });

  test('usage errors of model-doc answer before the SDK loads', () => {
    const r = cliWithoutHeavyModules('model-doc', 'not-an-arn');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^compliant-mlops: model-doc: <model-package-arn>: "not-an-arn" is not a versioned model package ARN/,
    );
  });

  test('the guard works: a real check needs aws-cdk-lib and is refused under it', () => {
    const r = cliWithoutHeavyModules('check', 'test/fixtures/check/templates/violations.template.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refused heavy module (aws-cdk-lib|cdk-nag)/);
  });

  test('each lazy entry names the command it loads, with the same summary', async () => {
    for (const entry of COMMANDS) {
      const command = await resolveCommand(entry);
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });
});
