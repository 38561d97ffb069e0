import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DriftMonitor } from '../../constructs/monitoring/drift-monitor';
import { addDriftMonitor } from './drift';
import { addQualityMonitor } from './quality';
import { IHealthCheckedFeatureGroup, ModelHealthCheck } from '../../constructs/monitoring/model-health-check';
import { addInferenceHealthCheck } from './oncall';
import { addBatchInference } from './batch';
import { BatchInference } from '../../constructs/serving/batch-inference';
import { z } from 'zod';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { ServingEnvironment } from '../../constructs/serving/defaults';
import { IApiGatewayAccount } from '../../constructs/serving/api-gateway-account';
import { InferenceApi } from '../../constructs/serving/inference-api';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { AsyncEndpoint } from '../../constructs/serving/async-endpoint';
import { IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { IModelImageRepository } from '../../constructs/training/model-image-repository';

/** The demo model's request contract: a batch of numeric feature rows. */
export const DEMO_INPUT_CONTRACT = z.strictObject({
  instances: z.array(z.array(z.number()).min(1).max(256)).min(1).max(100),
});

/**
 * How a {@link ServingStack} serves its model: `realtime` (an isolated endpoint behind the
 * inference API: payloads up to 6 MB, answers within 60 s), or `realtime+async`, which adds an
 * asynchronous endpoint for bulk or slow requests (payloads up to 1 GB in S3, up to an hour each,
 * scaled to zero while idle). README "Choosing a serving mode" compares them.
 */
export type ServingMode = 'realtime' | 'realtime+async';

/** Props for {@link ServingStack}. */
export interface ServingStackProps extends StackProps {
  /** The platform's keys (`PlatformStack.keys`): `models` for volumes and artifacts, `logs` for logs. */
  readonly keys: EncryptionKeys;
  /** The platform's alert topic (`PlatformStack.alerts`). */
  readonly alerts: AlertTopic;
  /** The platform's network (`PlatformStack.network`). */
  readonly network: InferenceNetwork;
  /** The platform's API Gateway account setting (`PlatformStack.apiGatewayAccount`), which the API's stage deploys after. */
  readonly apiGatewayAccount: IApiGatewayAccount;
  /** The served model's image repository, owned by the platform stack (`PlatformStack.servedModelImages[modelName]`). */
  readonly imageRepository: IModelImageRepository;
  /** The platform's model artifact bucket (`PlatformStack.modelArtifacts`). */
  readonly modelArtifacts: SecureBucket;
  /** The served model's name: lowercase, it names the stack and the artifact prefix. */
  readonly modelName: string;
  /** The environment; `prod` demands two or more instances. */
  readonly environment: ServingEnvironment;
  /** The digest of the serving image in `imageRepository` (the config's `imageDigest`). */
  readonly imageDigest: string;
  /** The model version whose artifact is served: `models/<modelName>/<version>/model.tar.gz` in `modelArtifacts`. */
  readonly modelVersion: string;
  /**
   * The request contract of the API.
   * @default DEMO_INPUT_CONTRACT
   */
  readonly inputContract?: z.ZodType;
  /**
   * How the model is served.
   * @default 'realtime+async'
   */
  readonly mode?: ServingMode;
  /**
   * The online feature group the model reads (`addFeatureStore`'s group): the health check reads
   * its probe record.
   * @default - the health check probes no feature store
   */
  readonly onlineFeatures?: IHealthCheckedFeatureGroup;
}

/** The digest the default config serves until a real image is pushed (re-exported from the config). */
export { DEMO_IMAGE_DIGEST } from './config';

/**
 * One served model: an isolated, autoscaled endpoint with data capture and guarded rollouts, an
 * authenticated inference API, and drift monitoring of the captured traffic. One stack per model
 * keeps each well under CloudFormation's 500-resource limit and lets models deploy independently.
 *
 * The image repository and the artifact bucket belong to the platform stack, so they exist (and
 * hold the image and artifact) before this stack is first deployed. It references the platform
 * stack's keys, topic, VPC, repository and bucket (exports flow platform → serving) and grants
 * only in its own roles' identity policies, never in platform resources' policies, so no
 * dependency cycle can form.
 */
export class ServingStack extends Stack {
  /** The served model's name (its `model-id` tag). */
  public readonly modelName: string;
  /**
   * The bucket that receives the endpoint's captured traffic and the drift baselines and reports
   * (construct id `Models` kept from when it also held the artifacts).
   */
  public readonly capture: SecureBucket;
  /** The endpoint. */
  public readonly endpoint: IsolatedEndpoint;
  /** The API in front of it. */
  public readonly api: InferenceApi;
  /** Drift analysis of the endpoint's captured traffic against its training baseline. */
  public readonly drift: DriftMonitor;
  /** The asynchronous endpoint of the same model (`mode: 'realtime+async'`). */
  public readonly asyncEndpoint?: AsyncEndpoint;
  /** The same model in batch mode: a nightly transform job over the records under its input prefix. */
  public readonly batch: BatchInference;
  /** The synthetic health check of the served model (golden request, probe record of its online features, dependencies). */
  public readonly healthCheck: ModelHealthCheck;

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    const {
      keys,
      alerts,
      network,
      apiGatewayAccount,
      imageRepository,
      modelArtifacts,
      modelName,
      environment,
      imageDigest,
      modelVersion,
      inputContract,
      mode,
      onlineFeatures,
      ...stackProps
    } = props;
    super(scope, id, stackProps);
    if (!/^[a-z][a-z0-9-]{1,40}$/.test(modelName)) {
      throw new Error(
        `${this.node.path}: modelName: is not a valid model name (got ${JSON.stringify(modelName)}; expected lowercase letters, digits and hyphens, 2 to 41 characters)`,
      );
    }

    this.modelName = modelName;
    this.capture = new SecureBucket(this, 'Models', { encryptionKey: keys.models });
    this.endpoint = new IsolatedEndpoint(this, 'Endpoint', {
      environment,
      vpc: network.vpc,
      imageRepository: imageRepository.repository,
      imageDigest,
      // The endpoint role reads exactly this object through its identity policy: the platform's
      // bucket policy is not changed, so the platform never depends on this stack.
      modelBucket: modelArtifacts,
      modelDataKey: `models/${modelName}/${modelVersion}/model.tar.gz`,
      captureBucket: this.capture,
      encryptionKey: keys.models,
      logEncryptionKey: keys.logs,
      alerts,
    });
    this.api = new InferenceApi(this, 'Api', {
      endpoint: this.endpoint,
      inputContract: inputContract ?? DEMO_INPUT_CONTRACT,
      encryptionKey: keys.logs,
      apiGatewayAccount,
    });

    this.drift = addDriftMonitor(this, {
      endpointName: this.endpoint.endpointName,
      captureBucket: this.capture,
      capturePrefix: `data-capture/${this.endpoint.endpointName}/`,
      alerts,
      vpc: network.vpc,
      encryptionKey: keys.logs,
      // Named alarms, so the platform stack's retraining rule matches them without a reference.
      alarmNamePrefix: `${modelName}-drift`,
    });
    addQualityMonitor(this, {
      endpointName: this.endpoint.endpointName,
      captureBucket: this.capture,
      capturePrefix: `data-capture/${this.endpoint.endpointName}/`,
      alerts,
      vpc: network.vpc,
      encryptionKey: keys.logs,
      alarmNamePrefix: `${modelName}-quality`,
      // A numbered version is a package of the churn-model group: alarm against its statistics.
      registeredVersion: /^[1-9]\d*$/.test(modelVersion)
        ? { modelVersion: Number(modelVersion), artifactsBucket: modelArtifacts }
        : undefined,
    });

    if ((mode ?? 'realtime+async') === 'realtime+async') {
      // The same model, queued: requests and results live in this stack's bucket, so its grants
      // land in this stack's bucket policy and the platform's buckets stay unchanged.
      this.asyncEndpoint = new AsyncEndpoint(this, 'AsyncEndpoint', {
        environment,
        vpc: network.vpc,
        imageRepository: imageRepository.repository,
        imageDigest,
        modelBucket: modelArtifacts,
        modelDataKey: `models/${modelName}/${modelVersion}/model.tar.gz`,
        ioBucket: this.capture,
        encryptionKey: keys.models,
        logEncryptionKey: keys.logs,
        alerts,
      });
      new CfnOutput(this, 'AsyncEndpointName', { value: this.asyncEndpoint.endpointName });
      new CfnOutput(this, 'AsyncInputUri', {
        description: 'Upload requests here, then call InvokeEndpointAsync with their InputLocation',
        value: this.asyncEndpoint.inputS3Uri,
      });
    }

    // Batch mode, whatever the mode: records and predictions in this stack's bucket, as async's.
    this.batch = addBatchInference(this, {
      vpc: network.vpc,
      imageRepository: imageRepository.repository,
      imageDigest,
      modelBucket: modelArtifacts,
      modelDataKey: `models/${modelName}/${modelVersion}/model.tar.gz`,
      ioBucket: this.capture,
      encryptionKey: keys.models,
    });
    new CfnOutput(this, 'BatchInputUri', {
      description: 'Land CSV records (record id first) here; the nightly batch job scores them',
      value: this.batch.inputS3Uri,
    });

    this.healthCheck = addInferenceHealthCheck(this, {
      endpoint: this.endpoint,
      vpc: network.vpc,
      artifactsBucket: this.capture,
      alerts,
      modelName,
      featureGroup: onlineFeatures,
    });

    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName });
    new CfnOutput(this, 'CaptureBucketName', {
      description:
        'Data capture, drift reports, and the drift baseline at drift-baselines/<endpoint name>/baseline.json',
      value: this.capture.bucketName,
    });
    new CfnOutput(this, 'InvocationsUrl', { value: this.api.invocationsUrl });
  }
}
