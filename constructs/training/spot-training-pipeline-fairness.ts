import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { z } from 'zod';
import { BiasInputError, METRICS, parseOutcomeSpec, type PostTrainingMetric } from '../../lib/fairness';
import {
  ARGUMENTS,
  DEFAULT_PREDICTIONS_FILE,
  ENV,
  OUTPUTS,
  POST_TRAINING_REPORT,
  PREDICTIONS_FILE_PATTERN,
  PREDICTIONS_PATH_ENV,
  predictionsFormat,
  type FairnessCheckSpec,
} from '../../lib/handlers/fairness-check/contract';
import { SecureFunction } from '../core/secure-function';
import { describeValue, PropsProblem } from '../core/validate';
import { acknowledgeIdentityPrefixGrant } from '../serving/nag-ids';
import { ISecureBucket } from '../storage/secure-bucket';
import {
  ArgumentValue,
  EXECUTION_ID,
  failStep,
  join,
  lambdaOutput,
  lambdaStep,
  MetricComparison,
  StepDefinition,
} from './pipeline-definition';
import type { ParsedPipelineProps } from './pipeline-settings';
import { biasCheckSchema, failOnSchema } from './spot-training-pipeline-bias';

/**
 * The post-training fairness check of a {@link SpotTrainingPipeline}: a Lambda step after
 * `Evaluate` that measures SageMaker Clarify's post-training bias metrics on the predictions the
 * evaluation wrote, and a registration condition that registers the model only when no threshold
 * was crossed (and the metric gate, when there is one, holds): an accurate but unfair model is not
 * registered.
 *
 * The evaluation output contract: the Evaluate container writes, next to its evaluation report
 * under `/opt/ml/processing/evaluation/`, the file {@link predictionsFileName} (its full path is
 * in the container's `PREDICTIONS_PATH` environment variable), one row per scored example with
 * the label, the predicted label or score, and the facet (and group) columns.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-post-training-bias.html
 */
export interface FairnessCheckOptions {
  /** The observed label and its positive outcome: `churned=1`, `churned` (positive is `1`). */
  readonly label: string;
  /**
   * The predicted label or score column and its positive outcome: `predicted=1`, `score:>=0.5`,
   * or a bare column, which takes the label's positive condition.
   */
  readonly prediction: string;
  /** The sensitive facets: `gender=female`, `age:>=40`, or `region` (each value in turn). */
  readonly facets: string[];
  /**
   * A column that groups rows (for CDDPL, conditional demographic disparity in predicted labels).
   * @default - no group: CDDPL is not computed (and may not be a threshold)
   */
  readonly group?: string;
  /**
   * The thresholds that block registration, per post-training metric: a difference metric crosses
   * when its absolute value exceeds the threshold (e.g. `{ DPPL: 0.1 }`), DI when it falls outside
   * [x, 1/x] (x in (0, 1], e.g. `{ DI: 0.8 }`, the four-fifths rule), see lib/fairness.
   */
  readonly failOn: Partial<Record<PostTrainingMetric, number>>;
  /**
   * The predictions file the Evaluate container writes next to its report: CSV with a header row
   * (`.csv`) or JSON lines (`.jsonl`), gzip-compressed or not (`.gz`, detected by content).
   * @default 'predictions.jsonl'
   */
  readonly predictionsFileName?: string;
  /**
   * Where the report goes: with `biasCheck`, its bucket (the two reports of an execution sit side
   * by side, and this must not differ).
   * @default - `biasCheck.reportsBucket`, else the pipeline's artifact bucket
   */
  readonly reportsBucket?: ISecureBucket;
  /**
   * The reports' key prefix, ending in `/`; each execution writes
   * `<prefix><execution id>/post-training.json`. With `biasCheck`, it must not differ from its prefix.
   * @default - `biasCheck.reportsPrefix`, else 'bias-reports/<modelPackageGroupName>/'
   */
  readonly reportsPrefix?: string;
  /** Key of the check function's logs, environment and dead-letter queue (the `logs` key of `EncryptionKeys`). */
  readonly encryptionKey: kms.IKey;
  /**
   * How long the check may read the predictions; the execution fails when it runs out.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * Memory of the check function in MiB (the file is streamed: memory is per facet value, not per row).
   * @default 1024
   */
  readonly memorySize?: number;
}

