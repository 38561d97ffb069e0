import { describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RequiredTags } from '../../constructs/core/tags';
import { DEFAULT_CONFIG } from '../../examples/reference-app/config';
import { PlatformStack } from '../../examples/reference-app/platform-stack';
import { addTraining } from '../../examples/reference-app/training';
import { findingLines } from '../support/nag';
import { NO_PIPELINE_SCHEMA, schemaErrors, synthesizedDefinition } from '../training/pipeline-schema';

function platformWithTraining() {
  const app = new App();
  const stack = new PlatformStack(app, 'Platform', {
    env: { account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.region },
    config: DEFAULT_CONFIG,
  });
  RequiredTags.apply(app, DEFAULT_CONFIG.tags);
  return { stack, training: addTraining(stack) };
}

describe('addTraining', () => {
  it('passes every pack with the training capability applied', () => {
    const { stack } = platformWithTraining();
    expect(findingLines(stack)).toEqual([]);
  });

  it('adds an image repository, a registry and a scheduled pipeline with evaluation and a gate', () => {
    const { stack, training } = platformWithTraining();
    const t = Template.fromStack(stack);
    // The training repository, beside the platform's one serving repository per served model.
    t.resourceCountIs('AWS::ECR::Repository', 1 + DEFAULT_CONFIG.servedModels.length);
    t.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 1);
    t.resourceCountIs('AWS::SageMaker::Pipeline', 1);
    t.resourceCountIs('AWS::Scheduler::Schedule', 1);
    const definition = synthesizedDefinition(training.pipeline.resource);
    // WriteManifest (Lambda), CheckBias (Lambda), BiasGate (Condition holding Train), Evaluate,
    // CheckFairness (Lambda), CheckMetric (metric AND fairness, holding RegisterModel), RecordLineage.
    expect((definition.Steps as { Name: string; Type: string }[]).map((s) => [s.Name, s.Type])).toEqual([
      ['WriteManifest', 'Lambda'],
      ['CheckBias', 'Lambda'],
      ['BiasGate', 'Condition'],
      ['Evaluate', 'Processing'],
      ['CheckFairness', 'Lambda'],
      ['CheckMetric', 'Condition'],
      ['RecordLineage', 'Lambda'],
    ]);
    expect(training.pipeline.fairnessCheckFunction).toBeDefined();
    // The bias check writes where the review gate requires the cited report to be.
    const p = training.pipeline;
    expect(Stack.of(p).resolve(p.biasReportsBucket!.s3UriForPrefix(p.biasReportsPrefix))).toEqual(
      Stack.of(p).resolve(training.reviewGate.reportsS3Uri),
    );
  });

  it.skipIf(NO_PIPELINE_SCHEMA)('writes a pipeline definition valid against the published schema', () => {
    const { training } = platformWithTraining();
    expect(schemaErrors(synthesizedDefinition(training.pipeline.resource))).toEqual([]);
  });
});

describe('addTraining review gate (the reference model is high risk)', () => {
  it('declares the registry and pipeline high risk and guards the registry with a review gate', () => {
    const { stack, training } = platformWithTraining();
    expect(training.registry.riskTier).toBe('high');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'churn-model',
      Tags: Match.arrayWith([{ Key: 'risk-tier', Value: 'high' }]),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        detail: { ModelPackageGroupName: ['churn-model'], ModelApprovalStatus: ['Approved'] },
      }),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ModelReviewGateFunction'), 'Arn'] },
        }),
      ],
    });
    expect(training.reviewGate.reportsPrefix).toBe('bias-reports/churn-model/');
    // Synth runs the registry's check that a gate guards it.
    expect(() => App.of(stack)!.synth()).not.toThrow();
  });
});
