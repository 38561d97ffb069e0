// A worker thread of `checkPathsInParallel`: checks its share of templates and sends each result back.
import { parentPort, workerData } from 'node:worker_threads';
import { CheckOptions, createTemplateChecker } from './check';
import { TemplateInput } from './inputs';
import type { WorkerMessage } from './parallel';

const data = workerData as { templates: [number, TemplateInput][]; options: CheckOptions };
// One checker (packs, catalog, App) for the whole share: building the packs per template was
// most of a worker's time on small templates.
const checker = createTemplateChecker(data.options);
try {
  for (const [index, template] of data.templates) {
    const { findings, errors } = checker.check(template);
    const message: WorkerMessage = { index, result: { findings, errors, rules: checker.rulesOf(findings) } };
    parentPort?.postMessage(message);
  }
} finally {
  checker.close();
}
