import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallTemplate } from '../../bench/check';
import { checkPaths } from '../../lib/check/check';
import { checkPathsInParallel, HeapSample, RecycleOptions } from '../../lib/check/parallel';
import type { Report } from '../../lib/report/finding';

// Memory flat per template (issue 15): aws-cdk-lib keeps about 0.035 MB of every template a thread
// has checked (its process-wide TokenMap, and CfnReference.referenceTable holding each included
// Stack), so the checker hands its work to fresh workers past a per-thread budget. These tests
// check 400 of the bench's small templates with tiny budgets and read each thread's heap after a
// forced collection every 50 templates.
const COUNT = 400;
const EVERY = 50;
const dir = mkdtempSync(path.join(tmpdir(), 'check-recycle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  for (let i = 0; i < COUNT; i++)
    writeFileSync(
      path.join(dir, `t${String(i).padStart(4, '0')}.template.json`),
      JSON.stringify(smallTemplate(i)),
    );
});

const MB = 1e6;
const options = { packs: ['MLOps'], today: '2026-06-01', jobs: 1 } as const;

async function run(recycle: RecycleOptions): Promise<{ report: Report; samples: HeapSample[]; ms: number }> {
  const samples: HeapSample[] = [];
  const t0 = performance.now();
  const report = await checkPathsInParallel([dir], {
    ...options,
    cwd: dir,
    recycle: { ...recycle, heapSampleEvery: EVERY, onHeapSample: (s) => samples.push(s) },
  });
  return { report, samples, ms: performance.now() - t0 };
}

describe('recycling threads keeps the heap flat per template', () => {
  let unrecycled: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    // The control: the main thread checks nothing and one worker checks every template.
    unrecycled = await run({ mainThreadTemplates: 0, workerTemplates: Infinity });
  }, 300_000);

  it('without recycling, one thread keeps about 0.03 MB per template (the leak this guards against)', () => {
    const worker = unrecycled.samples.filter((s) => s.thread === 1);
    expect(worker.map((s) => s.templates)).toEqual(
      Array.from({ length: COUNT / EVERY }, (_, i) => (i + 1) * EVERY),
    );
    const growth = worker[worker.length - 1].heapUsed - worker[0].heapUsed;
    // 350 templates between the first and the last sample; measured 0.033 MB each.
    expect(growth / (COUNT - EVERY)).toBeGreaterThan(0.015 * MB);
  });

  it('with a budget of 100 templates per thread, no thread ends above the heap a fresh thread has after 100', async () => {
    const recycled = await run({ mainThreadTemplates: 100, workerTemplates: 100 });
    // The main thread and three workers, one after another (single-threaded run, jobs 1).
    expect([...new Set(recycled.samples.map((s) => s.thread))]).toEqual([0, 1, 2, 3]);
    expect(Math.max(...recycled.samples.map((s) => s.templates))).toBe(100);
    // Workers only: the main thread's heap also holds the test runner.
    const at100 = recycled.samples.filter((s) => s.thread > 0 && s.templates === 100).map((s) => s.heapUsed);
    expect(at100).toHaveLength(3);
    // Flat: the last worker's heap after its 100 templates is within 2 MB of the first one's,
    // where one thread checking all of them is 0.03 MB x 300 = 9 MB above.
    expect(Math.max(...at100) - Math.min(...at100)).toBeLessThan(2 * MB);
    const last = unrecycled.samples[unrecycled.samples.length - 1].heapUsed;
    expect(last - Math.max(...at100)).toBeGreaterThan(5 * MB);
    // Results, order and rules are those of one thread checking everything.
    expect(recycled.report.findings.length).toBeGreaterThan(COUNT);
    expect(recycled.report.findings).toEqual(unrecycled.report.findings);
    expect(recycled.report.rules).toEqual(unrecycled.report.rules);
    expect(recycled.report.inputs).toEqual(unrecycled.report.inputs);
    expect(recycled.report.errors).toEqual(unrecycled.report.errors);
  }, 300_000);

  it('over the corpus with budgets of a few templates, the report is the single-threaded one', async () => {
    const repo = path.join(__dirname, '..', '..');
    const corpusOptions = { cwd: repo, packs: ['MLOps', 'AwsSolutions'], today: '2026-06-01' };
    const sequential = checkPaths(['test/fixtures/corpus'], corpusOptions);
    const progress: number[] = [];
    const recycled = await checkPathsInParallel(['test/fixtures/corpus'], {
      ...corpusOptions,
      jobs: 2,
      minResourcesForWorkers: 0,
      recycle: { mainThreadTemplates: 7, workerTemplates: 11 },
      onProgress: (d) => progress.push(d),
    });
    expect(recycled).toEqual(sequential);
    expect(progress).toEqual(
      Array.from({ length: sequential.inputs.length + sequential.errors.length }, (_, i) => i + 1).slice(
        0,
        progress.length,
      ),
    );
    expect(progress.length).toBeGreaterThan(40);
  }, 300_000);
});
