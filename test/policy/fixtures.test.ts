import { describe, expect, it } from 'vitest';
import {
  assertValidDefinition,
  compilePipelineSchema,
  conditionStep,
  PIPELINE_SCHEMA,
  pipelineDefinition,
  processingStep,
  registerModelStep,
  trainingStep,
} from './fixtures';

describe('pipeline definition fixtures', () => {
  it('validate against the shared pipeline definition schema', () => {
    expect(() =>
      pipelineDefinition([processingStep(), trainingStep(), conditionStep('Gate', [registerModelStep()])]),
    ).not.toThrow();
  });
  it('reject what the schema rejects, so the validation is real', () => {
    expect(() => assertValidDefinition({ Version: '2020-12-01' })).toThrow(/Steps/);
    expect(() => pipelineDefinition([trainingStep('Train', { EnableNetworkIsolation: 'yes' })])).toThrow(
      /invalid/,
    );
    expect(() => pipelineDefinition([{ Name: 'bad name!', Type: 'Training', Arguments: {} }])).toThrow(
      /invalid/,
    );
  });
  it('extend the stock schema only by RegisterModel ModelApprovalStatus, which it still lacks', () => {
    const stock = compilePipelineSchema(PIPELINE_SCHEMA);
    const withStatus = { Version: '2020-12-01', Steps: [registerModelStep()] };
    const { Arguments, ...rest } = registerModelStep() as { Arguments: Record<string, unknown> };
    const { ModelApprovalStatus: _status, ...argsWithoutStatus } = Arguments;
    expect(stock(withStatus)).toBe(false);
    expect(stock({ Version: '2020-12-01', Steps: [{ ...rest, Arguments: argsWithoutStatus }] })).toBe(true);
  });
});
