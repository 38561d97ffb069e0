import { describe, expect, it } from 'vitest';
import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV as MANIFEST_ENV } from '../../lib/handlers/dataset-manifest/contract';
import { ENV as RECORD_ENV } from '../../lib/handlers/record-lineage/contract';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import type { LineageOptions } from '../../constructs/training/spot-training-pipeline-lineage';
import { findingLines } from '../support/nag';
import { propsError as errorOf } from '../support/props';
import { DIGEST, EVAL_DIGEST, pipelineWith, TrainingFixture, trainingFixture } from './fixtures';
import { NO_PIPELINE_SCHEMA, schemaErrors, synthesizedDefinition, unrepairedErrors } from './pipeline-schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STEP_TYPE_LAMBDA =
  'https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda';
const PROPERTIES = 'https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-properties.html';
const UPDATE_MODEL_PACKAGE =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html';

function lineage(f: TrainingFixture, extra: Json = {}): LineageOptions {
  return { encryptionKey: f.keys.logs, ...extra };
}
function withLineage(extra: Json = {}, more: Json = {}) {
  const f = trainingFixture();
  return pipelineWith({ lineage: lineage(f, extra), ...more }, f);
}
function steps(pipeline: SpotTrainingPipeline): Json[] {
  return synthesizedDefinition(pipeline.resource).Steps as Json[];
}
function find(all: Json[], name: string): Json | undefined {
  for (const s of all) {
    if (s.Name === name) return s;
    const inner = find([...(s.Arguments?.IfSteps ?? []), ...(s.Arguments?.ElseSteps ?? [])], name);
    if (inner) return inner;
  }
  return undefined;
}
function fnLogicalId(pipeline: SpotTrainingPipeline, which: 'manifest' | 'record'): string {
  return Stack.of(pipeline).getLogicalId(
    pipeline.lineageFunctions![which].function.node.defaultChild as never,
  );
}
function statementsOf(stack: Stack, role: unknown): Json[] {
  const t = Template.fromStack(stack).toJSON() as Json;
  const roleRef = JSON.stringify(stack.resolve(role));
  return Object.values(t.Resources as Json)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::ManagedPolicy' &&
        (r.Properties.Roles ?? []).some((x: unknown) => JSON.stringify(x) === roleRef),
    )
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[]);
}
function bucketStatementsFor(stack: Stack, roleArn: string): Json[] {
  const role = JSON.stringify(stack.resolve(roleArn));
  const t = Template.fromStack(stack).toJSON() as Json;
  return Object.values(t.Resources as Json)
    .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[])
    .filter((st) => st.Effect === 'Allow' && JSON.stringify(st.Principal?.AWS) === role);
}

