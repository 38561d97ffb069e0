import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { constructRef, durationBetween, refs, retentionDays, tokenOr } from '../core/validate';
import { IAlertDestination } from '../monitoring/alert-topic';
import { ISecureBucket } from '../storage/secure-bucket';
import { ENVIRONMENTS, ServingEnvironment } from './defaults';

/** How a new endpoint configuration replaces the old one. */
export type DeploymentStrategy = 'canary' | 'linear' | 'rolling';

/** A scheduled capacity change, e.g. a known daily peak. */
export interface ScheduledCapacity {
  /** When the capacity applies, e.g. `appscaling.Schedule.cron({ hour: '7', minute: '45' })`. */
  readonly schedule: appscaling.Schedule;
  /** Fewest instances from then on. */
  readonly minCapacity: number;
  /** Most instances from then on. */
  readonly maxCapacity: number;
  /**
   * Time zone of a cron schedule (IANA name).
   * @default - UTC
   */
  readonly timeZone?: string;
}

/** A shadow variant: a challenger model that receives a copy of a share of live traffic. */
export interface ShadowVariantOptions {
  /** Digest of the challenger image in the same repository (`sha256:<64 hex>`). */
  readonly imageDigest: string;
  /** Key of the challenger's artifact in the same model bucket. */
  readonly modelDataKey: string;
  /** Share of production requests copied to the shadow, in percent (1 to 100). */
  readonly trafficPercent: number;
  /**
   * Instance type of the shadow variant.
   * @default - the production variant's instance type
   */
  readonly instanceType?: string;
  /**
   * Instances of the shadow variant.
   * @default 1
   */
  readonly instanceCount?: number;
}

/** Serverless inference settings (refused while `networkIsolation` is on). */
export interface ServerlessOptions {
  /** Memory per invocation, MB (1024 to 6144, a multiple of 1024). */
  readonly memorySizeMb: number;
  /** Concurrent invocations (1 to 200). */
  readonly maxConcurrency: number;
}

