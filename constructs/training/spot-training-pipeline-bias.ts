import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { z } from 'zod';
import {
  BiasInputError,
  METRICS,
  parseFacetSpec,
  parseOutcomeSpec,
  type PreTrainingMetric,
} from '../../lib/fairness';
import { ENV, type BiasCheckSpec } from '../../lib/handlers/bias-check/contract';
import { SecureFunction } from '../core/secure-function';
import { refs, tokenOr } from '../core/validate';
import { acknowledgeIdentityPrefixGrant } from '../serving/nag-ids';
import { ISecureBucket } from '../storage/secure-bucket';
import { TieredDatasetBucket } from '../storage/tiered-dataset-bucket';

/**
 * The pre-training bias check of a {@link SpotTrainingPipeline}: a Lambda step before training
 * that measures SageMaker Clarify's pre-training metrics on the training channel and fails the
 * execution, before any training job starts, when one crosses its threshold.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-data-bias.html
 */
export interface BiasCheckOptions {
  /** The label and its positive outcome: `churned=1`, `score:>=0.5`, or `churned` (positive is `1`). */
  readonly label: string;
  /** The sensitive facets: `gender=female`, `age:>=40`, or `region` (each value in turn). */
  readonly facets: string[];
  /**
   * A column that groups rows (for CDD, conditional demographic disparity).
   * @default - no group: CDD is not computed
   */
  readonly group?: string;
  /**
   * The thresholds that fail the pipeline, per pre-training metric: a difference metric crosses
   * when its absolute value exceeds the threshold (e.g. `{ DPL: 0.2 }`), see lib/fairness.
   */
  readonly failOn: Partial<Record<PreTrainingMetric, number>>;
  /**
   * Association above which a column is reported as a proxy of a facet (reported, not failing).
   * @default 0.3
   */
  readonly proxyThreshold?: number;
  /**
   * How the channel's objects are laid out: CSV with a header row (the same in every object), or
   * JSON lines. Objects may be gzip-compressed.
   * @default 'csv'
   */
  readonly format?: 'csv' | 'jsonl';
  /**
   * The channel whose objects are checked.
   * @default 'train'
   */
  readonly channel?: string;
  /**
   * Where the reports go: the bucket a `ModelReviewGate` on the same registry checks
   * (`reportsBucket`), so reviewers cite the report this check wrote.
   * @default - the pipeline's artifact bucket
   */
  readonly reportsBucket?: ISecureBucket;
  /**
   * The reports' key prefix, ending in `/` (e.g. `reviewGate.reportsPrefix`); each execution
   * writes `<prefix><execution id>/pre-training.json`.
   * @default 'bias-reports/<modelPackageGroupName>/' (ModelReviewGate's default)
   */
  readonly reportsPrefix?: string;
  /**
   * Key of the check function's logs, environment and dead-letter queue (the `logs` key of
   * `EncryptionKeys`, whose policy lets CloudWatch Logs use it).
   */
  readonly encryptionKey: kms.IKey;
  /**
   * How long the check may read the channel; the execution fails when it runs out.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * Memory of the check function in MiB (analysis is streamed: memory is per facet value, not per row).
   * @default 1024
   */
  readonly memorySize?: number;
}

const PRE_TRAINING = METRICS.filter((m) => m.stage === 'preTraining');

/**
 * The `failOn` map of a bias check: at least one threshold, each of a metric of this check's stage
 * (a metric of the other stage is named as such), with a threshold the metric can cross (ratio
 * metrics in (0, 1], difference metrics >= 0). Shared by the pre-training `biasCheck` and the
 * post-training `fairnessCheck`.
 */
export function failOnSchema(
  stage: readonly (typeof METRICS)[number][],
  messages: { neverFails: string; otherStage: string; unknown: string },
) {
  const expected = `one of ${stage.map((m) => m.metric).join(', ')}`;
  return z.record(z.string(), z.number()).superRefine((value, ctx) => {
    const entries = Object.entries(value);
    if (entries.length === 0)
      ctx.addIssue({
        code: 'custom',
        message: messages.neverFails,
        input: value,
        params: { expected: `at least ${expected}` },
      });
    for (const [metric, x] of entries) {
      const known = stage.find((m) => m.metric === metric);
      if (!known) {
        ctx.addIssue({
          code: 'custom',
          path: [metric],
          message: METRICS.some((m) => m.metric === metric) ? messages.otherStage : messages.unknown,
          input: metric,
          params: { expected },
        });
        continue;
      }
      const ratio = known.threshold === 'ratio';
      if (!Number.isFinite(x) || x < 0 || (ratio && (x <= 0 || x > 1)))
        ctx.addIssue({
          code: 'custom',
          path: [metric],
          message: 'is not a threshold of this metric',
          input: x,
          params: { expected: ratio ? 'a number in (0, 1]' : 'a number >= 0' },
        });
    }
  });
}