/** Step names the fairness check adds (public: alarms and other steps refer to them). */
export const FAIRNESS_STEP_NAMES = {
  fairnessCheck: 'CheckFairness',
  /** The registration condition when there is no `registrationGate` (else `CheckMetric` holds both). */
  fairnessGate: 'FairnessGate',
  fairnessFail: 'FairnessThresholdCrossed',
} as const;

const POST_TRAINING = METRICS.filter((m) => m.stage === 'postTraining');
const shape = biasCheckSchema.shape;

/** The zod schema of {@link FairnessCheckOptions} (a field of the pipeline's props). */
export const fairnessCheckSchema = z
  .strictObject({
    label: shape.label,
    prediction: z.string().superRefine((value, ctx) => {
      try {
        parseOutcomeSpec(value, 'prediction');
      } catch (err) {
        if (!(err instanceof BiasInputError)) throw err;
        ctx.addIssue({
          code: 'custom',
          message: 'is not a column spec',
          input: value,
          params: { expected: 'column, column=value or column:>=number' },
        });
      }
    }),
    facets: shape.facets,
    group: shape.group,
    failOn: failOnSchema(POST_TRAINING, {
      neverFails: 'names no threshold: the check could never block registration',
      otherStage: 'is a pre-training metric (set it in biasCheck.failOn)',
      unknown: 'is not a post-training bias metric',
    }),
    predictionsFileName: z.string().regex(PREDICTIONS_FILE_PATTERN).optional(),
    reportsBucket: shape.reportsBucket,
    reportsPrefix: shape.reportsPrefix,
    encryptionKey: shape.encryptionKey,
    timeout: shape.timeout,
    memorySize: shape.memorySize,
  })
  .superRefine((o, ctx) => {
    // CDDPL conditions on the group: without one it is null and could never cross.
    if (o.failOn.CDDPL !== undefined && o.group === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['failOn', 'CDDPL'],
        message: 'needs a group (conditional demographic disparity conditions on it)',
        input: o.failOn.CDDPL,
        params: { expected: 'fairnessCheck.group set, or no CDDPL threshold' },
      });
  });

/** The default key prefix of the bias reports: the one `ModelReviewGate` expects. */
function defaultReportsPrefix(p: ParsedPipelineProps): string {
  return `bias-reports/${p.modelRegistry.modelPackageGroupName}/`;
}

/**
 * The rules between `fairnessCheck` and the other props: it scores the Evaluate step's
 * predictions, so it needs `evaluation`; and its reports sit beside the pre-training check's.
 */
export function fairnessCheckProblems(p: ParsedPipelineProps): PropsProblem[] {
  const f = p.fairnessCheck;
  if (!f) return [];
  const problems: PropsProblem[] = [];
  if (!p.evaluation)
    problems.push({
      field: 'fairnessCheck',
      problem: 'needs an evaluation step (it checks the predictions the evaluation writes)',
      got: 'no evaluation',
      expected: 'evaluation set, or no fairnessCheck',
    });
  if (p.biasCheck) {
    const biasPrefix = p.biasCheck.reportsPrefix ?? defaultReportsPrefix(p);
    if (f.reportsPrefix !== undefined && f.reportsPrefix !== biasPrefix)
      problems.push({
        field: 'fairnessCheck.reportsPrefix',
        problem: "differs from the pre-training check's (both reports of an execution sit side by side)",
        got: describeValue(f.reportsPrefix),
        expected: `${describeValue(biasPrefix)} or unset`,
      });
    if (f.reportsBucket !== undefined && f.reportsBucket !== p.biasCheck.reportsBucket)
      problems.push({
        field: 'fairnessCheck.reportsBucket',
        problem: "differs from the pre-training check's (both reports of an execution sit side by side)",
        got: describeValue(f.reportsBucket),
        expected: 'biasCheck.reportsBucket or unset',
      });
  }
  return problems;
}

/**
 * Where both bias reports of an execution go, when either check is set: the bucket and the prefix
 * (`bias-reports/<group>/` unless told), so `<prefix><execution id>/pre-training.json` and
 * `…/post-training.json` sit side by side where a `ModelReviewGate` looks for them.
 */
export function biasReportsLocation(
  p: ParsedPipelineProps,
  artifactBucket: ISecureBucket,
): { bucket: ISecureBucket; prefix: string } | undefined {
  if (!p.biasCheck && !p.fairnessCheck) return undefined;
  return {
    bucket: p.biasCheck?.reportsBucket ?? p.fairnessCheck?.reportsBucket ?? artifactBucket,
    prefix: p.biasCheck?.reportsPrefix ?? p.fairnessCheck?.reportsPrefix ?? defaultReportsPrefix(p),
  };
}

