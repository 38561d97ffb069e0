import { Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { z } from 'zod';
import { AuditTrail } from '../../constructs/audit/audit-trail';
import { SecureFunction } from '../../constructs/core/secure-function';
import { AutoShutdown } from '../../constructs/cost/auto-shutdown';
import { CostGuardrails } from '../../constructs/cost/cost-guardrails';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { SecureFeatureGroup } from '../../constructs/feature-store/secure-feature-group';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { DriftMonitor } from '../../constructs/monitoring/drift-monitor';
import { ModelHealthCheck } from '../../constructs/monitoring/model-health-check';
import { ModelQualityMonitor } from '../../constructs/monitoring/model-quality-monitor';
import { ModelReviewGate } from '../../constructs/training/review-gate';
import { onCallIntegrations } from '../../examples/reference-app/oncall';
import { AsyncEndpoint } from '../../constructs/serving/async-endpoint';
import { BatchInference } from '../../constructs/serving/batch-inference';
import { InferenceApi } from '../../constructs/serving/inference-api';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import { ModelImageRepository } from '../../constructs/training/model-image-repository';
import { ModelDataLegalHold } from '../../constructs/training/model-data-legal-hold';
import { ModelRegistry } from '../../constructs/training/model-registry';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import { churn } from '../feature-store/fixtures';
import { DIGEST } from '../training/fixtures';

/** Path prefix of the shared pieces a subject needs: they are not mutated (they are subjects themselves). */
export const FIXTURE_SCOPE = 'Fixture';

/** Lazily built platform pieces a subject depends on, under `Fixture`. */
export class SubjectFixtures {
  /** Where fixtures (and imports) live. */
  public readonly scope: Construct;
  private readonly memo = new Map<string, unknown>();

  constructor(stack: Stack) {
    this.scope = new Construct(stack, FIXTURE_SCOPE);
  }

  private once<T>(id: string, make: (scope: Construct) => T): T {
    if (!this.memo.has(id)) this.memo.set(id, make(this.scope));
    return this.memo.get(id) as T;
  }

  get keys(): EncryptionKeys {
    return this.once('keys', (s) => new EncryptionKeys(s, 'Keys', { aliasPrefix: 'alias/fixture' }));
  }

  get alerts(): AlertTopic {
    return this.once('alerts', (s) => new AlertTopic(s, 'Alerts', { encryptionKey: this.keys.logs }));
  }

  get network(): InferenceNetwork {
    return this.once('network', (s) => new InferenceNetwork(s, 'Network', { encryptionKey: this.keys.logs }));
  }

  get datasets(): TieredDatasetBucket {
    return this.once(
      'datasets',
      (s) => new TieredDatasetBucket(s, 'Datasets', { encryptionKey: this.keys.data }),
    );
  }

  get bucket(): SecureBucket {
    return this.once('bucket', (s) => new SecureBucket(s, 'Bucket', { encryptionKey: this.keys.data }));
  }

  get modelBucket(): SecureBucket {
    return this.once(
      'modelBucket',
      (s) => new SecureBucket(s, 'Models', { encryptionKey: this.keys.models }),
    );
  }

  get images(): ModelImageRepository {
    return this.once(
      'images',
      (s) => new ModelImageRepository(s, 'Images', { encryptionKey: this.keys.models }),
    );
  }

  get registry(): ModelRegistry {
    return this.once(
      'registry',
      (s) => new ModelRegistry(s, 'Registry', { alerts: this.alerts, modelPackageGroupName: 'churn' }),
    );
  }
}

/**
 * A construct under mutation testing, built with its default props (plus the required references,
 * from {@link SubjectFixtures}). Adding a construct is one entry in {@link MUTATION_SUBJECTS}.
 */
export interface MutationSubject {
  readonly name: string;
  /** Builds the subject with id `Subject` in `stack`. */
  readonly build: (stack: Stack, fx: SubjectFixtures) => void;
}

/** Every construct whose L1 resources are mutated. */
export const MUTATION_SUBJECTS: readonly MutationSubject[] = [
  { name: 'EncryptionKeys', build: (stack) => new EncryptionKeys(stack, 'Subject') },
  { name: 'SecureBucket', build: (stack) => new SecureBucket(stack, 'Subject') },
  { name: 'TieredDatasetBucket', build: (stack) => new TieredDatasetBucket(stack, 'Subject') },
  {
    name: 'AlertTopic',
    build: (stack) => new AlertTopic(stack, 'Subject', { emails: ['oncall@example.com'] }),
  },
  { name: 'InferenceNetwork', build: (stack) => new InferenceNetwork(stack, 'Subject') },
  {
    name: 'CostGuardrails',
    build: (stack, fx) =>
      new CostGuardrails(stack, 'Subject', {
        alerts: fx.alerts,
        budgets: [{ name: 'team-fraud', limitUsd: 1000, tags: { team: 'fraud' } }],
      }),
  },
  {
    name: 'SecureFeatureGroup',
    build: (stack, fx) =>
      new SecureFeatureGroup(stack, 'Subject', {
        contract: churn(),
        alerts: fx.alerts,
        offlineStoreBucket: fx.bucket,
      }),
  },
  {
    name: 'IsolatedEndpoint',
    build: (stack, fx) =>
      new IsolatedEndpoint(stack, 'Subject', {
        environment: 'prod',
        vpc: fx.network.vpc,
        imageRepository: ecr.Repository.fromRepositoryName(fx.scope, 'Repo', 'churn'),
        imageDigest: DIGEST,
        modelBucket: fx.modelBucket,
        modelDataKey: 'models/churn/1/model.tar.gz',
        alerts: fx.alerts,
      }),
  },
  {
    name: 'AsyncEndpoint',
    build: (stack, fx) =>
      new AsyncEndpoint(stack, 'Subject', {
        environment: 'prod',
        vpc: fx.network.vpc,
        imageRepository: ecr.Repository.fromRepositoryName(fx.scope, 'Repo', 'churn'),
        imageDigest: DIGEST,
        modelBucket: fx.modelBucket,
        modelDataKey: 'models/churn/1/model.tar.gz',
        ioBucket: fx.bucket,
        alerts: fx.alerts,
      }),
  },
  {
    name: 'BatchInference',
    build: (stack, fx) =>
      new BatchInference(stack, 'Subject', {
        vpc: fx.network.vpc,
        imageRepository: ecr.Repository.fromRepositoryName(fx.scope, 'Repo', 'churn'),
        imageDigest: DIGEST,
        modelBucket: fx.modelBucket,
        modelDataKey: 'models/churn/1/model.tar.gz',
        ioBucket: fx.bucket,
      }),
  },
  {
    name: 'InferenceApi',
    build: (stack, fx) =>
      new InferenceApi(stack, 'Subject', {
        endpoint: IsolatedEndpoint.fromEndpointName(fx.scope, 'Endpoint', 'churn-prod'),
        inputContract: z.strictObject({ instances: z.array(z.array(z.number()).max(16)).min(1).max(100) }),
      }),
  },
  {
    name: 'ModelImageRepository',
    build: (stack) => new ModelImageRepository(stack, 'Subject'),
  },
  {
    name: 'ModelRegistry',
    build: (stack, fx) =>
      new ModelRegistry(stack, 'Subject', { alerts: fx.alerts, modelPackageGroupName: 'churn' }),
  },
  {
    name: 'SpotTrainingPipeline',
    build: (stack, fx) =>
      new SpotTrainingPipeline(stack, 'Subject', {
        trainingImage: fx.images.image(DIGEST),
        datasetBucket: fx.datasets,
        datasetName: 'churn',
        datasetVersion: '2024-06-01',
        vpc: fx.network.vpc,
        modelRegistry: fx.registry,
        intendedUse:
          'Ranks customers by churn risk for retention offers; not for credit or pricing decisions',
        riskRating: 'Medium',
        modelOwner: 'retention-ml-team',
      }),
  },
  { name: 'AuditTrail', build: (stack) => new AuditTrail(stack, 'Subject') },
  {
    name: 'AutoShutdown',
    build: (stack, fx) =>
      new AutoShutdown(stack, 'Subject', {
        alerts: fx.alerts,
        vpc: fx.network.vpc,
        encryptionKey: fx.keys.logs,
      }),
  },
  {
    name: 'DriftMonitor',
    build: (stack, fx) =>
      new DriftMonitor(stack, 'Subject', {
        endpoint: { endpointName: 'churn' },
        captureBucket: fx.bucket,
        capturePrefix: 'data-capture/churn/',
        baselineKey: 'baselines/churn/baseline.json',
        alerts: fx.alerts,
        vpc: fx.network.vpc,
        encryptionKey: fx.keys.logs,
      }),
  },
  {
    name: 'ModelDataLegalHold',
    build: (stack, fx) =>
      new ModelDataLegalHold(stack, 'Subject', {
        registry: fx.registry,
        datasetBucket: fx.datasets,
        manifestBucket: fx.modelBucket,
        alerts: fx.alerts,
        vpc: fx.network.vpc,
        encryptionKey: fx.keys.logs,
      }),
  },
  {
    // The integrations (chat channels and their guardrail role, the pager subscription and its
    // dead-letter queue, the Incident Manager response plan) as the reference app wires them.
    name: 'AlertTopic integrations',
    build: (stack) => new AlertTopic(stack, 'Subject', onCallIntegrations('mlops')),
  },
  {
    name: 'ModelHealthCheck',
    build: (stack, fx) =>
      new ModelHealthCheck(stack, 'Subject', {
        vpc: fx.network.vpc,
        artifactsBucket: fx.bucket,
        alerts: fx.alerts,
        inferenceEndpoint: IsolatedEndpoint.fromEndpointName(fx.scope, 'Endpoint', 'churn-prod'),
        goldenRequest: { instances: [[1, 2, 3]] },
        featureStoreProbe: {
          featureGroup: {
            featureGroupName: 'churn',
            featureGroupArn: 'arn:aws:sagemaker:eu-west-1:111111111111:feature-group/churn',
            encryptionKey: fx.keys.data,
          },
          recordIdentifier: 'health-check',
        },
        dependencies: [{ name: 'sagemaker-runtime', url: 'runtime.sagemaker.eu-west-1.amazonaws.com' }],
      }),
  },
  {
    name: 'ModelQualityMonitor',
    build: (stack, fx) =>
      new ModelQualityMonitor(stack, 'Subject', {
        endpoint: { endpointName: 'churn-prod' },
        captureBucket: fx.bucket,
        capturePrefix: 'data-capture/churn-prod/',
        groundTruthPrefix: 'ground-truth/churn-prod/',
        problemType: 'binaryClassification',
        baseline: { auc: 0.8 },
        alerts: fx.alerts,
        vpc: fx.network.vpc,
        encryptionKey: fx.keys.logs,
      }),
  },
  {
    name: 'ModelReviewGate',
    build: (stack, fx) =>
      new ModelReviewGate(stack, 'Subject', {
        registry: fx.registry,
        reportsBucket: fx.modelBucket,
        alerts: fx.alerts,
        vpc: fx.network.vpc,
        encryptionKey: fx.keys.logs,
      }),
  },
  {
    name: 'SecureFunction',
    build: (stack, fx) =>
      new SecureFunction(stack, 'Subject', {
        handler: 'drift-monitor',
        vpc: fx.network.vpc,
        encryptionKey: fx.keys.logs,
      }),
  },
];
