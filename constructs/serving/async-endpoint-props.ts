import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { constructRef, durationBetween, refs, retentionDays, tokenOr } from '../core/validate';
import { IAlertDestination } from '../monitoring/alert-topic';
import { ISecureBucket } from '../storage/secure-bucket';
import { ENVIRONMENTS, ServingEnvironment } from './defaults';
import { DeploymentStrategy, isolatedEndpointSchema } from './isolated-endpoint-props';

/** Props for {@link AsyncEndpoint}. */
export interface AsyncEndpointProps {
  /**
   * The environment, as for `IsolatedEndpoint`. No environment changes a default here: requests
   * wait in the queue rather than fail while no instance runs, so an async endpoint may scale to
   * zero in `prod` too.
   */
  readonly environment: ServingEnvironment;
  /** The VPC the model runs in (its subnets need the SageMaker, ECR, STS, logs and S3 endpoints of `InferenceNetwork`). */
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
  /** The bucket that holds the model artifact (read through the execution role's identity policy). */
  readonly modelBucket: ISecureBucket;
  /** Key of the model artifact (`model.tar.gz`) in the bucket. */
  readonly modelDataKey: string;
  /**
   * The bucket of requests, responses and failures. The output config's `KmsKeyId` is its key, so
   * SageMaker writes results with the only key the bucket policy admits. A `SecureBucket` gets the
   * execution role's prefix grants in its bucket policy: pass a bucket of this stack, or one made
   * with `SecureBucket.fromBucketAttributes`, to keep another stack's policy unchanged.
   * @default - the model bucket
   */
  readonly ioBucket?: ISecureBucket;
  /**
   * Prefix callers upload requests under (`InvokeEndpointAsync`'s `InputLocation`).
   * @default 'async-inference/<endpoint name>/input/'
   */
  readonly inputPrefix?: string;
  /**
   * Prefix SageMaker writes responses under (`OutputConfig.S3OutputPath`).
   * @default 'async-inference/<endpoint name>/output/'
   */
  readonly outputPrefix?: string;
  /**
   * Prefix SageMaker writes failed responses under (`OutputConfig.S3FailurePath`).
   * @default 'async-inference/<endpoint name>/failure/'
   */
  readonly failurePrefix?: string;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly containerEnvironment?: Record<string, string>;
  /**
   * Key of the ML storage volumes. Refused for instance types with local NVMe storage (see
   * `IsolatedEndpoint`).
   * @default - a dedicated `models` key; none for instance types with local NVMe storage
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Key of the container log group and of the success and error topics (SageMaker publishes with
   * the execution role, which is granted its use through SNS only).
   * @default - a dedicated `logs` key
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * How long container logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The endpoint name.
   * @default - derived from the construct path
   */
  readonly endpointName?: string;
  /**
   * Name of the production variant.
   * @default 'primary'
   */
  readonly variantName?: string;
  /**
   * Instance type of the production variant.
   * @default 'ml.m5.large'
   */
  readonly instanceType?: string;
  /**
   * Instances the variant starts with, before autoscaling takes over (down to `minCapacity`).
   * Fewer than 2 trips `MLOps-SageMakerEndpointConfigInstanceCount`.
   * @default 2
   */
  readonly initialInstanceCount?: number;
  /**
   * Model network isolation. Turning it off trips `MLOps-SageMakerModelNetworkIsolation`.
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * Requests one instance processes at a time (`ClientConfig.MaxConcurrentInvocationsPerInstance`,
   * 1 to 1000). Async requests are large and slow, so one at a time unless the container is known
   * to handle more.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceClientConfig.html
   * @default 1
   */
  readonly maxConcurrentInvocationsPerInstance?: number;
  /**
   * Include the inference response (at most 128 KB) in the success and error notifications. Off:
   * a topic subscriber then sees the output location, never the prediction.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceNotificationConfig.html
   * @default false
   */
  readonly includeResponseInNotifications?: boolean;
  /**
   * How updates roll out; each rolls back when the error alarms fire.
   * @default 'canary'
   */
  readonly deploymentStrategy?: DeploymentStrategy;
  /**
   * Autoscaling on the backlog, with a wake-up policy that starts an instance when requests wait
   * with none running.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html
   * @default true
   */
  readonly autoscaling?: boolean;
  /**
   * Fewest instances: 0 lets the endpoint scale to zero while no request waits (async endpoints
   * are the exception to the one-instance minimum of real-time variants).
   * @default 0
   */
  readonly minCapacity?: number;
  /**
   * Most instances.
   * @default - the initial instance count, at least 2
   */
  readonly maxCapacity?: number;
  /**
   * Target of `ApproximateBacklogSizePerInstance` (queued requests per instance).
   * @default 5
   */
  readonly targetBacklogPerInstance?: number;
  /**
   * Where every alarm's ALARM and OK transitions go.
   */
  readonly alerts: IAlertDestination;
  /**
   * Age of the oldest queued request above which the backlog alarm fires.
   * @default Duration.minutes(30)
   */
  readonly oldestRequestAgeThreshold?: Duration;
  /**
   * 5XX (and 4XX) responses per minute above which the error alarms fire.
   * @default 5
   */
  readonly errorThreshold?: number;
}

const prefix = tokenOr(
  z
    .string()
    .min(1)
    .max(400)
    .regex(/^[^/].*\/$/),
);

const shared = isolatedEndpointSchema.shape;

/** The zod schema of {@link AsyncEndpointProps}. */
export const asyncEndpointSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS),
  vpc: refs.vpc,
  vpcSubnets: shared.vpcSubnets,
  imageRepository: constructRef<ecr.IRepository>('ecr.IRepository', [
    'repositoryArn',
    'repositoryUriForDigest',
  ]),
  imageDigest: shared.imageDigest,
  modelBucket: refs.secureBucket,
  modelDataKey: shared.modelDataKey,
  ioBucket: refs.secureBucket.optional(),
  inputPrefix: prefix.optional(),
  outputPrefix: prefix.optional(),
  failurePrefix: prefix.optional(),
  containerEnvironment: shared.containerEnvironment,
  encryptionKey: refs.key.optional(),
  logEncryptionKey: refs.key.optional(),
  logRetention: retentionDays().optional(),
  endpointName: shared.endpointName,
  variantName: shared.variantName,
  instanceType: shared.instanceType,
  initialInstanceCount: z.number().int().min(1).max(1000).optional(),
  networkIsolation: z.boolean().optional(),
  maxConcurrentInvocationsPerInstance: z.number().int().min(1).max(1000).optional(),
  includeResponseInNotifications: z.boolean().optional(),
  deploymentStrategy: z.enum(['canary', 'linear', 'rolling']).optional(),
  autoscaling: z.boolean().optional(),
  minCapacity: z.number().int().min(0).max(1000).optional(),
  maxCapacity: z.number().int().min(1).max(1000).optional(),
  targetBacklogPerInstance: z.number().positive().optional(),
  alerts: refs.alerts,
  oldestRequestAgeThreshold: durationBetween(Duration.minutes(1), Duration.hours(6), {
    literal: true,
  }).optional(),
  errorThreshold: z.number().int().min(0).optional(),
});
