import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Finding, InputError, Report, RuleInfo } from '../report/finding';
import { CheckOptions, checkTemplates, reportOf, resolvePackNames, TemplateCheckResult } from './check';
import { loadInputs, TemplateInput } from './inputs';

/** Options of {@link checkPathsInParallel}. */
export interface ParallelCheckOptions extends CheckOptions {
  /**
   * Worker threads to spread templates over.
   * @default - the machine's available parallelism
   */
  readonly jobs?: number;
  /**
   * Fewer resources than this in all templates together and the run stays on the main thread:
   * a worker needs about a second to load aws-cdk-lib and cdk-nag, so on two cores workers only
   * pay off for large runs (measured: 5,000 resources no gain, 20,000 resources 1.2× faster).
   * @default 10000
   */
  readonly minResourcesForWorkers?: number;
}

/** What a worker sends back for one template. */
export interface WorkerMessage {
  readonly index: number;
  readonly result: TemplateCheckResult;
}

/**
 * {@link checkPaths} spread over worker threads: templates are dealt to workers by resource count
 * (largest first), each worker runs every pack over its share, and the findings come back in the
 * order of the inputs, so the report is the same as a single-threaded run.
 */
export async function checkPathsInParallel(
  paths: readonly string[],
  options: ParallelCheckOptions,
): Promise<Report> {
  const packNames = resolvePackNames(options.packs);
  const loaded = loadInputs(paths, options.cwd);
  const templates = loaded.templates;
  const resources = (t: TemplateInput) => Object.keys(t.template.Resources).length;
  const total = templates.reduce((n, t) => n + resources(t), 0);
  const jobs = Math.min(options.jobs ?? availableParallelism(), templates.length);
  const base: CheckOptions = { ...options, packs: packNames };
  if (jobs < 2 || total < (options.minResourcesForWorkers ?? 10_000)) {
    return reportOf(loaded, checkTemplates(templates, base), packNames);
  }

  // Deal the templates, largest first, to the least-loaded worker.
  const shares: { load: number; items: [number, TemplateInput][] }[] = Array.from({ length: jobs }, () => ({
    load: 0,
    items: [],
  }));
  [...templates.keys()]
    .sort((a, b) => resources(templates[b]) - resources(templates[a]))
    .forEach((i) => {
      const share = shares.reduce((min, s) => (s.load < min.load ? s : min));
      share.items.push([i, templates[i]]);
      share.load += resources(templates[i]);
    });

  const results: TemplateCheckResult[] = new Array(templates.length);
  let done = 0;
  const workerOptions = {
    cwd: base.cwd,
    packs: packNames,
    acknowledgments: base.acknowledgments,
    today: base.today,
  };
  await Promise.all(
    shares
      .filter((s) => s.items.length > 0)
      .map(
        (share) =>
          new Promise<void>((resolve, reject) => {
            const file = workerFile();
            // From source (tsx, vitest) the worker registers tsx's CommonJS hook before loading the .ts entry.
            const worker = file.endsWith('.ts')
              ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, {
                  eval: true,
                  workerData: { templates: share.items, options: workerOptions },
                })
              : new Worker(file, { workerData: { templates: share.items, options: workerOptions } });
            worker.on('message', (m: WorkerMessage) => {
              results[m.index] = m.result;
              done += 1;
              options.onProgress?.(done, templates.length);
            });
            worker.on('error', reject);
            worker.on('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`check worker exited with code ${code}`)),
            );
          }),
      ),
  );

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

/** The worker entry: the compiled `.js` beside this file, or the `.ts` source under tsx and vitest. */
function workerFile(): string {
  const ext = path.extname(__filename);
  return path.join(__dirname, `worker${ext === '.ts' ? '.ts' : '.js'}`);
}
