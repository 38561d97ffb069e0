import { beforeAll } from 'vitest';
import { declareCases } from './declare';
import { ASYNC_INFERENCE_CASES } from './cases/async-inference';
import { loadReferenceModel, type ReferenceModel } from './harness';

// The authorization proof of the reference app's asynchronous endpoint (its execution role).
let model: ReferenceModel;
beforeAll(() => {
  model = loadReferenceModel();
});

declareCases('Async inference', ASYNC_INFERENCE_CASES, () => model);
