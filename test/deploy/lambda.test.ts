import { beforeAll, describe, expect, it } from 'vitest';
import { declareCases } from './declare';
import { HANDLER_CALLS, LAMBDA_CASES } from './cases/lambda';
import { loadReferenceModel, type ReferenceModel } from './harness';

// The authorization proof of the Lambda handlers: every SDK call each handler declares
// (lib/handlers/<handler>/sdk-calls.ts, pinned by its loopback-fake test) and every call Lambda and
// Scheduler make for it, evaluated against the synthesized reference app with iam-simulate.
let model: ReferenceModel;
beforeAll(() => {
  model = loadReferenceModel();
});

declareCases('Lambda handlers and their schedules', LAMBDA_CASES, () => model);

describe('every declared SDK call has an allowed case', () => {
  for (const { role, calls } of HANDLER_CALLS) {
    it(`${role}: ${calls.map((c) => c.iamAction).join(', ')}`, () => {
      const covered = new Set(
        LAMBDA_CASES.filter((c) => 'role' in c.actor && c.actor.role === role && c.expect === 'allow').map(
          (c) => c.action,
        ),
      );
      expect(calls.map((c) => c.iamAction).filter((a) => !covered.has(a))).toEqual([]);
    });
  }
});
