import { ModelDataLegalHold } from '../../constructs/training/model-data-legal-hold';
import { PlatformStack } from './platform-stack';
import { PlatformTraining } from './training';

/**
 * Legal holds on the churn model's training data: when a churn-model version is approved, every
 * dataset object version its manifest names (`lineage/churn-training/<execution>/dataset-manifest.json`
 * in the pipeline's artifact bucket) gets an S3 Object Lock legal hold; rejecting the version
 * (retiring the model) releases the holds no other approved version needs. The dataset bucket
 * has had Object Lock activated since it was first deployed (TieredDatasetBucket's default), so
 * nothing is replaced.
 */
export function addLegalHold(stack: PlatformStack, training: PlatformTraining): ModelDataLegalHold {
  // The manifests the pipeline's WriteManifest step writes: holds follow exactly those.
  const manifestPrefix = training.pipeline.lineagePrefix;
  if (manifestPrefix === undefined) {
    throw new Error('the churn pipeline writes no dataset manifest (lineage is off): legal holds need it');
  }
  return new ModelDataLegalHold(stack, 'ModelDataLegalHold', {
    registry: training.registry,
    datasetBucket: stack.datasets,
    datasetsPrefix: stack.datasets.datasetsPrefix,
    manifestBucket: training.pipeline.artifactBucket,
    manifestPrefix,
    alerts: stack.alerts,
    vpc: stack.network.vpc,
    vpcSubnets: stack.network.subnets,
    encryptionKey: stack.keys.logs,
  });
}