/** A spec string checked with the same parser the function uses. */
function spec(parse: (s: string) => unknown, expected: string) {
  return z.string().superRefine((value, ctx) => {
    try {
      parse(value);
    } catch (err) {
      if (!(err instanceof BiasInputError)) throw err;
      ctx.addIssue({ code: 'custom', message: 'is not a column spec', input: value, params: { expected } });
    }
  });
}

/** The zod schema of {@link BiasCheckOptions} (a field of the pipeline's props). */
export const biasCheckSchema = z.strictObject({
  label: spec((s) => parseOutcomeSpec(s, 'label'), 'column, column=value or column:>=number'),
  facets: z.array(spec(parseFacetSpec, 'column, column=value or column:>=number')).min(1).max(20),
  group: z
    .string()
    .regex(/^[^=:]+$/)
    .optional(),
  failOn: failOnSchema(PRE_TRAINING, {
    neverFails: 'names no threshold: the check could never fail',
    otherStage: 'is a post-training metric (the pre-training check has no predictions)',
    unknown: 'is not a pre-training bias metric',
  }),
  proxyThreshold: z.number().min(0).max(1).optional(),
  format: z.enum(['csv', 'jsonl']).optional(),
  channel: z
    .string()
    .regex(/^[A-Za-z0-9.\-_]{1,64}$/)
    .optional(),
  reportsBucket: refs.secureBucket.optional(),
  reportsPrefix: tokenOr(
    z
      .string()
      .min(2)
      .max(512)
      .regex(/^[^/].*\/$/),
  ).optional(),
  encryptionKey: refs.key,
  timeout: z
    .custom<Duration>((v) => v instanceof Duration, { message: 'is not a Duration' })
    .superRefine((d, ctx) => {
      const s = d.toSeconds();
      if (s >= 60 && s <= 900) return;
      ctx.addIssue({
        code: 'custom',
        message: 'is out of range',
        input: `${s} seconds`,
        params: { expected: '1 to 15 minutes (the Lambda maximum)' },
      });
    })
    .optional(),
  memorySize: z.number().int().min(256).max(10240).optional(),
});

/** What the check function is built against. */
export interface BiasCheckTargets {
  readonly options: BiasCheckOptions;
  readonly datasetBucket: TieredDatasetBucket;
  /** The dataset's prefix, every version (the version is a run-time parameter). */
  readonly datasetPrefix: string;
  readonly reportsBucket: ISecureBucket;
  /** `bias-reports/<model package group>/`: the prefix `ModelReviewGate` expects reports under. */
  readonly reportsPrefix: string;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The pipeline role, which invokes the function from the Lambda step. */
  readonly pipelineRole: iam.IRole;
}

/** The check function and its grants: the dataset prefix (read), the reports prefix (write), the keys. */
export function biasCheckFunction(scope: Construct, id: string, t: BiasCheckTargets): SecureFunction {
  const o = t.options;
  const specJson: BiasCheckSpec = {
    format: o.format ?? 'csv',
    label: o.label,
    facets: o.facets,
    ...(o.group !== undefined ? { group: o.group } : {}),
    failOn: o.failOn,
    ...(o.proxyThreshold !== undefined ? { proxyThreshold: o.proxyThreshold } : {}),
  };
  const fn = new SecureFunction(scope, id, {
    handler: 'bias-check',
    vpc: t.vpc,
    vpcSubnets: t.vpcSubnets,
    encryptionKey: o.encryptionKey,
    description: 'Pre-training bias check of the training channel (pipeline Lambda step)',
    timeout: o.timeout ?? Duration.minutes(10),
    memorySize: o.memorySize ?? 1024,
    // SageMaker invokes the step synchronously and fails the step on an error: no async retries.
    retryAttempts: 0,
    environment: {
      [ENV.spec]: JSON.stringify(specJson),
      [ENV.datasetBucket]: t.datasetBucket.bucketName,
      [ENV.datasetPrefix]: t.datasetPrefix,
      [ENV.reportsBucket]: t.reportsBucket.bucketName,
      [ENV.reportsPrefix]: t.reportsPrefix,
      [ENV.reportsKeyArn]: t.reportsBucket.encryptionKey.keyArn,
    },
  });
  t.datasetBucket.grantReadPrefix(fn.role, t.datasetPrefix);
  acknowledgeIdentityPrefixGrant(
    fn.role,
    t.datasetBucket,
    t.datasetPrefix,
    'the dataset version and its channel objects are chosen per execution (the DatasetVersion parameter)',
  );
  t.reportsBucket.grantWritePrefix(fn.role, t.reportsPrefix);
  acknowledgeIdentityPrefixGrant(
    fn.role,
    t.reportsBucket,
    t.reportsPrefix,
    'one report per pipeline execution, under a sub-prefix named by the execution id',
  );
  // Exactly this function, unqualified: the Lambda step invokes the ARN it names.
  t.pipelineRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'InvokeBiasCheck',
      actions: ['lambda:InvokeFunction'],
      resources: [fn.function.functionArn],
    }),
  );
  return fn;
}