/** Props for {@link IsolatedEndpoint}. */
export interface IsolatedEndpointProps {
  /** The environment; `prod` demands at least two instances per production variant. */
  readonly environment: ServingEnvironment;
  /** The VPC the model runs in (its subnets need the SageMaker, ECR, STS, logs and S3 endpoints of {@link InferenceNetwork}). */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the model's network interfaces.
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The private ECR repository that holds the image. */
  readonly imageRepository: ecr.IRepository;
  /** The image digest, `sha256:<64 hex digits>`. Tags are refused: they can be moved to another image. */
  readonly imageDigest: string;
  /**
   * The bucket that holds the model artifact: a `SecureBucket`, a `TieredDatasetBucket`, or a
   * compliant bucket of yours through `SecureBucket.fromBucketAttributes`. The execution role reads
   * exactly the artifact objects through its identity policy, so the bucket's policy is not changed.
   */
  readonly modelBucket: ISecureBucket;
  /** Key of the model artifact (`model.tar.gz`) in the bucket, e.g. `models/churn/7/model.tar.gz`. */
  readonly modelDataKey: string;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly containerEnvironment?: Record<string, string>;
  /**
   * Key for the endpoint's ML storage volumes. Refused when a variant runs on an instance type with
   * local NVMe storage: those volumes are hardware-encrypted and `CreateEndpointConfig` fails with
   * a `KmsKeyId`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html
   * @default - a dedicated `models` key; none for instance types with local NVMe storage
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Key for the endpoint's container log group.
   * @default - a dedicated `logs` key
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * How long container logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The endpoint name (stable across updates: configurations change, the endpoint stays).
   * @default - derived from the construct path
   */
  readonly endpointName?: string;
  /**
   * Name of the production variant.
   * @default 'primary'
   */
  readonly variantName?: string;
  /**
   * Instance type of the production variant. Changing it on a deployed endpoint takes two
   * deployments (see `autoscaling`).
   * @default 'ml.m5.large'
   */
  readonly instanceType?: string;
  /**
   * Instances the production variant starts with. Fewer than 2 is a validation error in `prod`
   * and trips `MLOps-SageMakerEndpointConfigInstanceCount` elsewhere.
   * @default 2
   */
  readonly initialInstanceCount?: number;
  /**
   * Model network isolation: the container makes no outbound calls. Turning it off trips
   * `MLOps-SageMakerModelNetworkIsolation`.
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * Serverless inference instead of instances. It supports neither VPC nor network isolation
   * nor data capture, so it is refused unless `networkIsolation` is false.
   * @default - instance-based
   */
  readonly serverless?: ServerlessOptions;
  /**
   * Bucket that receives captured requests and responses, encrypted with its key. The execution
   * role may write `capturePrefix` only (through the bucket policy of a `SecureBucket`, through
   * its identity policy for `SecureBucket.fromBucketAttributes`).
   * @default - the model bucket
   */
  readonly captureBucket?: ISecureBucket;
  /**
   * Key prefix of captured data.
   * @default 'data-capture/<endpoint name>/'
   */
  readonly capturePrefix?: string;
  /**
   * Share of requests captured, percent (1 to 100).
   * @default 100
   */
  readonly captureSamplingPercent?: number;
  /**
   * Content types captured as CSV.
   * @default ['text/csv']
   */
  readonly captureCsvContentTypes?: string[];
  /**
   * Content types captured as JSON.
   * @default ['application/json']
   */
  readonly captureJsonContentTypes?: string[];
  /**
   * An optional shadow variant receiving a copy of a share of the traffic.
   * @default - no shadow variant
   */
  readonly shadowVariant?: ShadowVariantOptions;
  /**
   * How updates roll out: `canary` (a share first, then the rest), `linear` (equal steps), or
   * `rolling` (batches of instances in place of a second fleet). Each rolls back automatically
   * when an alarm of the endpoint fires.
   * @default 'canary'
   */
  readonly deploymentStrategy?: DeploymentStrategy;
  /**
   * Canary size, percent of capacity (1 to 50, SageMaker's limit).
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html
   * @default 10
   */
  readonly canaryPercent?: number;
  /**
   * Linear step size, percent of capacity (10 to 50, SageMaker's limit).
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-linear.html
   * @default 25
   */
  readonly linearStepPercent?: number;
  /**
   * Rolling batch size, percent of capacity (5 to 50, SageMaker's limit).
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RollingUpdatePolicy.html
   * @default 25
   */
  readonly rollingBatchPercent?: number;
  /**
   * How long each traffic step (or rolling batch) bakes before the next.
   * @default Duration.minutes(5)
   */
  readonly trafficWait?: Duration;
  /**
   * How long the old fleet stays after the shift, for late rollbacks (blue/green only).
   * @default Duration.minutes(10)
   */
  readonly terminationWait?: Duration;
  /**
   * Autoscaling of the production variant (target tracking and `scheduledCapacity`). SageMaker
   * rejects an endpoint update that changes the instance type of a variant registered for
   * autoscaling, so an `instanceType` change takes two deployments: first `autoscaling: false`
   * with the old instance type (the scalable target is deregistered), then the new instance type
   * with autoscaling on again (its scalable target is registered after the endpoint update). While
   * off, `minCapacity`, `maxCapacity`, `targetInvocationsPerInstance` and `scheduledCapacity` are
   * still validated and apply again once it is on; the variant keeps its current instance count.
   * A model or image change needs none of this.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html
   * @default true
   */
  readonly autoscaling?: boolean;
  /**
   * Fewest instances autoscaling keeps.
   * @default - the initial instance count
   */
  readonly minCapacity?: number;
  /**
   * Most instances autoscaling adds.
   * @default - twice the minimum capacity
   */
  readonly maxCapacity?: number;
  /**
   * Target of `SageMakerVariantInvocationsPerInstance` (invocations per instance per minute).
   * @default 100
   */
  readonly targetInvocationsPerInstance?: number;
  /**
   * Scheduled capacity for known peaks.
   * @default - none
   */
  readonly scheduledCapacity?: ScheduledCapacity[];
  /**
   * Where every alarm's ALARM and OK transitions go: the platform's `AlertTopic`, or any topic of
   * yours through `AlertTopic.fromTopic(topic)`.
   */
  readonly alerts: IAlertDestination;
  /**
   * ModelLatency p99 above which the latency alarm fires.
   * @default Duration.seconds(1)
   */
  readonly latencyP99Threshold?: Duration;
  /**
   * 5XX (and 4XX) responses per minute above which the error alarms fire.
   * @default 5
   */
  readonly errorThreshold?: number;
  /**
   * Utilization, percent, above which the CPU, GPU and disk alarms fire.
   * @default 80
   */
  readonly utilizationThresholdPercent?: number;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const VARIANT = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const digest = tokenOr(
  z.string().superRefine((value, ctx) => {
    if (DIGEST.test(value)) return;
    const looksLikeTag = !value.startsWith('sha256:');
    ctx.addIssue({
      code: 'custom',
      message: looksLikeTag
        ? 'is a tag, not a digest (tags can be moved to another image)'
        : 'is not a valid digest',
      input: value,
      params: { expected: 'sha256:<64 lowercase hex digits>' },
    });
  }),
);

const s3Key = tokenOr(
  z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[^/].*[^/]$/),
);
const percent = (max: number) => z.number().int().min(1).max(max);
const contentTypes = z
  .array(z.string().regex(/^[a-zA-Z0-9!#$&^_.+-]+\/[a-zA-Z0-9!#$&^_.+-]+$/))
  .min(1)
  .max(10);
// Families may carry a hyphen (ml.p6-b200.48xlarge), never lead or end with one.
const instanceType = tokenOr(z.string().regex(/^ml\.[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+$/));

/** The zod schema of {@link IsolatedEndpointProps}. */
export const isolatedEndpointSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS),
  vpc: refs.vpc,
  vpcSubnets: z.custom<ec2.SubnetSelection>((v) => typeof v === 'object' && v !== null).optional(),
  imageRepository: constructRef<ecr.IRepository>('ecr.IRepository', [
    'repositoryArn',
    'repositoryUriForDigest',
  ]),
  imageDigest: digest,
  modelBucket: refs.secureBucket,
  modelDataKey: s3Key,
  containerEnvironment: z
    .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/), z.string().max(1024))
    .optional(),
  encryptionKey: refs.key.optional(),
  logEncryptionKey: refs.key.optional(),
  logRetention: retentionDays().optional(),
  endpointName: tokenOr(z.string().regex(NAME)).optional(),
  variantName: z.string().regex(VARIANT).optional(),
  instanceType: instanceType.optional(),
  initialInstanceCount: z.number().int().min(1).max(1000).optional(),
  networkIsolation: z.boolean().optional(),
  serverless: z
    .strictObject({
      memorySizeMb: z.number().int().min(1024).max(6144).multipleOf(1024),
      maxConcurrency: z.number().int().min(1).max(200),
    })
    .optional(),
  captureBucket: refs.secureBucket.optional(),
  capturePrefix: tokenOr(
    z
      .string()
      .min(1)
      .max(512)
      .regex(/^[^/].*\/$/),
  ).optional(),
  captureSamplingPercent: percent(100).optional(),
  captureCsvContentTypes: contentTypes.optional(),
  captureJsonContentTypes: contentTypes.optional(),
  shadowVariant: z
    .strictObject({
      imageDigest: digest,
      modelDataKey: s3Key,
      trafficPercent: percent(100),
      instanceType: instanceType.optional(),
      instanceCount: z.number().int().min(1).max(1000).optional(),
    })
    .optional(),
  deploymentStrategy: z.enum(['canary', 'linear', 'rolling']).optional(),
  // The upper and lower limits SageMaker sets are checked with the other fields, citing their docs.
  canaryPercent: z.number().int().min(1).optional(),
  linearStepPercent: z.number().int().optional(),
  rollingBatchPercent: z.number().int().optional(),
  trafficWait: durationBetween(Duration.seconds(0), Duration.hours(1), { unit: 'seconds' }).optional(),
  terminationWait: durationBetween(Duration.seconds(0), Duration.hours(1), { unit: 'seconds' }).optional(),
  autoscaling: z.boolean().optional(),
  minCapacity: z.number().int().min(1).max(1000).optional(),
  maxCapacity: z.number().int().min(1).max(1000).optional(),
  targetInvocationsPerInstance: z.number().positive().optional(),
  scheduledCapacity: z
    .array(
      z.strictObject({
        schedule: z.custom<appscaling.Schedule>((v) => v instanceof appscaling.Schedule, {
          message: 'is not an appscaling.Schedule',
          params: { expected: 'an appscaling.Schedule' },
        }),
        minCapacity: z.number().int().max(1000),
        maxCapacity: z.number().int().min(1).max(1000),
        timeZone: z.string().min(1).optional(),
      }),
    )
    .max(50)
    .optional(),
  alerts: refs.alerts,
  latencyP99Threshold: durationBetween(Duration.millis(1), Duration.seconds(60), {
    literal: true,
  }).optional(),
  errorThreshold: z.number().int().min(0).optional(),
  utilizationThresholdPercent: z.number().min(1).max(100).optional(),
});
