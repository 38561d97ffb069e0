import { beforeAll, describe, expect, it } from 'vitest';
import { declareCases } from './declare';
import { ONCALL_CASES, ONCALL_HANDLER_CALLS, REFERENCE_CANARY } from './cases/oncall';
import { loadReferenceModel, type ReferenceModel } from './harness';

// The authorization proof of the on-call actors (issue 19): the model-health canary and the AWS
// Chatbot channel role, evaluated against the synthesized reference app with iam-simulate.
let model: ReferenceModel;
beforeAll(() => {
  model = loadReferenceModel();
});

declareCases('On-call: model-health canary and chat channel role', ONCALL_CASES, () => model);

describe('on-call proof inputs', () => {
  it('names the canary the reference app synthesizes', () => {
    expect(model.prop('HealthCheck', 'Name')).toBe(REFERENCE_CANARY);
  });

  // The reference app's health check probes the churn feature group (GetRecord), sends the golden
  // request to the endpoint (InvokeEndpoint; the API's execute-api:Invoke is left out of the calls)
  // and publishes metrics: each must have an allowed case.
  for (const { role, calls } of ONCALL_HANDLER_CALLS) {
    it(`${role}: every declared call the reference app makes has an allowed case`, () => {
      const covered = new Set(
        ONCALL_CASES.filter((c) => 'role' in c.actor && c.actor.role === role && c.expect === 'allow').map(
          (c) => c.action,
        ),
      );
      expect(calls.map((c) => c.iamAction)).toContain('sagemaker:GetRecord');
      expect(calls.map((c) => c.iamAction).filter((a) => !covered.has(a))).toEqual([]);
    });
  }
});
