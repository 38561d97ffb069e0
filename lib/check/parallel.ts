import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
   * (A run of more templates than {@link RecycleOptions.mainThreadTemplates} still hands the rest
   * to one worker at a time, for memory.)
   * @default 10000
   */
  readonly minResourcesForWorkers?: number;
  /**
   * When threads hand their work over to fresh workers so that memory stays flat. Tests and the
   * bench set small budgets; the defaults are for real corpora.
   * @default - the defaults of each {@link RecycleOptions} field
   */
  readonly recycle?: RecycleOptions;
}

/**
 * Bounds on what one thread checks, because aws-cdk-lib keeps something of every template a
 * thread has checked: its process-wide `TokenMap` keeps each template's tokens and the static
 * `CfnReference.referenceTable` keeps each included Stack reachable (about 0.035 MB per small
 * template, and neither has a public API to release entries). Only ending the thread frees them,
 * so the main thread stops after a budget and leaves the rest to workers, and each worker exits
 * after its budget while a fresh one takes over: the heap a run keeps is bounded by the budgets,
 * not by the number of templates (issue 15, "memory flat per template").
 */
export interface RecycleOptions {
  /**
   * Templates the main thread checks before it leaves the rest to workers (one at a time when
   * the run is single-threaded). A run of no more templates never starts a worker for memory.
   * @default 1000
   */
  readonly mainThreadTemplates?: number;
  /**
   * Templates a worker checks before it exits and a fresh worker takes over.
   * @default 1000
   */
  readonly workerTemplates?: number;
  /**
   * Heap growth of a thread, in MB and without a forced collection (so garbage counts), after
   * which it hands over early: large templates keep more per template than small ones.
   * @default 256
   */
  readonly heapGrowthMb?: number;
  /**
   * Every this many templates a thread has checked, it forces a garbage collection and reports
   * its heap to {@link onHeapSample}. For tests and the bench: a forced collection is slow.
   * @default - no samples
   */
  readonly heapSampleEvery?: number;
  /** Receives the heap samples of {@link heapSampleEvery}. */
  readonly onHeapSample?: (sample: HeapSample) => void;
}

/** One thread's heap after a forced garbage collection (see {@link RecycleOptions.heapSampleEvery}). */
export interface HeapSample {
  /** 0 for the main thread, then 1, 2, … for workers in the order they started. */
  readonly thread: number;
  /** Templates this thread had checked when it took the sample. */
  readonly templates: number;
  /** `heapUsed` of the thread's V8 isolate after the collection, in bytes. */
  readonly heapUsed: number;
}

/** The budget a thread checks under, resolved from {@link RecycleOptions}. */
export interface ThreadBudget {
  readonly templates: number;
  readonly heapGrowthBytes: number;
  readonly heapSampleEvery?: number;
}

/** What a worker sends back: the result of one template, or a heap sample. */
export type WorkerMessage =
  | { readonly kind: 'result'; readonly index: number; readonly result: TemplateCheckResult }
  | { readonly kind: 'heap'; readonly templates: number; readonly heapUsed: number };

/** What a worker is started with: every template, and the counter that hands them out. */
export interface WorkerData {
  readonly templates: readonly TemplateInput[];
  readonly options: CheckOptions;
  /** One Int32: the index of the next template to check, shared by every thread of the run. */
  readonly next: SharedArrayBuffer;
  /** When this worker stops taking templates and exits. */
  readonly budget: ThreadBudget;
}

/** Takes the index of the next template of a run: each index goes to exactly one thread. */
export function takeNext(next: Int32Array): number {
  return Atomics.add(next, 0, 1);
}

/** The heap of this thread's isolate, in bytes, without forcing a collection. */
export function heapUsedNow(): number {
  return getHeapStatistics().used_heap_size;
}

/**
 * Counts the templates a thread checks against its budget. `spent()` is asked before taking
 * the next template, so a thread never takes a template it will not check.
 */
