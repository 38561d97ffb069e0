import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const PROBE = path.join(__dirname, 'memory-probe.ts');
const ROWS = 500_000;
/** Bounded: the counters and one chunk in flight; 500k rows held would be tens of megabytes. */
const BOUND = 6 * 1024 * 1024;

function probe(mode: 'bias' | 'join', keep = false): { rows: number; peakHeapGrowthBytes: number } {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', PROBE, mode, String(ROWS)], {
    cwd: path.join(__dirname, '..', '..'),
    encoding: 'utf8',
    env: { ...process.env, KEEP: keep ? '1' : '0' },
  });
  return JSON.parse(out) as { rows: number; peakHeapGrowthBytes: number };
}

// Heap after a full GC at checkpoints of a 500k-row stream, in a child process with --expose-gc.
describe('bounded memory over 500,000 streamed rows', () => {
  it('the measurement sees an input that is kept (control: the same stream, every chunk held)', () => {
    const r = probe('bias', true);
    expect(r.rows).toBe(ROWS);
    expect(r.peakHeapGrowthBytes).toBeGreaterThan(BOUND);
  }, 120_000);

  it('bias analysis (two facets, a group, predictions, proxy detection) keeps heap growth under 6 MB', () => {
    const r = probe('bias');
    expect(r.rows).toBe(ROWS);
    expect(r.peakHeapGrowthBytes).toBeLessThan(BOUND);
  }, 120_000);

  it('the quality join with fairness keeps heap growth under 6 MB while 500k captures stream past 1000 labels', () => {
    const r = probe('join');
    expect(r.rows).toBe(ROWS);
    expect(r.peakHeapGrowthBytes).toBeLessThan(BOUND);
  }, 120_000);
});
