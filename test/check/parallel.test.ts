import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPaths } from '../../lib/check/check';
import { checkPathsInParallel } from '../../lib/check/parallel';
import { main } from '../../lib/cli/main';
import { fakeIO } from '../cli/fake-io';

const dir = mkdtempSync(path.join(tmpdir(), 'check-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function template(i: number): object {
  const Resources: Record<string, unknown> = {};
  for (let r = 0; r < 5; r++) {
    Resources[`Bucket${i}x${r}`] = {
      Type: 'AWS::S3::Bucket',
      Properties: r % 2 ? { VersioningConfiguration: { Status: 'Enabled' } } : {},
    };
    Resources[`Model${i}x${r}`] = {
      Type: 'AWS::SageMaker::Model',
      Properties: {
        ExecutionRoleArn: 'arn:aws:iam::111111111111:role/r',
        PrimaryContainer: { Image: 'public.ecr.aws/x/y:latest' },
      },
    };
  }
  return { Resources };
}

const files = Array.from({ length: 4 }, (_, i) => {
  const f = path.join(dir, `t${i}.template.json`);
  writeFileSync(f, JSON.stringify(template(i)));
  return f;
});

describe('checkPathsInParallel', () => {
  it('gives the same report as a single-threaded run, in input order', async () => {
    const options = { cwd: dir, packs: ['AwsSolutions', 'MLOps'], today: '2026-11-26' };
    const sequential = checkPaths(files, options);
    const progress: number[] = [];
    const parallel = await checkPathsInParallel(files, {
      ...options,
      jobs: 2,
      minResourcesForWorkers: 0,
      onProgress: (d) => progress.push(d),
    });
    expect(parallel.findings.length).toBeGreaterThan(20);
    expect(parallel.findings).toEqual(sequential.findings);
    expect(parallel.rules).toEqual(sequential.rules);
    expect(parallel.inputs).toEqual(sequential.inputs);
    expect(progress).toEqual([1, 2, 3, 4]);
  });

  it('over the corpus (nested stacks, SAM, Fn::If branches, AWS::Include) gives the same report as one thread', async () => {
    const repo = path.join(__dirname, '..', '..');
    const options = { cwd: repo, packs: ['MLOps'], today: '2026-06-01' };
    const sequential = checkPaths(['test/fixtures/corpus'], options);
    const parallel = await checkPathsInParallel(['test/fixtures/corpus'], {
      ...options,
      jobs: 2,
      minResourcesForWorkers: 0,
    });
    expect(sequential.notChecked?.length).toBeGreaterThan(0);
    expect(parallel.findings).toEqual(sequential.findings);
    expect(parallel.errors).toEqual(sequential.errors);
    expect(parallel.notChecked).toEqual(sequential.notChecked);
    expect(parallel.inputs).toEqual(sequential.inputs);
  });

  it('with the main thread and two workers taking templates from one counter, each template is checked once and reported in input order', async () => {
    const repo = path.join(__dirname, '..', '..');
    const inputs = ['test/fixtures/corpus', ...files];
    const options = { cwd: repo, packs: ['AwsSolutions', 'MLOps'], today: '2026-06-01' };
    let templates = 0;
    const sequential = checkPaths(inputs, { ...options, onProgress: (_, total) => (templates = total) });
    const progress: number[] = [];
    const parallel = await checkPathsInParallel(inputs, {
      ...options,
      jobs: 3,
      minResourcesForWorkers: 0,
      onProgress: (d) => progress.push(d),
    });
    expect(parallel.findings).toEqual(sequential.findings);
    expect(parallel.errors).toEqual(sequential.errors);
    expect(parallel.rules).toEqual(sequential.rules);
    expect(parallel.inputs).toEqual(sequential.inputs);
    // One progress call per template: no template was skipped or checked twice.
    expect(progress).toEqual(Array.from({ length: progress.length }, (_, i) => i + 1));
    expect(templates).toBeGreaterThan(60);
    expect(progress.length).toBe(templates);
  });

  it('stays on the main thread for small runs', async () => {
    const report = await checkPathsInParallel([files[0]], { cwd: dir, packs: ['MLOps'], jobs: 4 });
    expect(report.inputs).toEqual(['t0.template.json']);
  });

  it('rejects a bad --jobs value with one line and exit 2', async () => {
    const io = fakeIO({ cwd: dir });
    expect(await main(['check', files[0], '--jobs', '0'], io)).toBe(2);
    expect(io.errLines()).toEqual(['compliant-mlops: check: --jobs: "0" is not a whole number from 1 to 64']);
  });
});