export function budgetTracker(
  budget: ThreadBudget,
  sample: (templates: number) => void,
): { checked(): void; spent(): boolean } {
  const start = heapUsedNow();
  let count = 0;
  return {
    checked() {
      count += 1;
      if (budget.heapSampleEvery !== undefined && count % budget.heapSampleEvery === 0) sample(count);
    },
    spent: () => count >= budget.templates || heapUsedNow() - start >= budget.heapGrowthBytes,
  };
}

/**
 * Forces a full collection and returns `heapUsed` afterwards. Only for heap samples: the
 * collector is exposed through a V8 flag set at run time, as `--expose-gc` cannot be given to a
 * worker.
 */
export function collectedHeapUsed(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function resolveBudgets(recycle: RecycleOptions | undefined): { main: ThreadBudget; worker: ThreadBudget } {
  const heapGrowthBytes = (recycle?.heapGrowthMb ?? 256) * 1e6;
  const heapSampleEvery = recycle?.heapSampleEvery;
  return {
    main: { templates: recycle?.mainThreadTemplates ?? 1000, heapGrowthBytes, heapSampleEvery },
    worker: { templates: recycle?.workerTemplates ?? 1000, heapGrowthBytes, heapSampleEvery },
  };
}

/**
 * {@link checkPaths} spread over threads. The main thread and `jobs - 1` workers take templates
 * one at a time from a shared counter, so a worker that is still loading takes none and a thread
 * that drew small templates takes more; each result is stored at its template's index, so the
 * findings, errors and rules come out in input order, as in a single-threaded run. No thread
 * checks more than its budget (see {@link RecycleOptions}): past it, the main thread stops
 * taking templates and a worker exits and is replaced while templates remain, so memory stays
 * flat however many templates a run has.
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
  const budgets = resolveBudgets(options.recycle);
  // The size threshold chooses for the caller only when the caller did not say how many threads.
  const threshold = options.minResourcesForWorkers ?? (options.jobs === undefined ? 10_000 : 0);
  const singleThreaded = threads < 2 || total < threshold;
  const sampling = budgets.main.heapSampleEvery !== undefined;
  if (singleThreaded && templates.length <= budgets.main.templates && !sampling) {
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
    budget: budgets.worker,
  };
  const onHeap = options.recycle?.onHeapSample;
  let workersStarted = 0;
  const left = (): boolean => Atomics.load(counter, 0) < templates.length;
  // A slot keeps one worker running, replacing it each time it exits on its budget, until no
  // template is left.
  const slot = async (): Promise<void> => {
    while (left()) {
      const thread = ++workersStarted;
      await runWorker(data, record, (templates, heapUsed) => onHeap?.({ thread, templates, heapUsed }));
    }
  };
  // Single-threaded: the workers wait for the main thread to spend its budget, so one thread runs at a time.
  const workers = singleThreaded ? [] : Array.from({ length: threads - 1 }, () => slot());
  // The main thread checks too, yielding between templates so that workers' results (and
  // progress) are taken in as they come.
  const checker = createTemplateChecker(base);
  const budget = budgetTracker(budgets.main, (n) =>
    onHeap?.({ thread: 0, templates: n, heapUsed: collectedHeapUsed() }),
  );
  try {
    while (!budget.spent()) {
      const index = takeNext(counter);
      if (index >= templates.length) break;
      const { findings, errors } = checker.check(templates[index]);
      record(index, { findings, errors, rules: checker.rulesOf(findings) });
      budget.checked();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    checker.close();
  }
  if (singleThreaded) workers.push(slot());
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
  heap: (templates: number, heapUsed: number) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const file = workerFile();
    // From source (tsx, vitest) the worker registers tsx's CommonJS hook before loading the .ts entry.
    const worker = file.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: data })
      : new Worker(file, { workerData: data });
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'result') record(m.index, m.result);
      else heap(m.templates, m.heapUsed);
    });
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
