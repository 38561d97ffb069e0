import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { labelOfActor } from './cases';
import { loadReferenceModel, type ReferenceModel } from './harness';
import { shortId } from './harness';
import { ACCESS_MATRIX_PATH, allCaseNames, renderAccessMatrix, SECTIONS } from './matrix';

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

/** Roles of the reference app the proof does not exercise, and why. */
const NOT_EXERCISED: Record<string, string> = {
  // Application Auto Scaling acts on SageMaker variants through its service-linked role
  // (AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint), not through this role.
  // https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html
  EndpointScalingRole: 'Application Auto Scaling uses its service-linked role',
  AsyncEndpointScalingRole:
    'Application Auto Scaling uses its service-linked role (as for EndpointScalingRole)',
};

it('every role of the reference app is an actor of some case, or is listed with a reason', () => {
  const roles = Object.values(model.templates).flatMap((t) =>
    Object.entries(t.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .map(([id]) => shortId(id)),
  );
  const actors = new Set(
    SECTIONS.flatMap((s) =>
      s.cases.flatMap((c) => ('role' in c.actor ? [c.actor.role.split('/').pop()] : [])),
    ),
  );
  const assumed = new Set(
    SECTIONS.flatMap((s) => s.cases.filter((c) => c.action === 'sts:AssumeRole').map((c) => c.resourceLabel)),
  );
  const missing = roles.filter((r) => !(r in NOT_EXERCISED) && !(actors.has(r) || assumed.has(r)));
  expect(missing).toEqual([]);
  // And every role with permissions has a trust case: the service can really assume it.
  const untrusted = [...actors].filter((r) => r !== undefined && !assumed.has(r));
  expect(untrusted).toEqual([]);
});
