import { describe, expect, it } from 'vitest';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lib/handlers/bias-check/contract';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import { findingLines } from '../support/nag';
import { propsError as errorOf } from '../support/props';
import { EVAL_DIGEST, pipelineWith, TrainingFixture, trainingFixture } from './fixtures';
import { NO_PIPELINE_SCHEMA, schemaErrors, synthesizedDefinition, unrepairedErrors } from './pipeline-schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STEP_TYPE_LAMBDA =
  'https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda';

function biasCheck(f: TrainingFixture, extra: Json = {}) {
  return {
    label: 'churned=1',
    facets: ['gender=female'],
    failOn: { DPL: 0.2 },
    encryptionKey: f.keys.logs,
    ...extra,
  };
}
function withBias(extra: Json = {}, more: Json = {}) {
  const f = trainingFixture();
  return pipelineWith({ biasCheck: biasCheck(f, extra), ...more }, f);
}
function steps(pipeline: SpotTrainingPipeline): Json[] {
  return synthesizedDefinition(pipeline.resource).Steps as Json[];
}
function managedPolicyStatements(stack: Stack, pathFragment: string): Json[] {
  const t = Template.fromStack(stack).toJSON() as Json;
  return Object.entries(t.Resources as Json)
    .filter(
      ([, r]) =>
        r.Type === 'AWS::IAM::ManagedPolicy' && String(r.Properties.Description).includes(pathFragment),
    )
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as Json[]);
}
/** The bucket policy statements (of every bucket) whose principal is the check function's role. */
function bucketStatementsFor(pipeline: SpotTrainingPipeline): Json[] {
  const stack = Stack.of(pipeline);
  const role = JSON.stringify(stack.resolve(pipeline.biasCheckFunction!.role.roleArn));
  const t = Template.fromStack(stack).toJSON() as Json;
  return Object.values(t.Resources as Json)
    .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[])
    .filter((st) => st.Effect === 'Allow' && JSON.stringify(st.Principal?.AWS) === role);
}

