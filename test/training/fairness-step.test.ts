import { describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lib/handlers/fairness-check/contract';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import { findingLines } from '../support/nag';
import { propsError as errorOf } from '../support/props';
import { EVAL_DIGEST, pipelineWith, TrainingFixture, trainingFixture } from './fixtures';
import { NO_PIPELINE_SCHEMA, schemaErrors, synthesizedDefinition, unrepairedErrors } from './pipeline-schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STEP_TYPE_CONDITION =
  'https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html#step-type-condition';
const STEP_TYPE_LAMBDA =
  'https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda';

function fairnessCheck(f: TrainingFixture, extra: Json = {}) {
  return {
    label: 'churned=1',
    prediction: 'score:>=0.5',
    facets: ['gender=female'],
    failOn: { DPPL: 0.1, DI: 0.8 },
    encryptionKey: f.keys.logs,
    ...extra,
  };
}
function evaluation(f: TrainingFixture) {
  return { image: f.images.image(EVAL_DIGEST), entrypoint: ['python3', 'evaluate.py'] };
}
const GATE = { metric: 'metrics.auc.value', threshold: 0.8 };
function withFairness(extra: Json = {}, more: Json = {}) {
  const f = trainingFixture();
  return pipelineWith(
    { evaluation: evaluation(f), registrationGate: GATE, fairnessCheck: fairnessCheck(f, extra), ...more },
    f,
  );
}
function steps(pipeline: SpotTrainingPipeline): Json[] {
  return synthesizedDefinition(pipeline.resource).Steps as Json[];
}
const byName = (all: Json[], name: string) => all.find((s) => s.Name === name)!;
/** The bucket policy statements (of every bucket) whose principal is the check function's role. */
function bucketStatementsFor(pipeline: SpotTrainingPipeline): Json[] {
  const stack = Stack.of(pipeline);
  const role = JSON.stringify(stack.resolve(pipeline.fairnessCheckFunction!.role.roleArn));
  const t = Template.fromStack(stack).toJSON() as Json;
  return Object.values(t.Resources as Json)
    .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[])
    .filter((st) => st.Effect === 'Allow' && JSON.stringify(st.Principal?.AWS) === role);
}
const CROSSED = { Get: "Steps.CheckFairness.OutputParameters['crossed']" };
const REPORT_URI = { Get: "Steps.CheckFairness.OutputParameters['reportUri']" };

describe('SpotTrainingPipeline fairnessCheck: the evaluation output contract', () => {
  it('tells the Evaluate container where to write the predictions, next to its report', () => {
    const { pipeline } = withFairness();
    const evaluate = byName(steps(pipeline), 'Evaluate');
    expect(evaluate.Arguments.Environment).toEqual({
      PREDICTIONS_PATH: '/opt/ml/processing/evaluation/predictions.jsonl',
    });
    // The same output (and local path) as the evaluation report.
    expect(evaluate.Arguments.ProcessingOutputConfig.Outputs).toEqual([
      expect.objectContaining({
        OutputName: 'evaluation',
        S3Output: expect.objectContaining({ LocalPath: '/opt/ml/processing/evaluation' }),
      }),
    ]);
  });

  it('names another predictions file when asked (CSV, gzip)', () => {
    const { pipeline } = withFairness({ predictionsFileName: 'scored.csv.gz' });
    const all = steps(pipeline);
    expect(byName(all, 'Evaluate').Arguments.Environment.PREDICTIONS_PATH).toBe(
      '/opt/ml/processing/evaluation/scored.csv.gz',
    );
    const uri = byName(all, 'CheckFairness').Arguments.predictionsUri['Std:Join'].Values as unknown[];
    expect(uri[uri.length - 1]).toBe('/scored.csv.gz');
  });

  it('leaves the Evaluate step without an environment when there is no fairness check', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith({ evaluation: evaluation(f), registrationGate: GATE }, f);
    expect(byName(steps(pipeline), 'Evaluate').Arguments.Environment).toBeUndefined();
    expect(pipeline.fairnessCheckFunction).toBeUndefined();
  });
});

