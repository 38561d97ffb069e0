// A worker thread of `checkPathsInParallel`: checks its share of templates and sends each result back.
import { parentPort, workerData } from 'node:worker_threads';
import { CheckOptions, checkTemplates } from './check';
import { TemplateInput } from './inputs';
import type { WorkerMessage } from './parallel';

const data = workerData as { templates: [number, TemplateInput][]; options: CheckOptions };
for (const [index, template] of data.templates) {
  const message: WorkerMessage = { index, result: checkTemplates([template], data.options) };
  parentPort?.postMessage(message);
}
