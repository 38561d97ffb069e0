import { CfnOutput } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { DEMO_TRAINING_IMAGE_DIGEST } from './config';
import { ModelImageRepository } from '../../constructs/training/model-image-repository';
import { ModelRegistry } from '../../constructs/training/model-registry';
import { ModelReviewGate } from '../../constructs/training/review-gate';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import { CUSTOMER_CHURN_CONTRACT } from './feature-store';
import { PlatformStack } from './platform-stack';

/**
 * The digest the reference training pipeline runs with the default config. A placeholder until the
 * first image is pushed and its digest set as the config's `trainingImageDigest` (docs/DEPLOY.md);
 * synth needs no registry access.
 */
export const REFERENCE_TRAINING_IMAGE_DIGEST = DEMO_TRAINING_IMAGE_DIGEST;

/** What {@link addTraining} added. */
export interface PlatformTraining {
  readonly images: ModelImageRepository;
  readonly registry: ModelRegistry;
  readonly reviewGate: ModelReviewGate;
  readonly pipeline: SpotTrainingPipeline;
}

/**
 * The reference model's risk tier, declared high: every approval needs a review record citing a
 * bias report. Classifying a use is the model owner's call (the library does not), and the
 * reference app makes the strictest one so the review gate runs end to end.
 */
export const REFERENCE_RISK_TIER = 'high';

/**
 * Adds the reference training capability to the platform stack: the model image repository, a
 * model registry whose approval changes go to the alert topic, a review gate (the model is high
 * risk: an approval without a review record citing a bias report under
 * `s3://<model artifacts>/bias-reports/churn-model/` is set back to pending), and a weekly
 * managed-spot training pipeline with a pre-training bias check (its report under the review gate's
 * prefix), evaluation, a post-training fairness check, and a registration gate on the metric and
 * fairness together.
 */
export function addTraining(stack: PlatformStack): PlatformTraining {
  const images = new ModelImageRepository(stack, 'ModelImages', { encryptionKey: stack.keys.models });
  const registry = new ModelRegistry(stack, 'ModelRegistry', {
    modelPackageGroupName: 'churn-model',
    description: 'Customer churn model versions - reviewed before deployment',
    alerts: stack.alerts,
    riskTier: REFERENCE_RISK_TIER,
  });
  const reviewGate = new ModelReviewGate(stack, 'ModelReviewGate', {
    registry,
    reportsBucket: stack.modelArtifacts,
    alerts: stack.alerts,
    vpc: stack.network.vpc,
    vpcSubnets: stack.network.subnets,
    encryptionKey: stack.keys.logs,
  });
  new CfnOutput(stack, 'TrainingImageRepositoryUri', {
    description: 'Push the training image here; set its digest as trainingImageDigest in the config',
    value: images.repository.repositoryUri,
  });
  const image = images.image(stack.config.trainingImageDigest);
  const pipeline = new SpotTrainingPipeline(stack, 'ChurnTraining', {
    pipelineName: 'churn-training',
    trainingImage: image,
    encryptionKey: stack.keys.models,
    datasetBucket: stack.datasets,
    datasetName: 'churn',
    datasetVersion: '1',
    vpc: stack.network.vpc,
    vpcSubnets: stack.network.subnets,
    modelRegistry: registry,
    intendedUse:
      'Ranks customers by churn risk for retention offers; not for credit, pricing or employment decisions',
    riskRating: 'Medium',
    riskTier: REFERENCE_RISK_TIER,
    modelOwner: 'ml-platform-team',
    hyperparameters: { epochs: 20, learning_rate: 0.05 },
    metricDefinitions: [{ name: 'validation:auc', regex: 'validation-auc=([0-9.]+)' }],
    evaluation: { image, entrypoint: ['python3', '/opt/program/evaluate.py'] },
    registrationGate: { metric: 'metrics.auc.value', threshold: 0.75 },
    // Pre-training bias check: the execution fails before training when the label's positive
    // rate differs by more than 0.2 between women and the rest (DPL) or a facet value is less
    // than a tenth of the rows (CI 0.8). The report goes where the review gate looks for it.
    biasCheck: {
      label: 'churned=1',
      facets: ['gender=female', 'age:>=65'],
      failOn: { DPL: 0.2, CI: 0.8 },
      reportsBucket: stack.modelArtifacts,
      reportsPrefix: reviewGate.reportsPrefix,
      encryptionKey: stack.keys.logs,
    },
    // Post-training fairness check: evaluate.py also writes predictions.jsonl (label, churn_score,
    // gender, age); the model is not registered when the predicted churn rate of women differs by
    // more than 0.1 (DPPL) or their disparate impact is below 0.8 (the four-fifths rule). The
    // report goes beside the pre-training one.
    fairnessCheck: {
      label: 'churned=1',
      prediction: 'churn_score:>=0.5',
      facets: ['gender=female', 'age:>=65'],
      failOn: { DPPL: 0.1, DI: 0.8 },
      encryptionKey: stack.keys.logs,
    },
    // Lineage: the dataset manifest before training, the lineage keys on each registered version.
    // The churn data is first-party unless the config says otherwise.
    lineage: {
      encryptionKey: stack.keys.logs,
      featureContract: CUSTOMER_CHURN_CONTRACT,
      dataProvenance: { thirdParty: stack.config.datasets.thirdParty ?? false },
    },
    schedule: scheduler.ScheduleExpression.expression('cron(0 3 ? * MON *)'),
  });
  images.grantPull(pipeline.executionRole);
  return { images, registry, reviewGate, pipeline };
}
