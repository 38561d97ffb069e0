import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { ApiGatewayAccount } from '../../constructs/serving/api-gateway-account';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import { ModelImageRepository } from '../../constructs/training/model-image-repository';
import { PlatformConfig } from './config';
import { onCallIntegrations } from './oncall';

/** Props for {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  readonly config: PlatformConfig;
}

/**
 * The shared platform: keys, storage, network, audit trail, alerting, cost guardrails, and what
 * each served model's stack reads but must not own: its image repository and the model artifact
 * bucket. Both exist before a serving stack is first deployed, so the image can be pushed and the
 * artifact uploaded in between (docs/DEPLOY.md). Each served model gets its own stack.
 */
export class PlatformStack extends Stack {
  /** The configuration the stack was built from. */
  public readonly config: PlatformConfig;
  public readonly keys: EncryptionKeys;
  public readonly datasets: TieredDatasetBucket;
  public readonly alerts: AlertTopic;
  public readonly network: InferenceNetwork;
  /** The account's API Gateway CloudWatch role setting, one per account and region, for every serving stack's API. */
  public readonly apiGatewayAccount: ApiGatewayAccount;
  /**
   * Artifacts of every served model, `models/<model>/<version>/model.tar.gz` (`models` key). One
   * bucket for all: a bucket (and its replica) per model would multiply resources towards the
   * stack's 500-resource limit; each endpoint role may read exactly its own artifact object.
   */
  public readonly modelArtifacts: SecureBucket;
  /** The serving image repository of each served model, by model name. */
  public readonly servedModelImages: Readonly<Record<string, ModelImageRepository>>;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    this.keys = new EncryptionKeys(this, 'Keys', { aliasPrefix: `alias/${config.prefix}` });
    this.alerts = new AlertTopic(this, 'Alerts', {
      encryptionKey: this.keys.logs,
      ...onCallIntegrations(config.prefix),
    });
    this.network = new InferenceNetwork(this, 'Network', { encryptionKey: this.keys.logs });
    this.apiGatewayAccount = new ApiGatewayAccount(this, 'ApiGatewayAccount');
    this.datasets = new TieredDatasetBucket(this, 'Datasets', {
      encryptionKey: this.keys.data,
      intelligentTieringAfter: daysOf(config.datasets.intelligentTieringAfterDays),
      glacierInstantRetrievalAfter: daysOf(config.datasets.glacierInstantRetrievalAfterDays),
      deepArchiveAfter: daysOf(config.datasets.deepArchiveAfterDays),
      expireAfter: daysOf(config.datasets.expireAfterDays),
    });

    this.modelArtifacts = new SecureBucket(this, 'ModelArtifacts', { encryptionKey: this.keys.models });
    new CfnOutput(this, 'ModelArtifactsBucketName', {
      description: 'Upload each served model version to s3://<bucket>/models/<model>/<version>/model.tar.gz',
      value: this.modelArtifacts.bucketName,
    });
    // Repositories get generated names: a fixed name on a retained repository would block the
    // retry of a first deployment that rolled back. The outputs give the URI to push to.
    const served = new Construct(this, 'ServedModels');
    const images: Record<string, ModelImageRepository> = {};
    for (const { name } of config.servedModels) {
      const model = new Construct(served, name);
      images[name] = new ModelImageRepository(model, 'Images', { encryptionKey: this.keys.models });
      new CfnOutput(model, 'ImageRepositoryUri', {
        description: `Push the serving image of model ${name} here; set its digest in the config`,
        value: images[name].repository.repositoryUri,
      });
    }
    this.servedModelImages = images;
  }
}

function daysOf(n: number): Duration {
  return Duration.days(n);
}
