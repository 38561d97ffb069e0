import { beforeAll } from 'vitest';
import { declareCases } from './declare';
import { NEGATIVE_CASES } from './cases/negative';
import { loadReferenceModel, type ReferenceModel } from './harness';

// What nobody may do: an account IAM admin using data keys, principals the bucket policies do not
// name, other accounts; and the upload matrix of the SecureBucket deny statements.
let model: ReferenceModel;
beforeAll(() => {
  model = loadReferenceModel();
});

declareCases('Negative cases and uploads', NEGATIVE_CASES, () => model);
