import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../constructs/training/model-registry';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import { propsError } from '../support/props';
import { minimalProps, trainingFixture } from './fixtures';

describe('SpotTrainingPipeline riskTier', () => {
  it('refuses a high-risk pipeline registering into a registry without the high tier', () => {
    const f = trainingFixture();
    const e = propsError(
      () => new SpotTrainingPipeline(f.stack, 'Pipeline', { ...minimalProps(f), riskTier: 'high' }),
    );
    expect(e.message).toContain("modelRegistry: has another risk tier than the pipeline's high");
    expect(e.message).toContain("expected a ModelRegistry with riskTier: 'high'");
  });

  it('refuses a high-risk pipeline registering into an imported registry (its tier and gate cannot be seen)', () => {
    const f = trainingFixture();
    const imported = ModelRegistry.fromModelPackageGroupName(f.stack, 'Imported', 'elsewhere');
    const e = propsError(
      () =>
        new SpotTrainingPipeline(f.stack, 'Pipeline', {
          ...minimalProps(f),
          modelRegistry: imported,
          riskTier: 'high',
        }),
    );
    expect(e.message).toContain('modelRegistry:');
  });

  it('refuses a pipeline whose tier differs from its registry', () => {
    const f = trainingFixture();
    const limited = new ModelRegistry(f.stack, 'Limited', { alerts: f.alerts, riskTier: 'limited' });
    const e = propsError(
      () =>
        new SpotTrainingPipeline(f.stack, 'Pipeline', {
          ...minimalProps(f),
          modelRegistry: limited,
          riskTier: 'minimal',
        }),
    );
    expect(e.message).toContain("pipeline's minimal");
  });

  it("accepts a pipeline whose tier is its registry's, and a lower tier without a declared registry tier", () => {
    const f = trainingFixture();
    const high = new ModelRegistry(f.stack, 'High', { alerts: f.alerts, riskTier: 'high' });
    expect(
      () =>
        new SpotTrainingPipeline(f.stack, 'P1', {
          ...minimalProps(f),
          pipelineName: 'p1',
          modelRegistry: high,
          riskTier: 'high',
        }),
    ).not.toThrow();
    expect(
      () =>
        new SpotTrainingPipeline(f.stack, 'P2', {
          ...minimalProps(f),
          pipelineName: 'p2',
          riskTier: 'limited',
        }),
    ).not.toThrow();
  });
});
