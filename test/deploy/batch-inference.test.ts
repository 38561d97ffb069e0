import { beforeAll } from 'vitest';
import { declareCases } from './declare';
import { BATCH_INFERENCE_CASES } from './cases/batch-inference';
import { loadReferenceModel, type ReferenceModel } from './harness';

// The authorization proof of the reference app's batch inference (issue 18): the model's execution
// role, the pipeline role and the schedule role of the serving stack's BatchInference.
let model: ReferenceModel;
beforeAll(() => {
  model = loadReferenceModel();
});

declareCases('Batch inference', BATCH_INFERENCE_CASES, () => model);
