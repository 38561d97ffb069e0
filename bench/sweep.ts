/**
 * Auto-shutdown sweep benchmark (not a timed test): `npx tsx bench/sweep.ts`.
 *
 * Sweeps a simulated account of 2,000 resources (800 notebook instances, 600 Studio apps, 600
 * endpoints; a fifth of them eligible) served by the loopback AWS fake, through the real SDK
 * clients (retries, paginators), once without faults and once with 20% throttling and 2% 5xx.
 * Each case runs once to warm up, then 5 times on a fresh world, and reports the median wall time and API requests
 * (retries included). Exports `benchSweep()` for the `npm run bench` aggregator.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { parseConfig } from '../lib/handlers/auto-shutdown/config';
import { sweep } from '../lib/handlers/auto-shutdown/sweep';
import { startAwsFake } from '../test/support/aws-fake';
import { generateWorld, installWorld, NOW } from '../test/handlers/auto-shutdown/world';

const RESOURCES = 2000;
const RUNS = 5;

/** One row of the benchmark table. */
export interface SweepBenchRow {
  readonly bench: 'sweep';
  readonly case: string;
  readonly resources: number;
  readonly runs: number;
  readonly medianSeconds: number;
  /** Requests the fake received, retries included (median). */
  readonly medianApiCalls: number;
  /** Requests answered with an injected fault (median). */
  readonly medianFaulted: number;
  readonly acted: number;
  readonly failed: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs the sweep benchmark: one row per case (no faults; 20% throttling + 2% 5xx). */
export async function benchSweep(): Promise<SweepBenchRow[]> {
  const fake = await startAwsFake();
  try {
    const cases = [
      { name: 'no faults', faults: undefined },
      { name: '20% throttling + 2% 5xx', faults: { throttleRate: 0.2, serverErrorRate: 0.02 } },
    ];
    const rows: SweepBenchRow[] = [];
    for (const c of cases) {
      const times: number[] = [];
      const calls: number[] = [];
      const faulted: number[] = [];
      let acted = 0;
      let failed = 0;
      // One warm-up run per case (JIT, connection pool), not measured.
      for (let run = -1; run < RUNS; run++) {
        fake.reset();
        const g = generateWorld(RESOURCES);
        installWorld(fake, g.world, { pageSize: 100 });
        if (c.faults) fake.faults({ ...c.faults, seed: run + 2 });
        const clients = {
          sagemaker: new SageMakerClient(fake.clientConfig({ maxAttempts: 8 })),
          cloudwatch: new CloudWatchClient(fake.clientConfig({ maxAttempts: 8 })),
        };
        const config = parseConfig(
          { AUTO_SHUTDOWN_DRY_RUN: 'false', AUTO_SHUTDOWN_MAX_ACTIONS: '1000' },
          { mode: 'idle-sweep' },
        );
        const started = performance.now();
        const report = await sweep(clients, config, { correlationId: `bench-${run}`, now: NOW });
        const seconds = (performance.now() - started) / 1000;
        if (run >= 0) {
          times.push(seconds);
          calls.push(fake.calls.length);
          faulted.push(fake.calls.filter((x) => x.fault !== undefined).length);
        }
        acted = report.counts.acted;
        failed = report.counts.failed;
        clients.sagemaker.destroy();
        clients.cloudwatch.destroy();
      }
      rows.push({
        bench: 'sweep',
        case: c.name,
        resources: RESOURCES,
        runs: RUNS,
        medianSeconds: Math.round(median(times) * 1000) / 1000,
        medianApiCalls: median(calls),
        medianFaulted: median(faulted),
        acted,
        failed,
      });
    }
    return rows;
  } finally {
    await fake.close();
  }
}

if (require.main === module) {
  benchSweep().then(
    (rows) => {
      console.table(rows.map(({ bench: _bench, ...r }) => r));
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