describe('SpotTrainingPipeline fairnessCheck: the definition', () => {
  it(`adds CheckFairness, a Lambda step after Evaluate that reads this execution's predictions (${STEP_TYPE_LAMBDA})`, () => {
    const { pipeline } = withFairness();
    const all = steps(pipeline);
    expect(all.map((s) => s.Name)).toEqual(['Train', 'Evaluate', 'CheckFairness', 'CheckMetric']);
    const check = byName(all, 'CheckFairness');
    expect(check.Type).toBe('Lambda');
    // Its arguments name the evaluation output by key, not by a property of Evaluate: it must wait.
    expect(check.DependsOn).toEqual(['Evaluate']);
    expect(check.OutputParameters).toEqual([
      { OutputName: 'crossed', OutputType: 'Boolean' },
      { OutputName: 'reportUri', OutputType: 'String' },
    ]);
    expect(check.Arguments.executionId).toEqual({ Get: 'Execution.PipelineExecutionId' });
    const uri = check.Arguments.predictionsUri['Std:Join'].Values as unknown[];
    expect(String(uri[0])).toMatch(/^s3:\/\/.+\/evaluation\/.+\/$/);
    expect(uri.slice(1)).toEqual([{ Get: 'Execution.PipelineExecutionId' }, '/predictions.jsonl']);
    const resolved = Stack.of(pipeline).resolve(pipeline.resource.pipelineDefinition) as Json;
    const fnId = Stack.of(pipeline).getLogicalId(
      pipeline.fairnessCheckFunction!.function.node.defaultChild as never,
    );
    expect(JSON.stringify(resolved)).toContain(`"${fnId}","Arn"`);
  });

  it(`registers only when the metric holds AND no fairness threshold was crossed: both in CheckMetric's Conditions (all must be true, ${STEP_TYPE_CONDITION})`, () => {
    const { pipeline } = withFairness();
    const gate = byName(steps(pipeline), 'CheckMetric');
    expect(gate.Arguments.Conditions).toEqual([
      {
        Type: 'GreaterThanOrEqualTo',
        LeftValue: {
          'Std:JsonGet': {
            PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' },
            Path: 'metrics.auc.value',
          },
        },
        RightValue: 0.8,
      },
      { Type: 'Equals', LeftValue: CROSSED, RightValue: false },
    ]);
    expect(gate.Arguments.IfSteps.map((s: Json) => s.Name)).toEqual(['RegisterModel']);
  });

  it('fails with a message that says which part failed: the fairness outcome, its report, and the metric gate', () => {
    const { pipeline } = withFairness();
    const [fail] = byName(steps(pipeline), 'CheckMetric').Arguments.ElseSteps as Json[];
    expect(fail).toMatchObject({ Name: 'MetricBelowThreshold', Type: 'Fail' });
    const values = fail.Arguments.ErrorMessage['Std:Join'].Values as unknown[];
    expect(values).toContainEqual(CROSSED);
    expect(values).toContainEqual(REPORT_URI);
    const text = values.filter((v) => typeof v === 'string').join('');
    expect(text).toContain('fairness threshold crossed: ');
    expect(text).toContain('when false, metrics.auc.value did not satisfy GreaterThanOrEqualTo 0.8');
  });

  it('without a registration gate, FairnessGate holds the fairness condition alone', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith({ evaluation: evaluation(f), fairnessCheck: fairnessCheck(f) }, f);
    const all = steps(pipeline);
    expect(all.map((s) => s.Name)).toEqual(['Train', 'Evaluate', 'CheckFairness', 'FairnessGate']);
    const gate = byName(all, 'FairnessGate');
    expect(gate.Arguments.Conditions).toEqual([{ Type: 'Equals', LeftValue: CROSSED, RightValue: false }]);
    expect(gate.Arguments.IfSteps.map((s: Json) => s.Name)).toEqual(['RegisterModel']);
    const [fail] = gate.Arguments.ElseSteps as Json[];
    expect(fail.Name).toBe('FairnessThresholdCrossed');
    const values = fail.Arguments.ErrorMessage['Std:Join'].Values as unknown[];
    expect(values[0]).toMatch(
      /^a post-training fairness threshold was crossed; the model was not registered/,
    );
    expect(values).toContainEqual(REPORT_URI);
    // RegisterModel is nowhere else: it cannot run unless the check passed.
    expect(all.filter((s) => s.Type === 'RegisterModel')).toEqual([]);
  });

  it('registers the post-training report as the model package bias report (ModelMetrics.Bias.Report, https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Bias.html)', () => {
    const { pipeline } = withFairness();
    const gate = byName(steps(pipeline), 'CheckMetric');
    const [register] = gate.Arguments.IfSteps as Json[];
    expect(register.Arguments.ModelMetrics.Bias).toEqual({
      Report: { ContentType: 'application/json', S3Uri: REPORT_URI },
    });
    // The evaluation report stays the model quality statistics.
    expect(register.Arguments.ModelMetrics.ModelQuality.Statistics.ContentType).toBe('application/json');
  });

  it('leaves CheckMetric with its one condition without fairnessCheck', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith({ evaluation: evaluation(f), registrationGate: GATE }, f);
    const gate = byName(steps(pipeline), 'CheckMetric');
    expect(gate.Arguments.Conditions).toHaveLength(1);
    expect(gate.Arguments.IfSteps[0].Arguments.ModelMetrics.Bias).toBeUndefined();
    expect(gate.Arguments.ElseSteps[0].Arguments.ErrorMessage).toBe(
      'metrics.auc.value did not satisfy GreaterThanOrEqualTo 0.8; the model was not registered',
    );
  });

  it.skipIf(NO_PIPELINE_SCHEMA)(
    'validates against the pipeline definition schema, with the pre-training check, the gate, or neither',
    () => {
      const f = trainingFixture();
      const both = pipelineWith(
        {
          evaluation: evaluation(f),
          registrationGate: GATE,
          fairnessCheck: fairnessCheck(f),
          biasCheck: {
            label: 'churned=1',
            facets: ['gender=female'],
            failOn: { DPL: 0.2 },
            encryptionKey: f.keys.logs,
          },
        },
        f,
      ).pipeline;
      expect(schemaErrors(synthesizedDefinition(both.resource))).toEqual([]);
      expect(steps(both).map((s) => s.Name)).toEqual([
        'CheckBias',
        'BiasGate',
        'Evaluate',
        'CheckFairness',
        'CheckMetric',
      ]);
      const g = trainingFixture();
      const alone = pipelineWith({ evaluation: evaluation(g), fairnessCheck: fairnessCheck(g) }, g).pipeline;
      expect(schemaErrors(synthesizedDefinition(alone.resource))).toEqual([]);
    },
  );

  it.skipIf(NO_PIPELINE_SCHEMA)(
    'the published schema accepts the Lambda step as is (DependsOn included)',
    () => {
      const { pipeline } = withFairness();
      const definition = synthesizedDefinition(pipeline.resource) as Json;
      const lambdaOnly = { ...definition, Steps: [byName(definition.Steps, 'CheckFairness')] };
      expect(unrepairedErrors(lambdaOnly)).toEqual([]);
    },
  );
});