describe('SpotTrainingPipeline lineage: the definition', () => {
  it(`starts with the WriteManifest Lambda step on this execution's dataset version (${STEP_TYPE_LAMBDA})`, () => {
    const { pipeline } = withLineage();
    const [write, train] = steps(pipeline);
    expect(write).toMatchObject({
      Name: 'WriteManifest',
      Type: 'Lambda',
      OutputParameters: [
        { OutputName: 'manifestUri', OutputType: 'String' },
        { OutputName: 'manifestSha256', OutputType: 'String' },
      ],
    });
    expect(write.Arguments.executionId).toEqual({ Get: 'Execution.PipelineExecutionId' });
    const uri = write.Arguments.datasetUri['Std:Join'].Values as unknown[];
    expect(uri[1]).toEqual({ Get: 'Parameters.DatasetVersion' });
    expect(uri[2]).toBe('/');
    expect(String(uri[0])).toMatch(/\/datasets\/churn\/v$/);
    // Training cannot start before the manifest exists (a failed Lambda step fails the execution).
    expect(train.Name).toBe('Train');
    expect(train.DependsOn).toEqual(['WriteManifest']);
    const resolved = JSON.stringify(Stack.of(pipeline).resolve(pipeline.resource.pipelineDefinition));
    expect(resolved).toContain(`"${fnLogicalId(pipeline, 'manifest')}","Arn"`);
    expect(resolved).toContain(`"${fnLogicalId(pipeline, 'record')}","Arn"`);
  });

  it(`adds RecordLineage after RegisterModel, reading its ModelPackageArn and the manifest outputs (${PROPERTIES})`, () => {
    const { pipeline } = withLineage({ featureContract: { name: 'churn-features', version: '1.2.0' } });
    const all = steps(pipeline);
    expect(all.map((s) => s.Name)).toEqual(['WriteManifest', 'Train', 'RegisterModel', 'RecordLineage']);
    const record = all[3];
    expect(record.Type).toBe('Lambda');
    expect(record.Arguments).toEqual({
      modelPackageArn: { Get: 'Steps.RegisterModel.ModelPackageArn' },
      datasetManifest: { Get: "Steps.WriteManifest.OutputParameters['manifestUri']" },
      datasetManifestSha256: { Get: "Steps.WriteManifest.OutputParameters['manifestSha256']" },
      datasetBucket: expect.anything(),
      trainingJob: { Get: 'Steps.Train.TrainingJobArn' },
      trainingImageDigest: DIGEST,
      codeVersion: expect.stringMatching(/^definition-sha256:[0-9a-f]{64}$/),
      pipelineExecution: { Get: 'Execution.PipelineExecutionArn' },
      featureContract: 'churn-features@1.2.0',
    });
  });

  it('with bias check, evaluation and gate: WriteManifest gates CheckBias, RecordLineage follows the registration and records both reports', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith(
      {
        lineage: lineage(f),
        biasCheck: {
          label: 'churned=1',
          facets: ['gender=female'],
          failOn: { DPL: 0.2 },
          encryptionKey: f.keys.logs,
        },
        evaluation: { image: f.images.image(EVAL_DIGEST), entrypoint: ['python3', 'evaluate.py'] },
        registrationGate: { metric: 'metrics.auc.value', threshold: 0.8 },
      },
      f,
    );
    const all = steps(pipeline);
    expect(all.map((s) => s.Name)).toEqual([
      'WriteManifest',
      'CheckBias',
      'BiasGate',
      'Evaluate',
      'CheckMetric',
      'RecordLineage',
    ]);
    expect(all[1].DependsOn).toEqual(['WriteManifest']);
    // The published schema allows no Lambda step in a condition branch: RecordLineage is top-level
    // and waits for RegisterModel through its ModelPackageArn reference.
    expect(all[4].Arguments.IfSteps.map((s: Json) => s.Name)).toEqual(['RegisterModel']);
    const record = find(all, 'RecordLineage')!;
    expect(record.Arguments.biasReport).toEqual({ Get: "Steps.CheckBias.OutputParameters['reportUri']" });
    expect(record.Arguments.evaluationReport).toEqual(
      find(all, 'RegisterModel')!.Arguments.ModelMetrics.ModelQuality.Statistics.S3Uri,
    );
  });

  it('with the post-training fairness check: RecordLineage records its report as lineage:fairness-report', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith(
      {
        lineage: lineage(f),
        evaluation: { image: f.images.image(EVAL_DIGEST), entrypoint: ['python3', 'evaluate.py'] },
        registrationGate: { metric: 'metrics.auc.value', threshold: 0.8 },
        fairnessCheck: {
          label: 'churned=1',
          prediction: 'score:>=0.5',
          facets: ['gender=female'],
          failOn: { DPPL: 0.1 },
          encryptionKey: f.keys.logs,
        },
      },
      f,
    );
    const all = steps(pipeline);
    expect(all.map((s) => s.Name)).toEqual([
      'WriteManifest',
      'Train',
      'Evaluate',
      'CheckFairness',
      'CheckMetric',
      'RecordLineage',
    ]);
    expect(find(all, 'RecordLineage')!.Arguments.fairnessReport).toEqual({
      Get: "Steps.CheckFairness.OutputParameters['reportUri']",
    });
  });

  it('records the given codeVersion instead of the definition hash', () => {
    const { pipeline } = withLineage({ codeVersion: 'git:1a2b3c4d' });
    expect(find(steps(pipeline), 'RecordLineage')!.Arguments.codeVersion).toBe('git:1a2b3c4d');
  });

  it('the default code version changes when the definition does, and only then', () => {
    const version = (more: Json) =>
      find(steps(withLineage({}, more).pipeline), 'RecordLineage')!.Arguments.codeVersion as string;
    expect(version({})).toBe(version({}));
    expect(version({ hyperparameters: { epochs: 3 } })).not.toBe(version({ hyperparameters: { epochs: 4 } }));
  });

  it('is absent without lineage (definition unchanged)', () => {
    const { pipeline } = pipelineWith();
    expect(steps(pipeline).map((s) => s.Name)).toEqual(['Train', 'RegisterModel']);
    expect(pipeline.lineageFunctions).toBeUndefined();
  });

  it.skipIf(NO_PIPELINE_SCHEMA)(
    'validates against the pipeline definition schema, with every optional step',
    () => {
      const f = trainingFixture();
      const { pipeline } = pipelineWith(
        {
          lineage: lineage(f),
          biasCheck: {
            label: 'churned=1',
            facets: ['gender=female'],
            failOn: { DPL: 0.2 },
            encryptionKey: f.keys.logs,
          },
          evaluation: { image: f.images.image(EVAL_DIGEST), entrypoint: ['python3', 'evaluate.py'] },
          registrationGate: { metric: 'metrics.auc.value', threshold: 0.8 },
          fairnessCheck: {
            label: 'churned=1',
            prediction: 'score:>=0.5',
            facets: ['gender=female'],
            failOn: { DPPL: 0.1 },
            encryptionKey: f.keys.logs,
          },
        },
        f,
      );
      expect(schemaErrors(synthesizedDefinition(pipeline.resource))).toEqual([]);
    },
  );

  it.skipIf(NO_PIPELINE_SCHEMA)('the published schema accepts both Lambda steps as they are', () => {
    const { pipeline } = withLineage();
    const d = synthesizedDefinition(pipeline.resource) as Json;
    expect(unrepairedErrors({ ...d, Steps: [d.Steps[0], d.Steps[3]] })).toEqual([]);
  });
});

