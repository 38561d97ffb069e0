import { Stack } from 'aws-cdk-lib';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import { ModelImageRepository } from '../../constructs/training/model-image-repository';
import { ModelRegistry } from '../../constructs/training/model-registry';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import { SpotTrainingPipelineProps } from '../../constructs/training/spot-training-pipeline-props';
import { testStack } from '../support/nag';

/** A valid image digest. */
export const DIGEST = `sha256:${'ab12'.repeat(16)}`;
/** Another valid image digest. */
export const EVAL_DIGEST = `sha256:${'cd34'.repeat(16)}`;

/** The shared pieces a training pipeline needs, in one stack. */
export interface TrainingFixture {
  readonly stack: Stack;
  readonly keys: EncryptionKeys;
  readonly alerts: AlertTopic;
  readonly network: InferenceNetwork;
  readonly datasets: TieredDatasetBucket;
  readonly images: ModelImageRepository;
  readonly registry: ModelRegistry;
}

/** Builds the platform pieces a pipeline uses. */
export function trainingFixture(): TrainingFixture {
  const stack = testStack();
  const keys = new EncryptionKeys(stack, 'Keys');
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
  const datasets = new TieredDatasetBucket(stack, 'Datasets', { encryptionKey: keys.data });
  const images = new ModelImageRepository(stack, 'Images', { encryptionKey: keys.models });
  const registry = new ModelRegistry(stack, 'Registry', {
    alerts,
    modelPackageGroupName: 'churn',
  });
  return { stack, keys, alerts, network, datasets, images, registry };
}

/** The minimal valid props for a pipeline in the fixture. */
export function minimalProps(f: TrainingFixture): SpotTrainingPipelineProps {
  return {
    trainingImage: f.images.image(DIGEST),
    datasetBucket: f.datasets,
    datasetName: 'churn',
    datasetVersion: '2024-06-01',
    vpc: f.network.vpc,
    modelRegistry: f.registry,
    intendedUse: 'Ranks customers by churn risk for retention offers; not for credit or pricing decisions',
    riskRating: 'Medium',
    modelOwner: 'retention-ml-team',
  };
}

/** A pipeline with the minimal props, plus overrides. */
export function pipelineWith(
  overrides: Partial<SpotTrainingPipelineProps> = {},
  f = trainingFixture(),
): {
  f: TrainingFixture;
  pipeline: SpotTrainingPipeline;
} {
  const pipeline = new SpotTrainingPipeline(f.stack, 'Pipeline', { ...minimalProps(f), ...overrides });
  return { f, pipeline };
}