describe('SpotTrainingPipeline fairnessCheck: the function and its grants', () => {
  it('configures the function with the spec, the evaluation prefix and the reports prefix of the registry', () => {
    const { f, pipeline } = withFairness({ group: 'region', failOn: { CDDPL: 0.2 } });
    expect(pipeline.biasReportsPrefix).toBe('bias-reports/churn/');
    expect(pipeline.biasReportsBucket).toBe(pipeline.artifactBucket);
    Template.fromStack(f.stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Post-training fairness check'),
      Timeout: 600,
      MemorySize: 1024,
      Environment: {
        Variables: Match.objectLike({
          [ENV.spec]: JSON.stringify({
            predictionsFile: 'predictions.jsonl',
            format: 'jsonl',
            label: 'churned=1',
            prediction: 'score:>=0.5',
            facets: ['gender=female'],
            group: 'region',
            failOn: { CDDPL: 0.2 },
          }),
          [ENV.evaluationPrefix]: `evaluation/${pipeline.pipelineName}/`,
          [ENV.reportsPrefix]: 'bias-reports/churn/',
        }),
      },
    });
  });

  it('reads only the predictions file of an execution and writes only its post-training report', () => {
    const { pipeline } = withFairness();
    const stack = Stack.of(pipeline);
    const byAction = (action: string) =>
      bucketStatementsFor(pipeline)
        .filter((st) => [st.Action].flat().includes(action))
        .flatMap((st) => [st.Resource].flat())
        .map((r) => JSON.stringify(r));
    const objects = (key: string) =>
      JSON.stringify(stack.resolve(pipeline.artifactBucket.bucket.arnForObjects(key)));
    expect(byAction('s3:GetObject')).toEqual([
      objects(`evaluation/${pipeline.pipelineName}/*/predictions.jsonl*`),
    ]);
    expect(byAction('s3:PutObject')).toEqual([objects('bias-reports/churn/*/post-training.json*')]);
  });

  it('writes beside the pre-training report: the bias check’s bucket and prefix', () => {
    const f = trainingFixture();
    const reports = new SecureBucket(f.stack, 'Reports', { encryptionKey: f.keys.models });
    const { pipeline } = pipelineWith(
      {
        evaluation: evaluation(f),
        fairnessCheck: fairnessCheck(f),
        biasCheck: {
          label: 'churned=1',
          facets: ['gender=female'],
          failOn: { DPL: 0.2 },
          encryptionKey: f.keys.logs,
          reportsBucket: reports,
          reportsPrefix: 'bias-reports/churn-model/',
        },
      },
      f,
    );
    const stack = Stack.of(pipeline);
    expect(pipeline.biasReportsBucket).toBe(reports);
    const puts = bucketStatementsFor(pipeline)
      .filter((st) => [st.Action].flat().includes('s3:PutObject'))
      .flatMap((st) => [st.Resource].flat());
    expect(puts).toEqual([
      stack.resolve(reports.bucket.arnForObjects('bias-reports/churn-model/*/post-training.json*')),
    ]);
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

  it('lets the pipeline role invoke exactly the check function', () => {
    const { f, pipeline } = withFairness();
    const t = Template.fromStack(f.stack).toJSON() as Json;
    const invoke = Object.values(t.Resources as Json)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::ManagedPolicy' && String(r.Properties.Description).includes('Test/Pipeline'),
      )
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => s.Sid === 'InvokeFairnessCheck');
    expect(invoke).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: Stack.of(pipeline).resolve(pipeline.fairnessCheckFunction!.function.functionArn),
      }),
    ]);
  });

  it('has zero unacknowledged findings in all six packs', () => {
    const { f } = withFairness();
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('with an imported artifact bucket, grants in the identity policy (the file and report patterns) and zero findings', () => {
    const f = trainingFixture();
    const imported = SecureBucket.fromBucketAttributes(f.stack, 'Imported', {
      bucket: new SecureBucket(f.stack, 'Elsewhere', { encryptionKey: f.keys.models }).bucket,
      encryptionKey: f.keys.models,
    });
    const { pipeline } = pipelineWith(
      {
        artifactBucket: imported,
        evaluation: evaluation(f),
        registrationGate: GATE,
        fairnessCheck: fairnessCheck(f),
      },
      f,
    );
    const stack = Stack.of(pipeline);
    const policy = stack.resolve(pipeline.fairnessCheckFunction!.role.policy.document) as Json;
    const resources = (policy.Statement as Json[]).flatMap((st) => [st.Resource].flat());
    expect(resources).toContainEqual(
      stack.resolve(
        imported.bucket.arnForObjects(`evaluation/${pipeline.pipelineName}/*/predictions.jsonl*`),
      ),
    );
    expect(resources).toContainEqual(
      stack.resolve(imported.bucket.arnForObjects('bias-reports/churn/*/post-training.json*')),
    );
    // The check's own grants are acknowledged (the execution id is known only at run time). The
    // pipeline's execution and pipeline roles have findings of their own with an imported artifact
    // bucket (a gap outside this check, reported to the lead); only the check's are asserted here.
    expect(findingLines(f.stack).filter((l) => l.includes('Test/Pipeline/FairnessCheck'))).toEqual([]);
  });
});