describe('SpotTrainingPipeline biasCheck: the definition', () => {
  it(`starts with a Lambda step (FunctionArn, Arguments, OutputParameters; ${STEP_TYPE_LAMBDA})`, () => {
    const { pipeline } = withBias();
    const [check] = steps(pipeline);
    expect(check.Name).toBe('CheckBias');
    expect(check.Type).toBe('Lambda');
    expect(check.FunctionArn).toEqual(expect.any(String));
    expect(check.OutputParameters).toEqual([
      { OutputName: 'crossed', OutputType: 'Boolean' },
      { OutputName: 'reportUri', OutputType: 'String' },
    ]);
    expect(check.Arguments.executionId).toEqual({ Get: 'Execution.PipelineExecutionId' });
    // The training channel of the version this execution runs with.
    const uri = check.Arguments.datasetUri['Std:Join'].Values as unknown[];
    expect(uri).toContainEqual({ Get: 'Parameters.DatasetVersion' });
    expect(String(uri[uri.length - 1])).toMatch(/\/train\/$/);
    // The FunctionArn is this pipeline's check function.
    const resolved = Stack.of(pipeline).resolve(pipeline.resource.pipelineDefinition) as Json;
    const fnId = Stack.of(pipeline).getLogicalId(
      pipeline.biasCheckFunction!.function.node.defaultChild as never,
    );
    expect(JSON.stringify(resolved)).toContain(`"${fnId}","Arn"`);
  });

  it('nests training in the if-branch of BiasGate (crossed Equals false), with a Fail step otherwise', () => {
    const { pipeline } = withBias();
    const all = steps(pipeline);
    expect(all.map((s) => s.Name)).toEqual(['CheckBias', 'BiasGate', 'RegisterModel']);
    const gate = all[1];
    expect(gate.Type).toBe('Condition');
    expect(gate.Arguments.Conditions).toEqual([
      {
        Type: 'Equals',
        LeftValue: { Get: "Steps.CheckBias.OutputParameters['crossed']" },
        RightValue: false,
      },
    ]);
    expect(gate.Arguments.IfSteps.map((s: Json) => s.Name)).toEqual(['Train']);
    expect(gate.Arguments.ElseSteps).toEqual([
      expect.objectContaining({ Name: 'BiasThresholdCrossed', Type: 'Fail' }),
    ]);
    // No training step anywhere else: it cannot start unless the check passed.
    expect(all.filter((s) => s.Type === 'Training')).toEqual([]);
  });

  it('reads another channel when asked', () => {
    const { pipeline } = withBias({ channel: 'curated' });
    const uri = steps(pipeline)[0].Arguments.datasetUri['Std:Join'].Values as unknown[];
    expect(String(uri[uri.length - 1])).toMatch(/\/curated\/$/);
  });

  it('is absent without biasCheck (definition unchanged)', () => {
    const { pipeline } = pipelineWith();
    expect(steps(pipeline).map((s) => s.Name)).toEqual(['Train', 'RegisterModel']);
    expect(pipeline.biasCheckFunction).toBeUndefined();
  });

  it.skipIf(NO_PIPELINE_SCHEMA)(
    'validates against the pipeline definition schema, with evaluation and a gate',
    () => {
      const f = trainingFixture();
      const { pipeline } = pipelineWith(
        {
          biasCheck: biasCheck(f),
          evaluation: { image: f.images.image(EVAL_DIGEST), entrypoint: ['python3', 'evaluate.py'] },
          registrationGate: { metric: 'metrics.auc.value', threshold: 0.8 },
        },
        f,
      );
      expect(schemaErrors(synthesizedDefinition(pipeline.resource))).toEqual([]);
      expect(steps(pipeline).map((s) => s.Name)).toEqual([
        'CheckBias',
        'BiasGate',
        'Evaluate',
        'CheckMetric',
      ]);
    },
  );

  it.skipIf(NO_PIPELINE_SCHEMA)(
    'the published schema accepts the Lambda step as is (no repair needed for it)',
    () => {
      const { pipeline } = withBias();
      const definition = synthesizedDefinition(pipeline.resource) as Json;
      const lambdaOnly = { ...definition, Steps: [definition.Steps[0]] };
      expect(unrepairedErrors(lambdaOnly)).toEqual([]);
    },
  );
});

