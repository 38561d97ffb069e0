import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RequiredTags } from '../../constructs/core/tags';
import { DEFAULT_CONFIG } from '../../examples/reference-app/config';
import { PlatformStack } from '../../examples/reference-app/platform-stack';
import { ServingStack } from '../../examples/reference-app/serving';
import { findingLines } from '../support/nag';

// The reference app serves the churn model in batch mode too (issue 18: "the reference app
// serves one model in each of two modes"): a nightly pipeline with one transform job.

function build(mode?: 'realtime' | 'realtime+async') {
  const app = new App();
  const env = { account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.region };
  const platform = new PlatformStack(app, 'Platform', { env, config: DEFAULT_CONFIG });
  const serving = new ServingStack(app, 'ServingChurn', {
    env,
    keys: platform.keys,
    alerts: platform.alerts,
    network: platform.network,
    apiGatewayAccount: platform.apiGatewayAccount,
    imageRepository: platform.servedModelImages.churn,
    modelArtifacts: platform.modelArtifacts,
    modelName: 'churn',
    imageDigest: `sha256:${'ab'.repeat(32)}`,
    modelVersion: '7',
    environment: 'prod',
    mode,
  });
  RequiredTags.apply(app, DEFAULT_CONFIG.tags);
  return { platform, serving, t: Template.fromStack(serving) };
}

type Step = { Type: string; Arguments: Record<string, Record<string, unknown>> };

/** The transform step, with each reference replaced by a JSON-safe placeholder naming it. */
function transformStep(t: Template): Step {
  const [pipeline] = Object.values(t.findResources('AWS::SageMaker::Pipeline'));
  const body = pipeline.Properties.PipelineDefinition.PipelineDefinitionBody as
    string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1]
          .map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part).replace(/"/g, "'")}>`))
          .join('');
  return (JSON.parse(text) as { Steps: Step[] }).Steps[0];
}

describe('reference app batch inference', () => {
  it('passes every pack in the serving stack', () => {
    expect(findingLines(build().serving)).toEqual([]);
  });

  it('is there in every serving mode, on a nightly EventBridge Scheduler schedule with a dead-letter queue', () => {
    for (const mode of ['realtime', 'realtime+async'] as const) {
      const { serving, t } = build(mode);
      expect(serving.batch).toBeDefined();
      t.resourceCountIs('AWS::SageMaker::Pipeline', 1);
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 2 * * ? *)',
        Target: Match.objectLike({ DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }) }),
      });
    }
  });

  // CreateTransformJob: VolumeKmsKeyId in TransformResources, KmsKeyId in TransformOutput, and
  // DataProcessing with JoinSource Input so each prediction carries its record id.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html
  it('encrypts the volume with the models key and the predictions with the bucket key, joined to the record id', () => {
    const { t } = build();
    const step = transformStep(t);
    expect(step.Type).toBe('Transform');
    expect(JSON.stringify(step.Arguments.TransformResources.VolumeKmsKeyId)).toContain('KeysModelsKey');
    expect(JSON.stringify(step.Arguments.TransformOutput.KmsKeyId)).toContain('KeysModelsKey');
    expect(step.Arguments.DataProcessing).toEqual({
      InputFilter: '$[1:]',
      JoinSource: 'Input',
      OutputFilter: '$[0,-1]',
    });
    // Records and predictions live in the serving stack's own bucket (its policy takes the grants).
    expect(JSON.stringify(step.Arguments.TransformInput)).toContain('Models');
  });

  // Network isolation and a VPC config on the model the transform jobs run.
  // https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html
  it('runs the same digest-pinned model, network-isolated, in the inference network', () => {
    const { t } = build();
    const models = t.findResources('AWS::SageMaker::Model');
    const ids = Object.keys(models).filter((id) => id.startsWith('BatchInferenceModel'));
    expect(ids).toHaveLength(1);
    const model = models[ids[0]].Properties as Record<string, unknown>;
    expect(model.EnableNetworkIsolation).toBe(true);
    expect(JSON.stringify(model.VpcConfig)).toMatch(/isolatedSubnet1.*isolatedSubnet2/);
    expect(JSON.stringify(model.PrimaryContainer)).toContain(`@sha256:${'ab'.repeat(32)}`);
    expect(JSON.stringify(model.PrimaryContainer)).toContain('/models/churn/7/model.tar.gz');
    // The pipeline's step runs that model.
    expect(JSON.stringify(transformStep(t).Arguments.ModelName)).toContain(ids[0]);
  });

  it('leaves the platform stack free of references to the serving stack', () => {
    const { platform, serving } = build();
    expect(platform.dependencies).not.toContain(serving);
  });
});
