import { describe, expect, it } from 'vitest';
import {
  assertValidDefinition,
  compilePipelineSchema,
  conditionStep,
  NO_PIPELINE_SCHEMA,
  PIPELINE_SCHEMA,
  pipelineDefinition,
  processingStep,
  registerModelStep,
  trainingStep,
} from './fixtures';

describe('pipeline definition fixtures', () => {
  it.skipIf(NO_PIPELINE_SCHEMA)('validate against the shared pipeline definition schema', () => {
    expect(() =>
      pipelineDefinition([processingStep(), trainingStep(), conditionStep('Gate', [registerModelStep()])]),
    ).not.toThrow();
  });
  it.skipIf(NO_PIPELINE_SCHEMA)('reject what the schema rejects, so the validation is real', () => {
    expect(() => assertValidDefinition({ Version: '2020-12-01' })).toThrow(/Steps/);
    expect(() => pipelineDefinition([trainingStep('Train', { EnableNetworkIsolation: 'yes' })])).toThrow(
      /invalid/,
    );
    expect(() => pipelineDefinition([{ Name: 'bad name!', Type: 'Training', Arguments: {} }])).toThrow(
      /invalid/,
    );
  });
  it.skipIf(NO_PIPELINE_SCHEMA)(
    'extend the stock schema by RegisterModel ModelApprovalStatus, which it still lacks',
    () => {
      const stock = compilePipelineSchema(PIPELINE_SCHEMA!);
      const withStatus = { Version: '2020-12-01', Steps: [registerModelStep()] };
      const { Arguments, ...rest } = registerModelStep() as { Arguments: Record<string, unknown> };
      const { ModelApprovalStatus: _status, ...argsWithoutStatus } = Arguments;
      expect(stock(withStatus)).toBe(false);
      expect(stock({ Version: '2020-12-01', Steps: [{ ...rest, Arguments: argsWithoutStatus }] })).toBe(true);
    },
  );
  // https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html: "ExceptionType": [String].
  it.skipIf(NO_PIPELINE_SCHEMA)(
    'take RetryPolicies ExceptionType as a list of strings, where the stock schema wrongly wants one string',
    () => {
      const stock = compilePipelineSchema(PIPELINE_SCHEMA!);
      const withRetry = (ExceptionType: unknown) => ({
        Version: '2020-12-01',
        Steps: [{ ...processingStep(), RetryPolicies: [{ ExceptionType, MaxAttempts: 3 }] }],
      });
      expect(() => pipelineDefinition(withRetry(['SageMaker.CAPACITY_ERROR']).Steps)).not.toThrow();
      expect(() => pipelineDefinition(withRetry('SageMaker.CAPACITY_ERROR').Steps)).toThrow(/invalid/);
      expect(stock(withRetry('SageMaker.CAPACITY_ERROR'))).toBe(true);
      expect(stock(withRetry(['SageMaker.CAPACITY_ERROR']))).toBe(false);
    },
  );
});