describe('SpotTrainingPipeline biasCheck: the function and its grants', () => {
  it('configures the function with the spec, the dataset prefix and the reports prefix of the registry', () => {
    const { f, pipeline } = withBias({ group: 'region', proxyThreshold: 0.4, format: 'jsonl' });
    expect(pipeline.biasReportsPrefix).toBe('bias-reports/churn/');
    Template.fromStack(f.stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Pre-training bias check'),
      Timeout: 600,
      Environment: {
        Variables: Match.objectLike({
          [ENV.spec]: JSON.stringify({
            format: 'jsonl',
            label: 'churned=1',
            facets: ['gender=female'],
            group: 'region',
            failOn: { DPL: 0.2 },
            proxyThreshold: 0.4,
          }),
          [ENV.reportsPrefix]: 'bias-reports/churn/',
          [ENV.datasetPrefix]: 'datasets/churn/v',
        }),
      },
    });
  });

  it('writes to the review gate bucket and prefix when given (reviewers cite what the check wrote)', () => {
    const f = trainingFixture();
    const reports = new SecureBucket(f.stack, 'Reports', { encryptionKey: f.keys.models });
    const { pipeline } = pipelineWith(
      { biasCheck: biasCheck(f, { reportsBucket: reports, reportsPrefix: 'bias-reports/churn-model/' }) },
      f,
    );
    const stack = Stack.of(pipeline);
    expect(pipeline.biasReportsBucket).toBe(reports);
    const puts = bucketStatementsFor(pipeline)
      .filter((st) => [st.Action].flat().includes('s3:PutObject'))
      .flatMap((st) => [st.Resource].flat());
    expect(puts).toEqual([stack.resolve(reports.bucket.arnForObjects('bias-reports/churn-model/*'))]);
    Template.fromStack(f.stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.reportsPrefix]: 'bias-reports/churn-model/',
          [ENV.reportsBucket]: stack.resolve(reports.bucketName),
        }),
      },
    });
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('refuses a reports prefix without the trailing slash', () => {
    const f = trainingFixture();
    const e = errorOf(() => pipelineWith({ biasCheck: biasCheck(f, { reportsPrefix: 'bias-reports' }) }, f));
    expect(e.message).toContain('biasCheck.reportsPrefix:');
  });

  it('lets the pipeline role invoke exactly the check function', () => {
    const { f, pipeline } = withBias();
    const invoke = managedPolicyStatements(f.stack, 'Test/Pipeline').filter((s) =>
      [s.Action].flat().includes('lambda:InvokeFunction'),
    );
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Resource).toEqual(
      Stack.of(pipeline).resolve(pipeline.biasCheckFunction!.function.functionArn),
    );
  });

  it('lets the function read the dataset prefix (every version), write the reports prefix, nothing else of S3', () => {
    const { f, pipeline } = withBias();
    const stack = Stack.of(pipeline);
    const byAction = (action: string) =>
      bucketStatementsFor(pipeline)
        .filter((st) => [st.Action].flat().includes(action))
        .flatMap((st) => [st.Resource].flat())
        .map((r) => JSON.stringify(r));
    const data = JSON.stringify(stack.resolve(f.datasets.bucket.arnForObjects('datasets/churn/v*')));
    const reports = JSON.stringify(
      stack.resolve(pipeline.artifactBucket.bucket.arnForObjects('bias-reports/churn/*')),
    );
    expect(byAction('s3:GetObject')).toEqual([data]);
    expect(byAction('s3:PutObject')).toEqual([reports]);
    const list = bucketStatementsFor(pipeline).filter((st) => [st.Action].flat().includes('s3:ListBucket'));
    expect(list.map((st) => st.Condition)).toEqual([{ StringLike: { 's3:prefix': ['datasets/churn/v*'] } }]);
  });

  it('has zero unacknowledged findings in all six packs', () => {
    const { f } = withBias();
    expect(findingLines(f.stack)).toEqual([]);
  });
});

describe('SpotTrainingPipeline biasCheck: validation', () => {
  it('refuses a failOn with no threshold', () => {
    const f = trainingFixture();
    const e = errorOf(() => pipelineWith({ biasCheck: biasCheck(f, { failOn: {} }) }, f));
    expect(e.message).toContain(
      'Test/Pipeline: biasCheck.failOn: names no threshold: the check could never fail',
    );
  });

  it('refuses a post-training metric and a ratio threshold above 1, in one error', () => {
    const f = trainingFixture();
    const e = errorOf(() => pipelineWith({ biasCheck: biasCheck(f, { failOn: { DPPL: 0.1, DPL: -1 } }) }, f));
    expect(e.message).toContain(
      'biasCheck.failOn.DPPL: is a post-training metric (the pre-training check has no predictions)',
    );
    expect(e.message).toContain(
      'biasCheck.failOn.DPL: is not a threshold of this metric (got -1; expected a number >= 0)',
    );
  });

  it('refuses a facet spec the analysis cannot parse', () => {
    const f = trainingFixture();
    const e = errorOf(() => pipelineWith({ biasCheck: biasCheck(f, { facets: ['=female'] }) }, f));
    expect(e.message).toContain(
      'biasCheck.facets.0: is not a column spec (got "=female"; expected column, column=value or column:>=number)',
    );
  });

  it('refuses a timeout above the Lambda maximum of 15 minutes', () => {
    const f = trainingFixture();
    const e = errorOf(() => pipelineWith({ biasCheck: biasCheck(f, { timeout: Duration.minutes(20) }) }, f));
    expect(e.message).toContain(
      'biasCheck.timeout: is out of range (got "1200 seconds"; expected 1 to 15 minutes',
    );
  });
});
