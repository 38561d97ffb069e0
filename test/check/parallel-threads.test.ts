import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { checkPathsInParallel } from '../../lib/check/parallel';

// Counts the worker threads checkPathsInParallel starts, with the real Worker underneath.
const started = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:worker_threads')>();
  class CountedWorker extends original.Worker {
    constructor(...args: ConstructorParameters<typeof original.Worker>) {
      started.count += 1;
      super(...args);
    }
  }
  return { ...original, Worker: CountedWorker };
});

const dir = mkdtempSync(path.join(tmpdir(), 'check-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const files = Array.from({ length: 3 }, (_, i) => {
  const f = path.join(dir, `t${i}.template.json`);
  writeFileSync(f, JSON.stringify({ Resources: { [`Bucket${i}`]: { Type: 'AWS::S3::Bucket' } } }));
  return f;
});

describe('how many threads a run uses', () => {
  it('without jobs, a small run stays on the main thread', async () => {
    started.count = 0;
    const report = await checkPathsInParallel(files, { cwd: dir, packs: ['MLOps'] });
    expect(report.inputs).toHaveLength(3);
    expect(started.count).toBe(0);
  });

  it('an explicit jobs is followed whatever the size: jobs 3 is the main thread and two workers', async () => {
    started.count = 0;
    const report = await checkPathsInParallel(files, { cwd: dir, packs: ['AwsSolutions'], jobs: 3 });
    expect(report.inputs).toHaveLength(3);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(started.count).toBe(2);
  });
});
