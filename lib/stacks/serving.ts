import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { DriftMonitor } from '../../constructs/monitoring/drift-monitor';
import { addDriftMonitor } from './drift';
import { z } from 'zod';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { ServingEnvironment } from '../../constructs/serving/defaults';
import { IApiGatewayAccount } from '../../constructs/serving/api-gateway-account';
import { InferenceApi } from '../../constructs/serving/inference-api';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
import { SecureBucket } from '../../constructs/storage/secure-bucket';

/** The demo model's request contract: a batch of numeric feature rows. */
export const DEMO_INPUT_CONTRACT = z.strictObject({
  instances: z.array(z.array(z.number()).min(1).max(256)).min(1).max(100),
});

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
  /** The served model's name: lowercase, it names the ECR repository and the artifact prefix. */
  readonly modelName: string;
  /** The environment; `prod` demands two or more instances. */
  readonly environment: ServingEnvironment;
  /**
   * The image digest in the platform account's ECR repository named after the model.
   * @default - the demo image digest
   */
  readonly imageDigest?: string;
  /**
   * The model version whose artifact is served (`models/<modelName>/<version>/model.tar.gz`).
   * @default '1'
   */
  readonly modelVersion?: string;
  /**
   * The request contract of the API.
   * @default DEMO_INPUT_CONTRACT
   */
  readonly inputContract?: z.ZodType;
}

/** The digest the reference app serves until a real image is pushed. */
export const DEMO_IMAGE_DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/**
 * One served model: its artifact bucket, an isolated, autoscaled endpoint with data capture and
 * guarded rollouts, and an authenticated inference API. One stack per model keeps each well under
 * CloudFormation's 500-resource limit and lets models deploy independently.
 *
 * It references the platform stack's keys, topic and VPC (exports flow platform → serving) and
 * grants nothing in platform resources' policies, so no dependency cycle can form.
 */
export class ServingStack extends Stack {
  /** The served model's name (its `model-id` tag). */
  public readonly modelName: string;
  /** The bucket that holds the model's artifacts and its captured traffic. */
  public readonly models: SecureBucket;
  /** The endpoint. */
  public readonly endpoint: IsolatedEndpoint;
  /** The API in front of it. */
  public readonly api: InferenceApi;
  /** Drift analysis of the endpoint's captured traffic against its training baseline. */
  public readonly drift: DriftMonitor;

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    const {
      keys,
      alerts,
      network,
      apiGatewayAccount,
      modelName,
      environment,
      imageDigest,
      modelVersion,
      inputContract,
      ...stackProps
    } = props;
    super(scope, id, stackProps);
    if (!/^[a-z][a-z0-9-]{1,40}$/.test(modelName)) {
      throw new Error(
        `${this.node.path}: modelName: is not a valid model name (got ${JSON.stringify(modelName)}; expected lowercase letters, digits and hyphens, 2 to 41 characters)`,
      );
    }

    this.modelName = modelName;
    this.models = new SecureBucket(this, 'Models', { encryptionKey: keys.models });
    const repository = ecr.Repository.fromRepositoryName(this, 'Repository', modelName);
    this.endpoint = new IsolatedEndpoint(this, 'Endpoint', {
      environment,
      vpc: network.vpc,
      imageRepository: repository,
      imageDigest: imageDigest ?? DEMO_IMAGE_DIGEST,
      modelBucket: this.models,
      modelDataKey: `models/${modelName}/${modelVersion ?? '1'}/model.tar.gz`,
      encryptionKey: keys.models,
      logEncryptionKey: keys.logs,
      alertTopic: alerts.topic,
    });
    this.api = new InferenceApi(this, 'Api', {
      endpoint: this.endpoint,
      inputContract: inputContract ?? DEMO_INPUT_CONTRACT,
      encryptionKey: keys.logs,
      apiGatewayAccount,
    });

    this.drift = addDriftMonitor(this, {
      endpointName: this.endpoint.endpointName,
      captureBucket: this.models,
      capturePrefix: `data-capture/${this.endpoint.endpointName}/`,
      alerts,
      vpc: network.vpc,
      encryptionKey: keys.logs,
      // Named alarms, so the platform stack's retraining rule matches them without a reference.
      alarmNamePrefix: `${modelName}-drift`,
    });

    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName });
    new CfnOutput(this, 'InvocationsUrl', { value: this.api.invocationsUrl });
  }
}
