import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Finding, InputError, Report, RuleInfo } from '../report/finding';
import {
  CheckOptions,
  checkTemplates,
  createTemplateChecker,
  reportOf,
  resolvePackNames,
  TemplateCheckResult,
} from './check';
import { loadInputs, TemplateInput } from './inputs';

/** Options of {@link checkPathsInParallel}. */
export interface ParallelCheckOptions extends CheckOptions {
  /**
   * Threads that check templates: the main thread and `jobs - 1` worker threads.
   * @default - the machine's available parallelism
   */
  readonly jobs?: number;
  /**
   * Fewer resources than this in all templates together and the run stays on the main thread.
   * A worker loads cdk-nag, the packs and the App and warms up its own JIT before it pays (its
   * first result came 2–3 s after start on the shared two-core machine), and two busy threads
   * each run slower: on 1,000 small templates (5,000 resources) `--jobs 2` used 10.2–12.9 s CPU
   * against 7.7–9.5 s for one thread and was slower in wall time under load, so only large runs
   * use workers by default. An explicit `jobs` is followed whatever the size of the run.
   * @default 10000
   */
  readonly minResourcesForWorkers?: number;
}

/** What a worker sends back for one template. */
export interface WorkerMessage {
  readonly index: number;
  readonly result: TemplateCheckResult;
}

/** What a worker is started with: every template, and the counter that hands them out. */
export interface WorkerData {
  readonly templates: readonly TemplateInput[];
  readonly options: CheckOptions;
  /** One Int32: the index of the next template to check, shared by every thread of the run. */
  readonly next: SharedArrayBuffer;
}

/** Takes the index of the next template of a run: each index goes to exactly one thread. */
export function takeNext(next: Int32Array): number {
  return Atomics.add(next, 0, 1);
}

/**
 * {@link checkPaths} spread over threads. The main thread and `jobs - 1` workers take templates
 * one at a time from a shared counter, so a worker that is still loading takes none and a thread
 * that drew small templates takes more; each result is stored at its template's index, so the
 * findings, errors and rules come out in input order, as in a single-threaded run.
 */
export async function checkPathsInParallel(
  paths: readonly string[],
  options: ParallelCheckOptions,
): Promise<Report> {
  const packNames = resolvePackNames(options.packs);
  const loaded = loadInputs(paths, options.cwd);
  const templates = loaded.templates;
  const total = templates.reduce((n, t) => n + Object.keys(t.template.Resources).length, 0);
  const threads = Math.min(options.jobs ?? availableParallelism(), templates.length);
  const base: CheckOptions = { ...options, packs: packNames };
  // The size threshold chooses for the caller only when the caller did not say how many threads.
  const threshold = options.minResourcesForWorkers ?? (options.jobs === undefined ? 10_000 : 0);
  if (threads < 2 || total < threshold) {
    return reportOf(loaded, checkTemplates(templates, base), packNames);
  }

  const next = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const counter = new Int32Array(next);
  const results: TemplateCheckResult[] = new Array(templates.length);
  let done = 0;
  const record = (index: number, result: TemplateCheckResult): void => {
    results[index] = result;
    done += 1;
    options.onProgress?.(done, templates.length);
  };
  const data: WorkerData = {
    templates,
    options: { cwd: base.cwd, packs: packNames, acknowledgments: base.acknowledgments, today: base.today },
    next,
  };
  const workers = Array.from({ length: threads - 1 }, () => runWorker(data, record));
  // The main thread checks too, yielding between templates so that workers' results (and
  // progress) are taken in as they come.
  const checker = createTemplateChecker(base);
  try {
    for (let index = takeNext(counter); index < templates.length; index = takeNext(counter)) {
      const { findings, errors } = checker.check(templates[index]);
      record(index, { findings, errors, rules: checker.rulesOf(findings) });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    checker.close();
  }
  await Promise.all(workers);

  const findings: Finding[] = [];
  const errors: InputError[] = [];
  const rules = new Map<string, RuleInfo>();
  for (const r of results) {
    findings.push(...r.findings);
    errors.push(...r.errors);
    for (const rule of r.rules) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  }
  const merged: TemplateCheckResult = {
    findings,
    errors,
    rules: [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  return reportOf(loaded, merged, packNames);
}

/** Starts one worker over the shared counter; resolves when it has exited cleanly. */
function runWorker(
  data: WorkerData,
  record: (index: number, result: TemplateCheckResult) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const file = workerFile();
    // From source (tsx, vitest) the worker registers tsx's CommonJS hook before loading the .ts entry.
    const worker = file.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: data })
      : new Worker(file, { workerData: data });
    worker.on('message', (m: WorkerMessage) => record(m.index, m.result));
    worker.on('error', reject);
    worker.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`check worker exited with code ${code}`)),
    );
  });
}

/** The worker entry: the compiled `.js` beside this file, or the `.ts` source under tsx and vitest. */
function workerFile(): string {
  const ext = path.extname(__filename);
  return path.join(__dirname, `worker${ext === '.ts' ? '.ts' : '.js'}`);
}
