import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { z } from 'zod';
import { constructRef, durationBetween, refs, tokenOr } from '../core/validate';
import { ISecureBucket } from '../storage/secure-bucket';
import { TieredDatasetBucket } from '../storage/tiered-dataset-bucket';
import { MAX_TRAINING_DURATION } from './defaults';
import { IMAGE_DIGEST_PATTERN, PinnedImage } from './model-image-repository';
import { RISK_TIERS, type RiskTier } from '../feature-store/contract-schema';
import { IModelRegistry } from './model-registry';
import { riskTierOf } from './review-gate-registry';
import { MetricComparison } from './pipeline-definition';
import { BiasCheckOptions, biasCheckSchema } from './spot-training-pipeline-bias';
import { FairnessCheckOptions, fairnessCheckSchema } from './spot-training-pipeline-fairness';
import { LineageOptions, lineageSchema } from './spot-training-pipeline-lineage';

/** A metric the training container prints, captured from its logs by a regular expression. */
export interface TrainingMetricDefinition {
  /** The metric name, e.g. `validation:auc`. */
  readonly name: string;
  /** A regular expression whose first group is the value, e.g. `validation-auc=([0-9.]+)`. */
  readonly regex: string;
}

/** The evaluation (processing) step that scores the trained model. */
export interface EvaluationOptions {
  /**
   * The evaluation image, pinned by digest (`images.image(digest)`, see
   * {@link ModelImageRepository.image}); the execution role may pull from its repository.
   */
  readonly image: PinnedImage;
  /** The command the container runs, e.g. `['python3', '/opt/program/evaluate.py']`. */
  readonly entrypoint: string[];
  /**
   * The processing instance type (must be in the allowlist).
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * The dataset channel scored, mounted at `/opt/ml/processing/input/data`.
   * @default 'test'
   */
  readonly channel?: string;
  /**
   * The JSON report the container writes under `/opt/ml/processing/evaluation/`; the
   * registration gate reads its metric from it.
   * @default 'evaluation.json'
   */
  readonly reportFileName?: string;
  /**
   * How long evaluation may run.
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;
}

/** Registers the model only when a metric clears a threshold. */
export interface RegistrationGateOptions {
  /**
   * With `evaluation`: the JSON path of the metric in the evaluation report, e.g.
   * `metrics.auc.value`. Without it: the name of one of `metricDefinitions` (its final value).
   */
  readonly metric: string;
  /** The threshold the metric must clear. */
  readonly threshold: number;
  /**
   * How the metric is compared with the threshold.
   * @default 'GreaterThanOrEqualTo'
   */
  readonly comparison?: MetricComparison;
}

/** How risky the model's use is, as the model card records it. */
export type ModelRiskRating = 'High' | 'Medium' | 'Low' | 'Unknown';

/** Props for {@link SpotTrainingPipeline}. */
export interface SpotTrainingPipelineProps {
  /**
   * The pipeline name.
   * @default - a name unique to this construct's path
   */
  readonly pipelineName?: string;
  /**
   * The training image, pinned by digest (`images.image(digest)`, see
   * {@link ModelImageRepository.image}); a tag can be moved to another image, so there is none.
   * The execution role may pull from its repository (and the evaluation image's) only.
   */
  readonly trainingImage: PinnedImage;
  /**
   * The image that serves the registered model, pinned by digest. It is written into the model
   * version; the pipeline's roles never pull it.
   * @default - the training image
   */
  readonly inferenceImage?: PinnedImage;
  /**
   * The training instance type; its family must be in `allowedInstanceFamilies`.
   * @default 'ml.g5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * The instance families this pipeline may use (training and evaluation).
   * @default DEFAULT_TRAINING_INSTANCE_FAMILIES (current G and P GPU families, m5/m6i/m7i, c5/c6i/c7i, r5/r6i/r7i)
   */
  readonly allowedInstanceFamilies?: string[];
  /**
   * The number of training instances (distributed training above 1).
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * The size of each instance's ML storage volume, in GB.
   * @default 50
   */
  readonly volumeSizeGb?: number;
  /**
   * Managed spot training: up to 90% cheaper than on-demand, at the price of interruptions that
   * checkpoints recover from.
   * @default true
   */
  readonly useSpotInstances?: boolean;
  /**
   * Checkpoints to `s3://<artifact bucket>/checkpoints/<pipeline>/<execution id>/`, synced from
   * `/opt/ml/checkpoints`. May be turned off only without spot instances.
   * @default true
   */
  readonly checkpoints?: boolean;
  /**
   * The longest the training may run (billable time). At most 28 days.
   * @default Duration.hours(24)
   */
  readonly maxRuntime?: Duration;
  /**
   * The longest the job may take including time waiting for spot capacity; at least `maxRuntime`.
   * Only with spot instances.
   * @default - twice `maxRuntime`, at most 28 days
   */
  readonly maxWait?: Duration;
  /**
   * How many times a step is retried after a capacity error (`SageMaker.CAPACITY_ERROR`),
   * with the interval doubling each time.
   * @default 5
   */
  readonly capacityRetryAttempts?: number;
  /**
   * The first wait before a capacity retry.
   * @default Duration.minutes(5)
   */
  readonly capacityRetryInterval?: Duration;
  /**
   * Hyperparameters, each declared as a String pipeline parameter `hp_<name>` with this default,
   * so an execution can override them.
   * @default - none
   */
  readonly hyperparameters?: Record<string, string | number | boolean>;
  /**
   * Metrics captured from the training logs.
   * @default - none
   */
  readonly metricDefinitions?: TrainingMetricDefinition[];
  /** The dataset bucket; the channels are read from `datasetPrefix(datasetName, <DatasetVersion>)`. */
  readonly datasetBucket: TieredDatasetBucket;
  /** The dataset name under the bucket's datasets prefix. */
  readonly datasetName: string;
  /**
   * The dataset version trained on by default; declared as the `DatasetVersion` pipeline parameter
   * and recorded as a tag on the training job and the model version (lineage).
   */
  readonly datasetVersion: string;
  /**
   * The input channels: one sub-prefix each of the dataset version.
   * @default ['train', 'validation']
   */
  readonly inputChannels?: string[];
  /**
   * Where model artifacts, checkpoints and evaluation reports go: a {@link SecureBucket}, or a
   * compliant bucket of yours through `SecureBucket.fromBucketAttributes`. The roles get
   * prefix-scoped grants on it.
   * @default - a new SecureBucket with the `models` key
   */
  readonly artifactBucket?: ISecureBucket;
  /**
   * The key that encrypts the job outputs (model artifacts, evaluation reports), and the ML
   * storage volumes of instance types with EBS volumes unless `volumeEncryptionKey` is set.
   * Instance types with local NVMe storage (g4dn, g5, p4d, m5d …) get no volume key: SageMaker
   * encrypts those volumes in hardware and rejects `VolumeKmsKeyId` for them.
   * @default - the artifact bucket's key
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The key that encrypts the training and evaluation instances' EBS storage volumes
   * (`VolumeKmsKeyId`). Setting it with an instance type that has local NVMe storage is a
   * validation error, since SageMaker rejects the request.
   * @default - `encryptionKey` for instance types with EBS volumes; none (hardware encryption) for NVMe types
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProcessingClusterConfig.html
   */
  readonly volumeEncryptionKey?: kms.IKey;
  /** The VPC the jobs run in (isolated subnets with endpoints, e.g. InferenceNetwork). */
  readonly vpc: ec2.IVpc;
  /**
   * The subnets the jobs run in.
   * @default - the VPC's isolated subnets, else its private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The jobs' security groups.
   * @default - one that admits traffic only from itself (distributed training) and sends only to itself and HTTPS
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** The registry the model is registered into. */
  readonly modelRegistry: IModelRegistry;
  /**
   * The approval status of new model versions. `Approved` skips the review gate and trips
   * `MLOps` pipeline rules; use it only for low-risk models with an acknowledgment.
   * @default 'PendingManualApproval'
   */
  readonly modelApprovalStatus?: 'PendingManualApproval' | 'Approved';
  /** What the model is for and what it must not be used for (model card `intended_uses`). */
  readonly intendedUse: string;
  /** The risk rating of the model's use (model card `risk_rating`). */
  readonly riskRating: ModelRiskRating;
  /**
   * The model's risk tier (see `RiskTier`), e.g. the feature contract's (`contract.riskTier`).
   * It must equal the tier of `modelRegistry` when that is a `ModelRegistry`, so a high-risk
   * model is only registered into a group guarded by a `ModelReviewGate`.
   * @default - not declared
   */
  readonly riskTier?: RiskTier;
  /** Who answers for the model: a team or person (model card `model_owner`). */
  readonly modelOwner: string;
  /**
   * Content types the model accepts and returns.
   * @default ['application/json']
   */
  readonly contentTypes?: string[];
  /**
   * Instance types reviewers may deploy the model on.
   * @default ['ml.m5.xlarge']
   */
  readonly inferenceInstanceTypes?: string[];
  /**
   * An evaluation step scoring the trained model.
   * @default - no evaluation step
   */
  readonly evaluation?: EvaluationOptions;
  /**
   * A condition step: the model is registered only when the metric clears the threshold;
   * otherwise the execution fails with a message.
   * @default - every trained model is registered (for review)
   */
  readonly registrationGate?: RegistrationGateOptions;
  /**
   * A pre-training bias check: a Lambda step before training measures the pre-training bias
   * metrics of the training channel, writes the report to
   * `<artifact bucket>/bias-reports/<model package group>/<execution id>/pre-training.json` (the
   * prefix `ModelReviewGate` expects reviewers to cite), and the execution fails before any
   * training job starts when a `failOn` threshold is crossed.
   * @default - no bias check
   */
  readonly biasCheck?: BiasCheckOptions;
  /**
   * A post-training fairness check (needs `evaluation`): the Evaluate container also writes a
   * predictions file; a Lambda step measures the post-training bias metrics on it, writes
   * `<bias reports prefix><execution id>/post-training.json`, and the model is registered only
   * when no `failOn` threshold was crossed (and the `registrationGate` metric, if any, holds).
   * @default - no fairness check
   */
  readonly fairnessCheck?: FairnessCheckOptions;
  /**
   * Lineage (issue 18): a `WriteManifest` Lambda step before any job writes the dataset manifest
   * (key, version id, size and sha256 of every training object; the provenance records of
   * third-party data, without which the execution fails) to
   * `<artifact bucket>/lineage/<pipeline>/<execution id>/dataset-manifest.json`, and a
   * `RecordLineage` step after `RegisterModel` records the `lineage:*` keys in the version's
   * CustomerMetadataProperties.
   * @default - no manifest, no lineage metadata
   */
  readonly lineage?: LineageOptions;
  /**
   * When EventBridge Scheduler starts the pipeline, in the expression's time zone (`Etc/UTC` when
   * it names none), e.g. `scheduler.ScheduleExpression.expression('cron(0 3 ? * MON *)')` or
   * `scheduler.ScheduleExpression.cron({ weekDay: 'MON', hour: '3', minute: '0', timeZone })`.
   * @default - no schedule
   */
  readonly schedule?: scheduler.ScheduleExpression;
}

/**
 * A {@link PinnedImage}: an ECR repository and a digest (a token digest is left to deploy time).
 * A tag in place of the digest gets its own message: tags can be moved to another image.
 */
const pinnedImage = z.strictObject({
  repository: constructRef<ecr.IRepository>('ecr.IRepository', ['repositoryArn', 'repositoryUriForDigest']),
  digest: tokenOr(
    z.string().superRefine((value, ctx) => {
      if (IMAGE_DIGEST_PATTERN.test(value)) return;
      ctx.addIssue({
        code: 'custom',
        message: value.startsWith('sha256:')
          ? 'is not an image digest'
          : 'is not an image digest (a tag can be moved to another image)',
        input: value,
        params: { expected: 'sha256:<64 lowercase hex digits>' },
      });
    }),
  ),
});

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;
/** @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html */
const SCHEDULE_EXPRESSION = /^(cron\(.+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(.+\))$/;
const SEGMENT = /^[a-zA-Z0-9!_.*'()-]+$/;
// MaxRuntime and MaxWait are added and compared at synth, so they must be literals.
const duration = durationBetween(Duration.seconds(1), MAX_TRAINING_DURATION, {
  unit: 'seconds',
  literal: true,
});
const comparison = z.enum(['GreaterThanOrEqualTo', 'GreaterThan', 'LessThanOrEqualTo', 'LessThan']);

/** The fields of {@link SpotTrainingPipelineProps}, each checked on its own. */
const propsShape = z.strictObject({
  pipelineName: tokenOr(z.string().regex(NAME)).optional(),
  trainingImage: pinnedImage,
  inferenceImage: pinnedImage.optional(),
  instanceType: z
    .string()
    .regex(/^ml\.[a-z0-9-]+\.[a-z0-9]+$/)
    .optional(),
  allowedInstanceFamilies: z
    .array(z.string().regex(/^[a-z0-9-]+$/))
    .min(1)
    .optional(),
  instanceCount: z.number().int().min(1).max(100).optional(),
  volumeSizeGb: z.number().int().min(1).max(16384).optional(),
  useSpotInstances: z.boolean().optional(),
  checkpoints: z.boolean().optional(),
  maxRuntime: duration.optional(),
  maxWait: duration.optional(),
  capacityRetryAttempts: z.number().int().min(1).max(20).optional(),
  capacityRetryInterval: durationBetween(Duration.seconds(1), Duration.hours(6), {
    unit: 'seconds',
  }).optional(),
  hyperparameters: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]{1,61}$/),
      z.union([z.string().max(2500), z.number(), z.boolean()]),
    )
    .optional(),
  metricDefinitions: z
    .array(z.strictObject({ name: z.string().min(1).max(255), regex: z.string().min(1).max(500) }))
    .max(40)
    .optional(),
  datasetBucket: constructRef<TieredDatasetBucket>('TieredDatasetBucket', [
    'datasetPrefix',
    'grantReadDatasets',
  ]),
  datasetName: z.string().regex(SEGMENT),
  datasetVersion: z.string().regex(SEGMENT).max(256),
  inputChannels: z
    .array(z.string().regex(/^[A-Za-z0-9.\-_]{1,64}$/))
    .min(1)
    .max(20)
    .optional(),
  artifactBucket: constructRef<ISecureBucket>('ISecureBucket', [
    'bucket',
    'encryptionKey',
    'grantReadPrefix',
    'grantReadWritePrefix',
  ]).optional(),
  encryptionKey: refs.key.optional(),
  volumeEncryptionKey: refs.key.optional(),
  vpc: refs.vpc,
  vpcSubnets: z.custom<ec2.SubnetSelection>((v) => typeof v === 'object' && v !== null).optional(),
  securityGroups: z.array(refs.securityGroup).min(1).max(5).optional(),
  modelRegistry: z.custom<IModelRegistry>(
    (v) => typeof v === 'object' && v !== null && 'modelPackageGroupName' in v && 'grantRegister' in v,
    { params: { expected: 'an IModelRegistry' }, message: 'is not a model registry' },
  ),
  modelApprovalStatus: z.enum(['PendingManualApproval', 'Approved']).optional(),
  intendedUse: z.string().min(1).max(2048),
  riskRating: z.enum(['High', 'Medium', 'Low', 'Unknown']),
  riskTier: z.enum(RISK_TIERS).optional(),
  modelOwner: z.string().min(1).max(1024),
  contentTypes: z.array(z.string().min(1)).min(1).optional(),
  inferenceInstanceTypes: z
    .array(z.string().regex(/^ml\.[a-z0-9-]+\.[a-z0-9]+$/))
    .min(1)
    .optional(),
  evaluation: z
    .strictObject({
      image: pinnedImage,
      entrypoint: z.array(z.string().min(1)).min(1),
      instanceType: z
        .string()
        .regex(/^ml\.[a-z0-9-]+\.[a-z0-9]+$/)
        .optional(),
      channel: z
        .string()
        .regex(/^[A-Za-z0-9.\-_]{1,64}$/)
        .optional(),
      reportFileName: z
        .string()
        .regex(/^[A-Za-z0-9._-]+\.json$/)
        .optional(),
      maxRuntime: durationBetween(Duration.minutes(1), Duration.days(5), { unit: 'seconds' }).optional(),
    })
    .optional(),
  registrationGate: z
    .strictObject({
      metric: z.string().min(1).max(255),
      threshold: z.number().finite(),
      comparison: comparison.optional(),
    })
    .optional(),
  biasCheck: biasCheckSchema.optional(),
  fairnessCheck: fairnessCheckSchema.optional(),
  lineage: lineageSchema.optional(),
  schedule: z
    .custom<scheduler.ScheduleExpression>((v) => v instanceof scheduler.ScheduleExpression, {
      message: 'is not a scheduler.ScheduleExpression',
      params: {
        expected: 'scheduler.ScheduleExpression.cron(...), .rate(...), .at(...) or .expression(...)',
      },
    })
    .superRefine((v, ctx) => {
      if (Token.isUnresolved(v.expressionString) || SCHEDULE_EXPRESSION.test(v.expressionString)) return;
      ctx.addIssue({
        code: 'custom',
        message: 'is not an EventBridge Scheduler expression',
        input: v.expressionString,
        params: { expected: 'cron(...), rate(<n> minutes|hours|days) or at(...)' },
      });
    })
    .optional(),
});

/**
 * The zod schema of {@link SpotTrainingPipelineProps}: the fields, then the checks across them. A pipeline that declares its tier registers only
 * into a registry declared with the same one: a high-risk model in a group without a review gate
 * would be approvable without a review.
 */
export const spotTrainingPipelineSchema = propsShape.superRefine((p, ctx) => {
  const registryTier = riskTierOf(p.modelRegistry);
  if (p.riskTier === undefined || registryTier === p.riskTier) return;
  if (registryTier === undefined && p.riskTier !== 'high') return;
  ctx.addIssue({
    code: 'custom',
    path: ['modelRegistry'],
    message: `has another risk tier than the pipeline's ${p.riskTier}`,
    input: registryTier ?? 'no risk tier',
    params: { expected: `a ModelRegistry with riskTier: '${p.riskTier}'` },
  });
});