/** The predictions file name the evaluation writes. */
export function predictionsFileName(o: Pick<FairnessCheckOptions, 'predictionsFileName'>): string {
  return o.predictionsFileName ?? DEFAULT_PREDICTIONS_FILE;
}

/** The Evaluate step's environment with a fairness check: where its container writes the predictions. */
export function evaluationEnvironment(o: FairnessCheckOptions | undefined): {
  Environment?: Record<string, string>;
} {
  return o
    ? { Environment: { [PREDICTIONS_PATH_ENV]: `/opt/ml/processing/evaluation/${predictionsFileName(o)}` } }
    : {};
}

/**
 * The RegisterModel step's bias metrics with a fairness check: the post-training report (the
 * check's `reportUri` output) as the model package's bias report, so the registry shows reviewers
 * the fairness evidence of each version. `Report`, not `PostTrainingReport`: the published
 * pipeline definition schema knows only `Report` under `ModelMetrics.Bias`.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Bias.html
 */
export function fairnessModelMetrics(o: FairnessCheckOptions | undefined): {
  Bias?: { Report: { ContentType: string; S3Uri: ArgumentValue } };
} {
  return o ? { Bias: { Report: { ContentType: 'application/json', S3Uri: reportValue } } } : {};
}

/** What the check function is built against. */
export interface FairnessCheckTargets {
  readonly options: FairnessCheckOptions;
  /** The pipeline's artifact bucket, which holds the evaluation outputs. */
  readonly artifactBucket: ISecureBucket;
  /** `evaluation/<pipeline name>/`: one sub-prefix per execution. */
  readonly evaluationPrefix: string;
  readonly reportsBucket: ISecureBucket;
  /** `bias-reports/<model package group>/`. */
  readonly reportsPrefix: string;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The pipeline role, which invokes the function from the Lambda step. */
  readonly pipelineRole: iam.IRole;
}

/**
 * The check function and its grants: the predictions file of any execution (read), the
 * post-training report of any execution (write), the keys; nothing else.
 */
export function fairnessCheckFunction(scope: Construct, id: string, t: FairnessCheckTargets): SecureFunction {
  const o = t.options;
  const file = predictionsFileName(o);
  const spec: FairnessCheckSpec = {
    predictionsFile: file,
    format: predictionsFormat(file),
    label: o.label,
    prediction: o.prediction,
    facets: o.facets,
    ...(o.group !== undefined ? { group: o.group } : {}),
    failOn: o.failOn,
  };
  const fn = new SecureFunction(scope, id, {
    handler: 'fairness-check',
    vpc: t.vpc,
    vpcSubnets: t.vpcSubnets,
    encryptionKey: o.encryptionKey,
    description: 'Post-training fairness check of the evaluation predictions (pipeline Lambda step)',
    timeout: o.timeout ?? Duration.minutes(10),
    memorySize: o.memorySize ?? 1024,
    // SageMaker invokes the step synchronously and fails the step on an error: no async retries.
    retryAttempts: 0,
    environment: {
      [ENV.spec]: JSON.stringify(spec),
      [ENV.evaluationBucket]: t.artifactBucket.bucketName,
      [ENV.evaluationPrefix]: t.evaluationPrefix,
      [ENV.reportsBucket]: t.reportsBucket.bucketName,
      [ENV.reportsPrefix]: t.reportsPrefix,
      [ENV.reportsKeyArn]: t.reportsBucket.encryptionKey.keyArn,
    },
  });
  // The prefix helpers append `*`: the grants name the one file of each execution, not the prefix.
  const predictions = `${t.evaluationPrefix}*/${file}`;
  t.artifactBucket.grantReadPrefix(fn.role, predictions);
  acknowledgeIdentityPrefixGrant(
    fn.role,
    t.artifactBucket,
    predictions,
    'the predictions file of the execution the step runs in: the execution id is known only at run time',
  );
  const report = `${t.reportsPrefix}*/${POST_TRAINING_REPORT}`;
  t.reportsBucket.grantWritePrefix(fn.role, report);
  acknowledgeIdentityPrefixGrant(
    fn.role,
    t.reportsBucket,
    report,
    'one post-training report per pipeline execution, under a sub-prefix named by the execution id',
  );
  // Exactly this function, unqualified: the Lambda step invokes the ARN it names.
  t.pipelineRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'InvokeFairnessCheck',
      actions: ['lambda:InvokeFunction'],
      resources: [fn.function.functionArn],
    }),
  );
  return fn;
}

