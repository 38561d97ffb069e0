import { beforeAll } from 'vitest';
import { declareCases } from './declare';
import { SAGEMAKER_CASES } from './cases/sagemaker';
import { loadReferenceModel, type ReferenceModel } from './harness';

// The authorization proof of the SageMaker execution roles (training, processing, endpoint,
// feature store offline store), the pipeline role and the schedule and rule roles that start it.
let model: ReferenceModel;
beforeAll(() => {
  model = loadReferenceModel();
});

declareCases('SageMaker roles', SAGEMAKER_CASES, () => model);
