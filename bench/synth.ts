// Synth benchmarks: the reference app against three floors (all with the built-in CloudFormation
// validator on), and the cost per served model at 1, 10 and 30 models. The floors: the `empty`
// variant of synth-child.ts (which has loaded the library and the reference config before its clock
// starts), a truly empty app and a `CfnInclude` of the reference app's own templates (both in
// synth-empty.ts and synth-include.ts, which load only aws-cdk-lib).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BenchRow, median, repeat } from './stats';

interface ChildResult {
  /** Wall time of the whole `npx cdk synth`-like process: start, module load, construction, synth. */
  wallMs: number;
  /** Construction and synth only, measured inside the process. */
  ms: number;
  heapMB: number;
  largestResources: number;
  largestBytes: number;
}

/**
 * Process wall time of one synth-empty.ts run, or of one synth-include.ts run over `assembly` (see
 * there). Returns the wall time and the construct + synth time measured inside the process.
 */
function floorOnce(variant: 'empty' | 'include', assembly?: string): { wallMs: number; ms: number } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-floor-'));
  try {
    const start = performance.now();
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, `synth-${variant}.ts`),
        outdir,
        ...(assembly ? [assembly] : []),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return { ...(JSON.parse(out) as { ms: number }), wallMs: performance.now() - start };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function synthOnce(variant: string, validation = true, keep?: string): ChildResult {
  const outdir = keep ?? mkdtempSync(path.join(tmpdir(), 'bench-synth-'));
  try {
    const start = performance.now();
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'synth-child.ts'), variant, outdir],
      {
        env: { ...process.env, CDK_VALIDATION: validation ? 'true' : 'false' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return { ...(JSON.parse(out) as Omit<ChildResult, 'wallMs'>), wallMs: performance.now() - start };
  } finally {
    if (!keep) rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The time the platform packs take inside synth for the reference app: synth with the packs minus
 * synth without them (the CloudFormation validator off in both), the baseline `check` is held to.
 */
export async function packsInsideSynthMs(runs = 5): Promise<number> {
  const withPacks = median((await repeat(runs, () => synthOnce('reference', false))).map((r) => r.ms));
  const without = median((await repeat(runs, () => synthOnce('reference-nopacks', false))).map((r) => r.ms));
  return Math.max(1, withPacks - without);
}

/** Runs the synth and scale benchmarks; `runs` synths per case (medians). */
export async function benchSynth(runs = 5, models: readonly number[] = [1, 10, 30]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // The reference assembly the CfnInclude floor re-emits, synthesized fresh in this run.
  const assembly = mkdtempSync(path.join(tmpdir(), 'bench-synth-reference-'));
  const empty: ChildResult[] = [];
  const reference: ChildResult[] = [];
  const trulyEmpty: { wallMs: number; ms: number }[] = [];
  const included: { wallMs: number; ms: number }[] = [];
  try {
    synthOnce('reference', true, assembly);
    // Round-robin, so a shared machine's load drifting during the run hits every case alike.
    await repeat(runs, () => {
      empty.push(synthOnce('empty'));
      reference.push(synthOnce('reference'));
      trulyEmpty.push(floorOnce('empty'));
      included.push(floorOnce('include', assembly));
    });
  } finally {
    rmSync(assembly, { recursive: true, force: true });
  }
  const e = median(empty.map((x) => x.wallMs));
  const r = median(reference.map((x) => x.wallMs));
  const te = median(trulyEmpty.map((x) => x.wallMs));
  const inc = median(included.map((x) => x.wallMs));
  rows.push({
    bench: 'synth',
    case: 'reference app vs truly empty app (process wall time)',
    value: r,
    unit: 'ms',
    baseline: te,
    ratio: r / te,
    note: 'floor loads only aws-cdk-lib: one stack, one resource',
  });
  rows.push({
    bench: 'synth',
    case: 'reference app vs CfnInclude of its templates (process wall time)',
    value: r,
    unit: 'ms',
    baseline: inc,
    ratio: r / inc,
    // The fair floor for what our constructs add (issue 14): the budget is judged here, not against
    // the library-loaded "empty app" below, whose floor already paid for the library.
    budget: '≤ 1.5×',
    met: r / inc <= 1.5,
    note: 'floor emits exactly the same resources through aws-cdk-lib, validator on',
  });
  rows.push({
    bench: 'synth',
    case: 'reference app vs library-loaded empty app (process wall time)',
    value: r,
    unit: 'ms',
    baseline: e,
    ratio: r / e,
    note: 'floor has loaded the library and the reference config before its clock starts',
  });
  const ei = median(empty.map((x) => x.ms));
  const ri = median(reference.map((x) => x.ms));
  rows.push({
    bench: 'synth',
    case: 'reference app vs library-loaded empty app (construct + synth only)',
    value: ri,
    unit: 'ms',
    baseline: ei,
    ratio: ri / ei,
  });
  const noValidator = median((await repeat(runs, () => synthOnce('reference', false))).map((x) => x.ms));
  rows.push({
    bench: 'synth',
    case: 'reference app, CloudFormation validator off',
    value: noValidator,
    unit: 'ms',
    baseline: ri,
    ratio: noValidator / ri,
    note: 'share of synth left without the built-in validator',
  });

  const scale: { n: number; ms: number; heapMB: number; res: number; bytes: number }[] = [];
  for (const n of models) {
    const results = await repeat(Math.max(3, Math.min(runs, n >= 30 ? 3 : runs)), () =>
      synthOnce(`models:${n}`),
    );
    scale.push({
      n,
      ms: median(results.map((x) => x.ms)),
      heapMB: median(results.map((x) => x.heapMB)),
      res: Math.max(...results.map((x) => x.largestResources)),
      bytes: Math.max(...results.map((x) => x.largestBytes)),
    });
  }
  const first = scale[0];
  for (const s of scale.slice(1)) {
    const perModelMs = (s.ms - first.ms) / (s.n - first.n);
    const perModelMB = (s.heapMB - first.heapMB) / (s.n - first.n);
    rows.push({
      bench: 'scale',
      case: `${s.n} models: marginal ms per model`,
      value: perModelMs,
      unit: 'ms',
      note: `${perModelMB.toFixed(1)} MB/model`,
    });
  }
  if (scale.length >= 3) {
    const [, mid, last] = scale;
    const early = (mid.ms - first.ms) / (mid.n - first.n);
    const late = (last.ms - mid.ms) / (last.n - mid.n);
    rows.push({
      bench: 'scale',
      case: 'marginal cost growth (late/early)',
      value: late / early,
      unit: '×',
      budget: '≤ 1.25× (linear)',
      met: late / early <= 1.25,
    });
  }
  const largest = scale[scale.length - 1];
  rows.push({
    bench: 'scale',
    case: 'largest template resources',
    value: largest.res,
    unit: 'resources',
    baseline: 500,
    ratio: largest.res / 500,
    budget: '< 500',
    met: largest.res < 500,
  });
  rows.push({
    bench: 'scale',
    case: 'largest template size',
    value: largest.bytes / 1024,
    unit: 'KiB',
    baseline: 1024,
    ratio: largest.bytes / 1024 / 1024,
    budget: '< 1 MiB',
    met: largest.bytes < 1024 * 1024,
  });
  return rows;
}
