// `npm run bench`: every benchmark, each figure against a baseline measured in the same run on the
// same machine (medians of >= 5 runs). Prints a table and writes bench/results.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkPaths } from '../lib/check/check';
import { benchCheck, benchSmallTemplates, generateTemplate } from './check';
import { benchDrift } from './drift';
import { benchQuality } from './quality';
import { BenchRow, median, repeat, table } from './stats';
import { benchSynth, packsInsideSynthMs } from './synth';
import { checkPathsInParallel } from '../lib/check/parallel';

// The SDK's Node 20 deprecation notice is not part of any measurement.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = path.join(__dirname, '..');
const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 5;
// `npm run bench -- synth check`: only the named sections (synth, check, drift, quality, sweep, bundles).
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const sections = ['synth', 'check', 'drift', 'quality', 'sweep', 'bundles'];
const unknown = only.filter((a) => !sections.includes(a));
if (unknown.length)
  throw new Error(`bench: unknown section ${unknown.join(', ')} (expected ${sections.join(', ')})`);
const selected = (name: string) => only.length === 0 || only.includes(name);

async function checkRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const results = await benchCheck(root);
  const inSynth = await packsInsideSynthMs(runs);
  for (const r of results) {
    const reference = r.name === 'check/reference-assembly';
    rows.push({
      bench: 'check',
      case: `${r.name} (${r.resources} resources)`,
      value: r.resourcesPerSecond,
      unit: 'resources/s',
      // The same packs inside synth, over the same resources, are the baseline.
      baseline: reference ? (r.resources / inSynth) * 1000 : undefined,
      ratio: reference ? ((r.resources / r.medianMs) * 1000) / ((r.resources / inSynth) * 1000) : undefined,
      note: `${r.templatesPerSecond} templates/s${reference ? `; packs inside synth ${inSynth.toFixed(0)} ms` : ''}`,
    });
  }
  // 10 templates x 500 resources on one thread; 40 x 500 on one thread against two workers
  // (below about 10,000 resources a worker's start-up eats the gain).
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-check10-'));
  try {
    const files = Array.from({ length: 40 }, (_, i) => {
      const f = path.join(dir, `t${i}.template.json`);
      writeFileSync(f, JSON.stringify(generateTemplate(500)));
      return f;
    });
    const ten = files.slice(0, 10);
    const single10 = median(await repeat(runs, () => timed(() => checkPaths(ten, { cwd: dir }))));
    rows.push({
      bench: 'check',
      case: '10 x 500 resources, 1 thread',
      value: (5000 / single10) * 1000,
      unit: 'resources/s',
    });
    const bigRuns = Math.max(3, runs - 2);
    const single = median(await repeat(bigRuns, () => timed(() => checkPaths(files, { cwd: dir }))));
    const both = median(
      await repeat(bigRuns, () =>
        timed(() => checkPathsInParallel(files, { cwd: dir, jobs: 2, minResourcesForWorkers: 0 })),
      ),
    );
    rows.push({
      bench: 'check',
      case: '40 x 500 resources, 1 thread',
      value: (20000 / single) * 1000,
      unit: 'resources/s',
    });
    rows.push({
      bench: 'check',
      case: '40 x 500 resources, --jobs 2 (main thread + 1 worker)',
      value: (20000 / both) * 1000,
      unit: 'resources/s',
      baseline: (20000 / single) * 1000,
      ratio: single / both,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Real corpora: many small templates, start-up included (issue 15). BENCH_CHECK_CLI=<bin/cli.js>
  // measures another build (an older commit's) in the same run.
  for (const r of benchSmallTemplates({
    root,
    runs,
    counts: quick ? [30, 280] : [30, 280, 1000],
    cli: process.env.BENCH_CHECK_CLI,
  }))
    rows.push({ bench: 'check', ...r });
  return rows;
}

async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function bundleRows(): BenchRow[] {
  const dir = path.join(root, 'assets', 'handlers');
  if (!existsSync(path.join(dir, 'sizes.json'))) return [];
  const sizes = JSON.parse(readFileSync(path.join(dir, 'sizes.json'), 'utf8')) as Record<string, number>;
  const rows: BenchRow[] = [];
  const loadMs = (file: string) => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`,
      ],
      { encoding: 'utf8' },
    );
    return Number(out);
  };
  const empty = path.join(dir, '..', '..', 'bench', 'empty-module.js');
  writeFileSync(empty, 'module.exports = {};\n');
  try {
    const baseline = median(Array.from({ length: runs }, () => loadMs(empty)));
    for (const name of readdirSync(dir).filter((n) => existsSync(path.join(dir, n, 'index.js')))) {
      const file = path.join(dir, name, 'index.js');
      const ms = median(Array.from({ length: runs }, () => loadMs(file)));
      rows.push({ bench: 'bundle', case: `${name} size`, value: sizes[name] / 1024, unit: 'KiB' });
      rows.push({
        bench: 'bundle',
        case: `${name} cold module load`,
        value: ms,
        unit: 'ms',
        baseline,
        ratio: ms / baseline,
      });
    }
  } finally {
    rmSync(empty, { force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  // A fresh clone has no handler bundles yet; the reference app references them as assets.
  if (!existsSync(path.join(root, 'assets', 'handlers', 'sizes.json'))) {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle-handlers.mjs')], { stdio: 'inherit' });
  }
  const rows: BenchRow[] = [];
  const section = async (name: string, fn: () => Promise<BenchRow[]> | BenchRow[]) => {
    if (!selected(name)) return;
    process.stderr.write(`bench: ${name}...\n`);
    try {
      rows.push(...(await fn()));
    } catch (e) {
      rows.push({
        bench: name,
        case: 'failed',
        value: 0,
        unit: '',
        note: (e as Error).message.split('\n')[0],
      });
    }
  };
  await section('synth', () => benchSynth(runs, quick ? [1, 3, 5] : [1, 10, 30]));
  if (selected('check') && !existsSync(path.join(root, 'cdk.out', 'manifest.json'))) {
    execFileSync('npx', ['cdk', 'synth', '--quiet'], { cwd: root, stdio: 'ignore' });
  }
  await section('check', checkRows);
  await section('drift', async () =>
    (await benchDrift()).map((r) => ({
      bench: 'drift',
      case: r.case,
      value: r.mbPerSecond,
      unit: 'MB/s',
      ratio: r.relativeToJsonParse,
      budget: r.case.startsWith('drift') ? '≥ 0.3× JSON.parse' : undefined,
      met: r.case.startsWith('drift') ? r.relativeToJsonParse >= 0.3 : undefined,
      note: `${r.recordsPerSecond} records/s`,
    })),
  );
  await section('quality', async () =>
    benchQuality().map((r) => ({
      bench: 'quality',
      case: r.case,
      value: r.recordsPerSecond,
      unit: 'records/s',
      ratio: r.relativeToJsonParse,
      note: `${r.records} records (captures + labels), median of ${r.runs}`,
    })),
  );
  const sweepModule = path.join(__dirname, 'sweep.ts');
  if (existsSync(sweepModule)) {
    await section('sweep', async () => {
      const { benchSweep } = (await import(sweepModule)) as {
        benchSweep: () => Promise<
          Array<{
            case: string;
            resources: number;
            medianSeconds: number;
            medianApiCalls: number;
            medianFaulted: number;
            acted: number;
            failed: number;
          }>
        >;
      };
      const rows = await benchSweep();
      const clean = rows[0];
      return rows.map((r) => ({
        bench: 'sweep',
        case: `${r.resources} resources, ${r.case}`,
        value: r.medianSeconds * 1000,
        unit: 'ms',
        baseline: r === clean ? undefined : clean.medianSeconds * 1000,
        ratio: r === clean ? undefined : r.medianSeconds / clean.medianSeconds,
        note: `${r.medianApiCalls} API calls (${r.medianFaulted} faulted), acted ${r.acted}, failed ${r.failed}`,
      }));
    });
  }
  await section('bundles', bundleRows);
  const text = table(rows);
  console.log(text);
  writeFileSync(
    path.join(__dirname, 'results.json'),
    JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2),
  );
}

void main();