describe('SpotTrainingPipeline fairnessCheck: validation', () => {
  it('refuses a fairness check without an evaluation step', () => {
    const f = trainingFixture();
    const e = errorOf(() => pipelineWith({ fairnessCheck: fairnessCheck(f) }, f));
    expect(e.message).toContain(
      'Test/Pipeline: fairnessCheck: needs an evaluation step (it checks the predictions the evaluation writes) (got no evaluation; expected evaluation set, or no fairnessCheck)',
    );
  });

  it('refuses a failOn with no threshold', () => {
    const e = errorOf(() => withFairness({ failOn: {} }));
    expect(e.message).toContain(
      'Test/Pipeline: fairnessCheck.failOn: names no threshold: the check could never block registration',
    );
  });

  it('refuses a pre-training metric, an unknown one and a ratio threshold above 1, in one error', () => {
    const e = errorOf(() => withFairness({ failOn: { DPL: 0.1, XYZ: 1, DI: 1.25 } }));
    expect(e.message).toContain(
      'fairnessCheck.failOn.DPL: is a pre-training metric (set it in biasCheck.failOn)',
    );
    expect(e.message).toContain('fairnessCheck.failOn.XYZ: is not a post-training bias metric');
    expect(e.message).toContain(
      'fairnessCheck.failOn.DI: is not a threshold of this metric (got 1.25; expected a number in (0, 1])',
    );
  });

  it('refuses no facet, and a facet that is not a column spec', () => {
    expect(errorOf(() => withFairness({ facets: [] })).message).toContain(
      'Test/Pipeline: fairnessCheck.facets:',
    );
    expect(errorOf(() => withFairness({ facets: ['age:~40'] })).message).toContain(
      'fairnessCheck.facets.0: is not a column spec',
    );
  });

  it('refuses a CDDPL threshold without a group (it would never cross)', () => {
    const e = errorOf(() => withFairness({ failOn: { CDDPL: 0.2 } }));
    expect(e.message).toContain('fairnessCheck.failOn.CDDPL: needs a group');
  });

  it('refuses a prediction that is not a column spec, and a predictions file that is not CSV or JSON lines', () => {
    const e = errorOf(() =>
      withFairness({ prediction: 'score:~0.5', predictionsFileName: 'predictions.parquet' }),
    );
    expect(e.message).toContain('fairnessCheck.prediction: is not a column spec (got "score:~0.5"');
    expect(e.message).toContain('fairnessCheck.predictionsFileName:');
  });

  it("refuses a reports prefix other than the pre-training check's", () => {
    const f = trainingFixture();
    const e = errorOf(() =>
      pipelineWith(
        {
          evaluation: evaluation(f),
          fairnessCheck: fairnessCheck(f, { reportsPrefix: 'fairness/' }),
          biasCheck: {
            label: 'churned=1',
            facets: ['gender=female'],
            failOn: { DPL: 0.2 },
            encryptionKey: f.keys.logs,
          },
        },
        f,
      ),
    );
    expect(e.message).toContain(
      `fairnessCheck.reportsPrefix: differs from the pre-training check's (both reports of an execution sit side by side) (got "fairness/"; expected "bias-reports/churn/" or unset)`,
    );
  });
});
