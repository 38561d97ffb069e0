import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO } from '../cli/fake-io';

const GUARD = join(REPO, 'test', 'cli', 'support', 'refuse-heavy-modules.mjs');

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', GUARD, '--import', 'tsx', 'bin/cli.ts', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

// `cost --help` and its usage errors answer without loading the AWS SDK (issue 15's start-up budget).
test('cost --help and usage errors load none of aws-cdk-lib, cdk-nag, the AWS SDK', () => {
  const help = cli('cost', '--help');
  expect(help.stderr).toBe('');
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^usage: compliant-mlops cost \[options\]/);
  expect(help.stdout).toContain('ce:GetCostAndUsage and ce:GetSavingsPlansPurchaseRecommendation');
  const bad = cli('cost', '--months', '0');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toBe('compliant-mlops: cost: --months: "0" is not an integer from 1 to 12\n');
});

test('the guard refuses the SDK: a real run needs the Cost Explorer client', () => {
  const r = cli('cost', '--region', 'us-east-1');
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/refused heavy module/);
});
