import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { labelOfActor } from './cases';
import { loadReferenceModel, type ReferenceModel } from './harness';
import { ACCESS_MATRIX_PATH, allCaseNames, renderAccessMatrix } from './matrix';

let model: ReferenceModel;
beforeAll(() => {
  model = loadReferenceModel();
});

it(`${ACCESS_MATRIX_PATH} is what the cases generate (regenerate with npm run docs:access)`, async () => {
  const expected = await renderAccessMatrix(model);
  const committed = readFileSync(ACCESS_MATRIX_PATH, 'utf8');
  expect(committed, `${ACCESS_MATRIX_PATH} is stale: run npm run docs:access and commit it`).toBe(expected);
});

it('no two cases share a name (each is one row and one test)', () => {
  const names = allCaseNames({ labelOf: labelOfActor });
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
});
