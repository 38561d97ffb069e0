// A worker thread of `checkPathsInParallel`: takes templates from the run's shared counter until
// none is left, and sends each result back with its template's index.
import { parentPort, workerData } from 'node:worker_threads';
import { createTemplateChecker } from './check';
import { takeNext, type WorkerData, type WorkerMessage } from './parallel';

const data = workerData as WorkerData;
const counter = new Int32Array(data.next);
// One checker (packs, catalog, App) for the whole run: building the packs per template was
// most of a worker's time on small templates.
const checker = createTemplateChecker(data.options);
try {
  for (let index = takeNext(counter); index < data.templates.length; index = takeNext(counter)) {
    const { findings, errors } = checker.check(data.templates[index]);
    const message: WorkerMessage = { index, result: { findings, errors, rules: checker.rulesOf(findings) } };
    parentPort?.postMessage(message);
  }
} finally {
  checker.close();
}
