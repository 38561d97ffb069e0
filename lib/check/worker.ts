// A worker thread of `checkPathsInParallel`: takes templates from the run's shared counter until
// none is left or its budget is spent, and sends each result back with its template's index.
// Exiting on the budget is what frees aws-cdk-lib's per-template leftovers (see RecycleOptions).
import { parentPort, workerData } from 'node:worker_threads';
import { createTemplateChecker } from './check';
import { budgetTracker, collectedHeapUsed, takeNext, type WorkerData, type WorkerMessage } from './parallel';

const data = workerData as WorkerData;
const counter = new Int32Array(data.next);
const send = (message: WorkerMessage): void => parentPort?.postMessage(message);
// One checker (packs, catalog, App) for the whole of this worker's share: building the packs per
// template was most of a worker's time on small templates.
const checker = createTemplateChecker(data.options);
const budget = budgetTracker(data.budget, (templates) =>
  send({ kind: 'heap', templates, heapUsed: collectedHeapUsed() }),
);
try {
  while (!budget.spent()) {
    const index = takeNext(counter);
    if (index >= data.templates.length) break;
    const { findings, errors } = checker.check(data.templates[index]);
    send({ kind: 'result', index, result: { findings, errors, rules: checker.rulesOf(findings) } });
    budget.checked();
  }
} finally {
  checker.close();
}