describe('SpotTrainingPipeline lineage: functions and grants', () => {
  it('configures WriteManifest with the dataset, the training channels, the manifest prefix and the cap', () => {
    const { f, pipeline } = withLineage({ maxDatasetSize: Size.gibibytes(2) }, { inputChannels: ['train'] });
    expect(pipeline.lineagePrefix).toBe(`lineage/${pipeline.pipelineName}/`);
    Template.fromStack(f.stack).hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 600,
      MemorySize: 1024,
      Environment: {
        Variables: Match.objectLike({
          [MANIFEST_ENV.datasetPrefix]: 'datasets/churn/v',
          [MANIFEST_ENV.channels]: 'train',
          [MANIFEST_ENV.manifestPrefix]: `lineage/${pipeline.pipelineName}/`,
          [MANIFEST_ENV.maxBytes]: String(2 * 1024 ** 3),
          [MANIFEST_ENV.provenanceKey]: Match.absent(),
        }),
      },
    });
  });

  it('a third-party dataset makes WriteManifest require its provenance record (default key provenance.json)', () => {
    const { f } = withLineage({ dataProvenance: { thirdParty: true } });
    Template.fromStack(f.stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [MANIFEST_ENV.provenanceKey]: 'provenance.json' }) },
    });
    const other = withLineage({ dataProvenance: { thirdParty: true, recordsKey: 'meta/provenance.json' } });
    Template.fromStack(other.f.stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [MANIFEST_ENV.provenanceKey]: 'meta/provenance.json' }) },
    });
  });

  it('lets WriteManifest read the dataset prefix (every version) and write the manifest prefix only', () => {
    const { f, pipeline } = withLineage();
    const stack = Stack.of(pipeline);
    const st = bucketStatementsFor(stack, pipeline.lineageFunctions!.manifest.role.roleArn);
    const by = (action: string) =>
      st
        .filter((s) => [s.Action].flat().includes(action))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => JSON.stringify(r));
    expect(by('s3:GetObject')).toEqual([
      JSON.stringify(stack.resolve(f.datasets.bucket.arnForObjects('datasets/churn/v*'))),
    ]);
    expect(by('s3:PutObject')).toEqual([
      JSON.stringify(
        stack.resolve(pipeline.artifactBucket.bucket.arnForObjects(`lineage/${pipeline.pipelineName}/*`)),
      ),
    ]);
  });

  it(`lets RecordLineage call UpdateModelPackage on the group's versions only, never with an approval status (${UPDATE_MODEL_PACKAGE})`, () => {
    const { f, pipeline } = withLineage();
    const st = statementsOf(f.stack, pipeline.lineageFunctions!.record.role.roleName).filter((s) =>
      [s.Action].flat().some((a: string) => a.startsWith('sagemaker:')),
    );
    expect(st).toEqual([
      {
        Sid: 'RecordLineage',
        Effect: 'Allow',
        Action: 'sagemaker:UpdateModelPackage',
        Resource: Stack.of(pipeline).resolve(f.registry.modelPackageArnPattern),
        Condition: { Null: { 'sagemaker:ModelApprovalStatus': 'true' } },
      },
    ]);
    Template.fromStack(f.stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [RECORD_ENV.groupName]: 'churn' } },
    });
  });

  it('lets the pipeline role invoke exactly the two lineage functions', () => {
    const { f, pipeline } = withLineage();
    const invoke = statementsOf(f.stack, pipeline.role.roleName).filter((s) =>
      [s.Action].flat().includes('lambda:InvokeFunction'),
    );
    expect(invoke).toHaveLength(1);
    const stack = Stack.of(pipeline);
    expect(invoke[0].Resource).toEqual([
      stack.resolve(pipeline.lineageFunctions!.manifest.function.functionArn),
      stack.resolve(pipeline.lineageFunctions!.record.function.functionArn),
    ]);
  });

  it('has zero unacknowledged findings in all six packs (first- and third-party)', () => {
    expect(findingLines(withLineage().f.stack)).toEqual([]);
    expect(findingLines(withLineage({ dataProvenance: { thirdParty: true } }).f.stack)).toEqual([]);
  });
});

describe('SpotTrainingPipeline lineage: validation', () => {
  it('refuses a codeVersion CreateModelPackage would reject as a metadata value', () => {
    const f = trainingFixture();
    const e = errorOf(() => pipelineWith({ lineage: lineage(f, { codeVersion: 'v1 (dirty)' }) }, f));
    expect(e.message).toContain('lineage.codeVersion:');
    expect(e.message).toContain('Pipeline');
  });

  it('refuses a provenance key outside the version prefix and a timeout above 15 minutes, in one error', () => {
    const f = trainingFixture();
    const e = errorOf(() =>
      pipelineWith(
        {
          lineage: lineage(f, {
            dataProvenance: { thirdParty: true, recordsKey: '../other/provenance.json' },
            timeout: Duration.minutes(20),
          }),
        },
        f,
      ),
    );
    expect(e.message).toContain('lineage.dataProvenance.recordsKey:');
    expect(e.message).toContain('lineage.timeout:');
  });

  it('refuses a dataset cap of zero bytes', () => {
    const f = trainingFixture();
    const e = errorOf(() => pipelineWith({ lineage: lineage(f, { maxDatasetSize: Size.bytes(0) }) }, f));
    expect(e.message).toContain('lineage.maxDatasetSize:');
  });
});
