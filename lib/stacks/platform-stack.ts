import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { ApiGatewayAccount } from '../../constructs/serving/api-gateway-account';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import { PlatformConfig } from './config';

/** Props for {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  readonly config: PlatformConfig;
}

/**
 * The shared platform: keys, storage, and (as later capabilities land) network, audit trail,
 * alerting, cost guardrails. Each served model gets its own stack.
 */
export class PlatformStack extends Stack {
  public readonly keys: EncryptionKeys;
  public readonly datasets: TieredDatasetBucket;
  public readonly alerts: AlertTopic;
  public readonly network: InferenceNetwork;
  /** The account's API Gateway CloudWatch role setting, one per account and region, for every serving stack's API. */
  public readonly apiGatewayAccount: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.keys = new EncryptionKeys(this, 'Keys', { aliasPrefix: `alias/${config.prefix}` });
    this.alerts = new AlertTopic(this, 'Alerts', { encryptionKey: this.keys.logs });
    this.network = new InferenceNetwork(this, 'Network', { encryptionKey: this.keys.logs });
    this.apiGatewayAccount = new ApiGatewayAccount(this, 'ApiGatewayAccount');
    this.datasets = new TieredDatasetBucket(this, 'Datasets', {
      encryptionKey: this.keys.data,
      intelligentTieringAfter: daysOf(config.datasets.intelligentTieringAfterDays),
      glacierInstantRetrievalAfter: daysOf(config.datasets.glacierInstantRetrievalAfterDays),
      deepArchiveAfter: daysOf(config.datasets.deepArchiveAfterDays),
      expireAfter: daysOf(config.datasets.expireAfterDays),
    });
  }
}

function daysOf(n: number): Duration {
  return Duration.days(n);
}