/**
 * `CheckFairness`: the Lambda step that scores this execution's predictions. It names the Evaluate
 * step in `DependsOn` because its arguments refer to the evaluation output by its key, not by a
 * property of the step.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 */
export function fairnessCheckStep(
  evaluationStepName: string,
  artifactBucketName: string,
  evaluationPrefix: string,
  options: FairnessCheckOptions,
  functionArn: string,
): StepDefinition {
  const predictionsUri = join([
    `s3://${artifactBucketName}/${evaluationPrefix}`,
    EXECUTION_ID,
    `/${predictionsFileName(options)}`,
  ]);
  return {
    ...lambdaStep(
      FAIRNESS_STEP_NAMES.fairnessCheck,
      'Post-training fairness check of the evaluation predictions',
      functionArn,
      { [ARGUMENTS.predictionsUri]: predictionsUri, [ARGUMENTS.executionId]: EXECUTION_ID },
      [
        { OutputName: OUTPUTS.crossed, OutputType: 'Boolean' },
        { OutputName: OUTPUTS.reportUri, OutputType: 'String' },
      ],
    ),
    DependsOn: [evaluationStepName],
  };
}

/** `crossed Equals false`: the fairness part of the registration condition. */
const notCrossed = {
  Type: 'Equals',
  LeftValue: lambdaOutput(FAIRNESS_STEP_NAMES.fairnessCheck, OUTPUTS.crossed),
  RightValue: false,
};
const crossedValue = lambdaOutput(FAIRNESS_STEP_NAMES.fairnessCheck, OUTPUTS.crossed);
const reportValue = lambdaOutput(FAIRNESS_STEP_NAMES.fairnessCheck, OUTPUTS.reportUri);

/** The metric gate as its Fail message names it. */
export interface MetricGateDescription {
  readonly metric: string;
  readonly comparison: MetricComparison;
  readonly threshold: number;
  /** The Fail step's name (kept: alarms and runbooks refer to it). */
  readonly failStepName: string;
}

/**
 * The registration condition with the fairness part. With the metric gate (`CheckMetric`), its
 * Conditions list gets `crossed Equals false` beside the metric comparison: a condition step
 * takes its if-branch only when every condition of the list is true, so the model is registered
 * only when the metric holds AND no fairness threshold was crossed. The Fail message carries the
 * check's `crossed` output and report URI, so it says which part failed. Without a metric gate,
 * `FairnessGate` holds the fairness part alone.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html#step-type-condition
 */
export function registrationWithFairness(
  register: StepDefinition,
  metricGate?: { step: StepDefinition; gate: MetricGateDescription },
): StepDefinition {
  if (!metricGate) {
    return {
      Name: FAIRNESS_STEP_NAMES.fairnessGate,
      Type: 'Condition',
      Arguments: {
        Conditions: [notCrossed],
        IfSteps: [register],
        ElseSteps: [failWith(FAIRNESS_STEP_NAMES.fairnessFail, fairnessMessage())],
      },
    };
  }
  const { step, gate } = metricGate;
  const args = step.Arguments as { Conditions: readonly object[] };
  return {
    ...step,
    Arguments: {
      ...step.Arguments,
      Conditions: [...args.Conditions, notCrossed],
      ElseSteps: [
        failWith(
          gate.failStepName,
          join([
            `the model was not registered: it needs ${gate.metric} ${gate.comparison} ${gate.threshold} and no post-training fairness threshold crossed; fairness threshold crossed: `,
            crossedValue,
            ` (report `,
            reportValue,
            `); when false, ${gate.metric} did not satisfy ${gate.comparison} ${gate.threshold}`,
          ]),
        ),
      ],
    },
  };
}

/** A Fail step whose message joins literal text with run-time values (a step's outputs). */
function failWith(name: string, message: ArgumentValue): StepDefinition {
  return { ...failStep(name, ''), Arguments: { ErrorMessage: message } };
}

function fairnessMessage(): ArgumentValue {
  return join([
    'a post-training fairness threshold was crossed; the model was not registered (report ',
    reportValue,
    ')',
  ]);
}
