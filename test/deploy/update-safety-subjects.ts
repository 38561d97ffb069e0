import { App, Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import { z } from 'zod';
import { AuditTrail } from '../../constructs/audit/audit-trail';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { SecureFunction } from '../../constructs/core/secure-function';
import { RequiredTags } from '../../constructs/core/tags';
import { AutoShutdown } from '../../constructs/cost/auto-shutdown';
import { CostGuardrails } from '../../constructs/cost/cost-guardrails';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { FeatureContract, FeatureContractSpec } from '../../constructs/feature-store/feature-contract';
import {
  SecureFeatureGroup,
  SecureFeatureGroupProps,
} from '../../constructs/feature-store/secure-feature-group';
import type { AlertSeverity } from '../../constructs/monitoring/alert-integrations';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { ModelHealthCheck, ModelHealthCheckProps } from '../../constructs/monitoring/model-health-check';
import { DriftMonitor, DriftMonitorProps } from '../../constructs/monitoring/drift-monitor';
import { AsyncEndpoint } from '../../constructs/serving/async-endpoint';
import { AsyncEndpointProps } from '../../constructs/serving/async-endpoint-props';
import { BatchInference, BatchInferenceProps } from '../../constructs/serving/batch-inference';
import {
  ModelQualityMonitor,
  ModelQualityMonitorProps,
} from '../../constructs/monitoring/model-quality-monitor';
import { InferenceApi } from '../../constructs/serving/inference-api';
import { InferenceApiProps } from '../../constructs/serving/inference-api-props';
import { InferenceNetwork, InferenceNetworkProps } from '../../constructs/serving/inference-network';
import { IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
import { IsolatedEndpointProps } from '../../constructs/serving/isolated-endpoint-props';
import { SecureBucket, SecureBucketProps } from '../../constructs/storage/secure-bucket';
import {
  TieredDatasetBucket,
  TieredDatasetBucketProps,
} from '../../constructs/storage/tiered-dataset-bucket';
import {
  ModelImageRepository,
  ModelImageRepositoryProps,
} from '../../constructs/training/model-image-repository';
import { ModelRegistry, ModelRegistryProps } from '../../constructs/training/model-registry';
import { ModelDataLegalHold, ModelDataLegalHoldProps } from '../../constructs/training/model-data-legal-hold';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import { SpotTrainingPipelineProps } from '../../constructs/training/spot-training-pipeline-props';
import { DEFAULT_CONFIG, PlatformConfig } from '../../examples/reference-app/config';
import { buildPlatform } from '../../examples/reference-app/platform-app';
import { churnSpec } from '../feature-store/fixtures';
import { PLATFORM_CONTEXT } from '../support/platform-app';
import { CfnTemplate } from './update-safety-diff';

/**
 * What the update-safety test synthesizes: each public construct and the reference app, once with
 * base inputs and once per changed input. Every builder returns the templates by stack name.
 */

/** The templates of one synthesis, by stack name. */
export type Templates = Record<string, CfnTemplate>;

/** One construct (or the app) and the inputs changed one at a time. */
export interface Subject {
  readonly construct: string;
  readonly base: () => Templates;
  readonly inputs: Readonly<Record<string, () => Templates>>;
}

const BASE_TAGS = {
  owner: 'ml-platform',
  'cost-center': 'cc-1234',
  environment: 'dev',
  'data-classification': 'internal',
};
/** The `tags` input: one cost-allocation tag value changed. */
const CHANGED_TAGS = { ...BASE_TAGS, 'cost-center': 'cc-5678' };

function newStack(tags: Record<string, string> = BASE_TAGS): Stack {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  RequiredTags.apply(stack, tags);
  return stack;
}

function templateOf(stack: Stack): Templates {
  return { [stack.stackName]: Template.fromStack(stack).toJSON() as CfnTemplate };
}

/**
 * A subject whose construct is built by `make(stack, overrides)`: the base has no overrides, each
 * input one, and `tags` (every subject) changes a stack tag instead.
 */
function subject<O>(
  construct: string,
  make: (stack: Stack, overrides: O) => void,
  inputs: Record<string, O>,
  base: O,
): Subject {
  const build = (overrides: O, tags?: Record<string, string>) => () => {
    const stack = newStack(tags);
    make(stack, overrides);
    return templateOf(stack);
  };
  return {
    construct,
    base: build(base),
    inputs: {
      ...Object.fromEntries(Object.entries(inputs).map(([name, o]) => [name, build({ ...base, ...o })])),
      tags: build(base, CHANGED_TAGS),
    },
  };
}

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

type FeatureGroupInputs = Partial<Omit<SecureFeatureGroupProps, 'contract' | 'alerts'>> & {
  spec?: FeatureContractSpec;
};

type PipelineInputs = Partial<SpotTrainingPipelineProps> & { trainingDigest?: string; evalDigest?: string };

type EndpointInputs = Partial<
  Omit<IsolatedEndpointProps, 'alerts' | 'vpc' | 'modelBucket' | 'imageRepository'>
>;

/** The public constructs, each with the inputs a user changes over its life. */
export function constructSubjects(): Subject[] {
  return [
    subject<{ aliasPrefix?: string; rotationPeriod?: Duration; pendingWindow?: Duration }>(
      'EncryptionKeys',
      (stack, o) => new EncryptionKeys(stack, 'Keys', o),
      {
        aliasPrefix: { aliasPrefix: 'alias/other' },
        rotationPeriod: { rotationPeriod: Duration.days(180) },
        pendingWindow: { pendingWindow: Duration.days(7) },
      },
      {},
    ),
    subject<SecureBucketProps>(
      'SecureBucket',
      (stack, o) => new SecureBucket(stack, 'Bucket', o),
      {
        keyDomain: { keyDomain: 'models' },
        objectLock: { objectLock: { mode: 'GOVERNANCE', retention: Duration.days(30) } },
        replication: { replication: false },
        noncurrentVersionRetention: { noncurrentVersionRetention: Duration.days(30) },
        lifecycleRules: { lifecycleRules: [{ id: 'tmp', prefix: 'tmp/', expiration: Duration.days(7) }] },
      },
      {},
    ),
    subject<TieredDatasetBucketProps>(
      'TieredDatasetBucket',
      (stack, o) => new TieredDatasetBucket(stack, 'Datasets', o),
      {
        datasetsPrefix: { datasetsPrefix: 'data/' },
        glacierInstantRetrievalAfter: { glacierInstantRetrievalAfter: Duration.days(60) },
        expireAfter: { expireAfter: Duration.days(3650) },
        noncurrentVersionRetention: { noncurrentVersionRetention: Duration.days(60) },
        archivePrefix: { archivePrefix: 'cold/' },
        deepArchiveAfter: { deepArchiveAfter: Duration.days(730) },
      },
      {},
    ),
    subject<FeatureGroupInputs>(
      'SecureFeatureGroup',
      (stack, { spec, ...o }) => {
        const alerts = new AlertTopic(stack, 'Alerts');
        new SecureFeatureGroup(stack, 'Features', {
          contract: FeatureContract.define(spec ?? churnSpec()),
          alerts,
          ...o,
        });
      },
      {
        'contract version (minor, optional feature added)': {
          spec: churnSpec({ version: '1.1.0' }, [
            { name: 'plan', type: 'String', description: 'Subscription plan', required: false },
          ]),
        },
        'contract version (patch)': { spec: churnSpec({ version: '1.0.1' }) },
        'contract version (major)': { spec: churnSpec({ version: '2.0.0' }) },
        'feature definitions (feature added, major)': {
          spec: churnSpec({ version: '2.0.0' }, [
            { name: 'support_tickets', type: 'Integral', description: 'Support tickets in the last 90 days' },
          ]),
        },
        'contract description': { spec: churnSpec({ description: 'Churn signals per customer, daily' }) },
        'contract owner': { spec: churnSpec({ owner: 'retention-team' }) },
        onlineTtl: { onlineTtl: Duration.days(30) },
        freshnessWindow: { freshnessWindow: Duration.hours(48) },
        offlineStorePrefix: { offlineStorePrefix: 'features/' },
      },
      {},
    ),
    subject<PipelineInputs>(
      'SpotTrainingPipeline',
      (stack, { trainingDigest, evalDigest, ...o }) => {
        const keys = new EncryptionKeys(stack, 'Keys');
        const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
        const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
        const datasets = new TieredDatasetBucket(stack, 'Datasets', { encryptionKey: keys.data });
        const images = new ModelImageRepository(stack, 'Images', { encryptionKey: keys.models });
        const registry = new ModelRegistry(stack, 'Registry', {
          alerts,
          modelPackageGroupName: 'churn',
        });
        new SpotTrainingPipeline(stack, 'Pipeline', {
          trainingImage: images.image(trainingDigest ?? DIGEST),
          datasetBucket: datasets,
          datasetName: 'churn',
          datasetVersion: '2024-06-01',
          vpc: network.vpc,
          modelRegistry: registry,
          intendedUse:
            'Ranks customers by churn risk for retention offers; not for credit or pricing decisions',
          riskRating: 'Medium',
          modelOwner: 'retention-ml-team',
          schedule: scheduler.ScheduleExpression.expression('cron(0 3 ? * MON *)'),
          metricDefinitions: [{ name: 'validation:auc', regex: 'validation-auc=([0-9.]+)' }],
          evaluation: {
            image: images.image(evalDigest ?? DIGEST),
            entrypoint: ['python3', '/opt/program/evaluate.py'],
          },
          registrationGate: { metric: 'metrics.auc.value', threshold: 0.75 },
          ...o,
        });
      },
      {
        'image digest': { trainingDigest: OTHER_DIGEST },
        instanceType: { instanceType: 'ml.g5.2xlarge' },
        datasetVersion: { datasetVersion: '2024-07-01' },
        hyperparameters: { hyperparameters: { epochs: 30 } },
        schedule: { schedule: scheduler.ScheduleExpression.expression('cron(0 4 ? * TUE *)') },
        maxRuntime: { maxRuntime: Duration.hours(12) },
        registrationGate: { registrationGate: { metric: 'metrics.auc.value', threshold: 0.8 } },
        'evaluation image digest': { evalDigest: OTHER_DIGEST },
        riskRating: { riskRating: 'High' },
        pipelineName: { pipelineName: 'churn-training-v2' },
      },
      {},
    ),
    subject<Partial<Omit<ModelRegistryProps, 'alerts'>>>(
      'ModelRegistry',
      (stack, o) => {
        const alerts = new AlertTopic(stack, 'Alerts');
        new ModelRegistry(stack, 'Registry', {
          alerts,
          modelPackageGroupName: 'churn',
          ...o,
        });
      },
      {
        description: { description: 'Customer churn model versions' },
        crossAccountReadAccounts: { crossAccountReadAccounts: ['222222222222'] },
        // A risk tier is a tag: declaring one never replaces the group (and its versions).
        riskTier: { riskTier: 'limited' },
        modelPackageGroupName: { modelPackageGroupName: 'churn-v2' },
      },
      {},
    ),
    subject<Partial<Pick<ModelDataLegalHoldProps, 'datasetsPrefix' | 'manifestPrefix' | 'maxAttempts'>>>(
      'ModelDataLegalHold',
      (stack, o) => {
        const keys = new EncryptionKeys(stack, 'Keys');
        const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
        const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
        const registry = new ModelRegistry(stack, 'Registry', { alerts, modelPackageGroupName: 'churn' });
        new ModelDataLegalHold(stack, 'Holds', {
          registry,
          datasetBucket: new TieredDatasetBucket(stack, 'Datasets', { encryptionKey: keys.data }),
          manifestBucket: new SecureBucket(stack, 'Artifacts', { encryptionKey: keys.models }),
          alerts,
          vpc: network.vpc,
          encryptionKey: keys.logs,
          ...o,
        });
      },
      {
        datasetsPrefix: { datasetsPrefix: 'datasets/' },
        manifestPrefix: { manifestPrefix: 'lineage/churn-training/' },
        maxAttempts: { maxAttempts: 4 },
      },
      {},
    ),
    subject<ModelImageRepositoryProps & { ownKey?: boolean }>(
      'ModelImageRepository',
      (stack, { ownKey, ...o }) => {
        new ModelImageRepository(stack, 'Images', {
          ...o,
          encryptionKey: ownKey ? createDomainKey(stack, 'OwnKey', 'models') : undefined,
        });
      },
      {
        encryptionKey: { ownKey: true },
        untaggedImageRetention: { untaggedImageRetention: Duration.days(7) },
        pullPrincipals: { pullPrincipals: [new iam.AccountPrincipal('222222222222')] },
      },
      {},
    ),
    subject<ModelImageRepositoryProps & { ownKey?: boolean }>(
      'ModelImageRepository (named)',
      (stack, { ownKey, ...o }) => {
        new ModelImageRepository(stack, 'Images', {
          ...o,
          encryptionKey: ownKey ? createDomainKey(stack, 'OwnKey', 'models') : undefined,
        });
      },
      {
        encryptionKey: { ownKey: true },
        untaggedImageRetention: { untaggedImageRetention: Duration.days(7) },
      },
      { repositoryName: 'churn' },
    ),
    subject<InferenceNetworkProps>(
      'InferenceNetwork',
      (stack, o) => new InferenceNetwork(stack, 'Network', o),
      {
        cidr: { cidr: '10.65.0.0/16' },
        flowLogRetention: { flowLogRetention: logs.RetentionDays.SIX_MONTHS },
        featureStoreRuntimeEndpoint: { featureStoreRuntimeEndpoint: false },
      },
      {},
    ),
    subject<EndpointInputs>(
      'IsolatedEndpoint',
      (stack, o) => {
        const network = new InferenceNetwork(stack, 'Net');
        const bucket = new SecureBucket(stack, 'Models', { keyDomain: 'models' });
        const alerts = new AlertTopic(stack, 'Alerts');
        new IsolatedEndpoint(stack, 'Ep', {
          environment: 'prod',
          vpc: network.vpc,
          imageRepository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'churn'),
          imageDigest: DIGEST,
          modelBucket: bucket,
          modelDataKey: 'models/churn/1/model.tar.gz',
          alerts,
          ...o,
        });
      },
      {
        'image digest': { imageDigest: OTHER_DIGEST },
        'model data key': { modelDataKey: 'models/churn/2/model.tar.gz' },
        instanceType: { instanceType: 'ml.c5.xlarge' },
        initialInstanceCount: { initialInstanceCount: 3 },
        containerEnvironment: { containerEnvironment: { LOG_LEVEL: 'debug' } },
        captureSamplingPercent: { captureSamplingPercent: 50 },
        shadowVariant: {
          shadowVariant: {
            imageDigest: OTHER_DIGEST,
            modelDataKey: 'models/churn/2/model.tar.gz',
            trafficPercent: 10,
          },
        },
        deploymentStrategy: { deploymentStrategy: 'linear' },
        scheduledCapacity: {
          scheduledCapacity: [
            {
              schedule: appscaling.Schedule.cron({ hour: '7', minute: '45' }),
              minCapacity: 4,
              maxCapacity: 8,
            },
          ],
        },
        maxCapacity: { maxCapacity: 6 },
        latencyP99Threshold: { latencyP99Threshold: Duration.millis(500) },
        logRetention: { logRetention: logs.RetentionDays.SIX_MONTHS },
        endpointName: { endpointName: 'churn-v2' },
      },
      {},
    ),
    subject<Partial<AsyncEndpointProps>>(
      'AsyncEndpoint',
      (stack, o) => {
        const network = new InferenceNetwork(stack, 'Net');
        const bucket = new SecureBucket(stack, 'Models', { keyDomain: 'models' });
        const alerts = new AlertTopic(stack, 'Alerts');
        new AsyncEndpoint(stack, 'Ep', {
          environment: 'prod',
          vpc: network.vpc,
          imageRepository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'churn'),
          imageDigest: DIGEST,
          modelBucket: bucket,
          modelDataKey: 'models/churn/1/model.tar.gz',
          alerts,
          ...o,
        });
      },
      {
        'image digest': { imageDigest: OTHER_DIGEST },
        'model data key': { modelDataKey: 'models/churn/2/model.tar.gz' },
        instanceType: { instanceType: 'ml.c5.xlarge' },
        maxConcurrentInvocationsPerInstance: { maxConcurrentInvocationsPerInstance: 4 },
        includeResponseInNotifications: { includeResponseInNotifications: true },
        outputPrefix: { outputPrefix: 'scores/out/' },
        maxCapacity: { maxCapacity: 6 },
        targetBacklogPerInstance: { targetBacklogPerInstance: 10 },
        logRetention: { logRetention: logs.RetentionDays.SIX_MONTHS },
      },
      {},
    ),
    subject<Partial<BatchInferenceProps>>(
      'BatchInference',
      (stack, o) => {
        const network = new InferenceNetwork(stack, 'Net');
        const bucket = new SecureBucket(stack, 'Models', { keyDomain: 'models' });
        new BatchInference(stack, 'Batch', {
          vpc: network.vpc,
          imageRepository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'churn'),
          imageDigest: DIGEST,
          modelBucket: bucket,
          modelDataKey: 'models/churn/1/model.tar.gz',
          ...o,
        });
      },
      {
        'image digest': { imageDigest: OTHER_DIGEST },
        'model data key': { modelDataKey: 'models/churn/2/model.tar.gz' },
        instanceType: { instanceType: 'ml.c5.xlarge' },
        instanceCount: { instanceCount: 2 },
        outputFilter: { outputFilter: '$[0,1,-1]' },
        schedule: { schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }) },
        runOnNewInput: { runOnNewInput: true },
      },
      {},
    ),
    subject<Partial<Omit<InferenceApiProps, 'endpoint'>> & { endpointName?: string }>(
      'InferenceApi',
      (stack, { endpointName, ...o }) => {
        const endpoint = IsolatedEndpoint.fromEndpointName(stack, 'Endpoint', endpointName ?? 'churn-prod');
        new InferenceApi(stack, 'Api', {
          endpoint,
          inputContract: z.strictObject({ instances: z.array(z.array(z.number())) }),
          ...o,
        });
      },
      {
        endpoint: { endpointName: 'churn-v2' },
        inputContract: { inputContract: z.strictObject({ instances: z.array(z.array(z.number())).max(10) }) },
        stageName: { stageName: 'v2' },
        throttlingRateLimit: { throttlingRateLimit: 20 },
        quotaPerDay: { quotaPerDay: 5000 },
        wafRateLimit: { wafRateLimit: 2000 },
        maxPayloadBytes: { maxPayloadBytes: 32768 },
        apiKeyRequired: { apiKeyRequired: false },
        throttlingBurstLimit: { throttlingBurstLimit: 50 },
        logRetention: { logRetention: logs.RetentionDays.SIX_MONTHS },
      },
      {},
    ),
    subject<Partial<Omit<DriftMonitorProps, 'captureBucket' | 'alerts' | 'vpc' | 'encryptionKey'>>>(
      'DriftMonitor',
      (stack, o) => {
        const keys = new EncryptionKeys(stack, 'Keys');
        const network = new InferenceNetwork(stack, 'Net', { encryptionKey: keys.logs });
        const bucket = new SecureBucket(stack, 'Capture', { encryptionKey: keys.models });
        const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
        new DriftMonitor(stack, 'Drift', {
          endpoint: { endpointName: 'churn-prod' },
          captureBucket: bucket,
          capturePrefix: 'data-capture/churn-prod/',
          baselineKey: 'drift-baselines/churn-prod/baseline.json',
          alerts,
          vpc: network.vpc,
          encryptionKey: keys.logs,
          alarmNamePrefix: 'churn-drift',
          ...o,
        });
      },
      {
        schedule: { schedule: scheduler.ScheduleExpression.rate(Duration.hours(6)) },
        psiThreshold: { psiThreshold: 0.25 },
        driftedShareThreshold: { driftedShareThreshold: 0.5 },
        baselineKey: { baselineKey: 'drift-baselines/churn-prod/v2/baseline.json' },
        endpoint: { endpoint: { endpointName: 'churn-v2' } },
        memorySize: { memorySize: 2048 },
        expectedSchemaHash: { expectedSchemaHash: `sha256:${'c'.repeat(64)}` },
        capturePrefix: { capturePrefix: 'data-capture/churn-prod/v2/' },
        reportPrefix: { reportPrefix: 'reports/' },
        alarmNamePrefix: { alarmNamePrefix: 'churn-v2-drift' },
      },
      {},
    ),
    subject<Partial<Omit<ModelQualityMonitorProps, 'captureBucket' | 'alerts' | 'vpc' | 'encryptionKey'>>>(
      'ModelQualityMonitor',
      (stack, o) => {
        const keys = new EncryptionKeys(stack, 'Keys');
        const network = new InferenceNetwork(stack, 'Net', { encryptionKey: keys.logs });
        const bucket = new SecureBucket(stack, 'Capture', { encryptionKey: keys.models });
        const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
        new ModelQualityMonitor(stack, 'Quality', {
          endpoint: { endpointName: 'churn-prod' },
          captureBucket: bucket,
          capturePrefix: 'data-capture/churn-prod/',
          groundTruthPrefix: 'ground-truth/churn-prod/',
          problemType: 'binaryClassification',
          baseline: { auc: 0.8 },
          alerts,
          vpc: network.vpc,
          encryptionKey: keys.logs,
          alarmNamePrefix: 'churn-quality',
          ...o,
        });
      },
      {
        baseline: { baseline: { auc: 0.85, f1: 0.7 } },
        maxDrop: { maxDrop: 0.1 },
        problemType: { problemType: 'regression', baseline: { rmse: 2 } },
        schedule: { schedule: scheduler.ScheduleExpression.rate(Duration.hours(12)) },
        groundTruthPrefix: { groundTruthPrefix: 'labels/churn-prod/' },
        endpoint: { endpoint: { endpointName: 'churn-v2' } },
        maxLabelDelay: { maxLabelDelay: Duration.days(3) },
        minSamples: { minSamples: 500 },
        memorySize: { memorySize: 2048 },
        alarmNamePrefix: { alarmNamePrefix: 'churn-v2-quality' },
        fairnessFacets: { fairnessFacets: ['gender=female', 'age:>=65'] },
        fairnessThresholds: { fairnessFacets: ['gender=female'], fairnessThresholds: { DPPL: 0.1, DI: 0.8 } },
      },
      {},
    ),
    subject<{
      trailName?: string;
      objectLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
      objectLockRetention?: Duration;
      logFileRetention?: Duration;
      dataEvents?: boolean;
      unauthorizedApiCallsThreshold?: number;
    }>(
      'AuditTrail',
      (stack, { dataEvents, ...o }) => {
        const buckets = dataEvents ? [new SecureBucket(stack, 'Audited')] : undefined;
        new AuditTrail(stack, 'Audit', { ...o, dataEventBuckets: buckets });
      },
      {
        objectLockMode: { objectLockMode: 'GOVERNANCE' },
        objectLockRetention: { objectLockRetention: Duration.days(730) },
        logFileRetention: { logFileRetention: Duration.days(3650) },
        dataEventBuckets: { dataEvents: true },
        unauthorizedApiCallsThreshold: { unauthorizedApiCallsThreshold: 10 },
        trailName: { trailName: 'platform-trail' },
      },
      {},
    ),
    subject<{
      dryRun?: boolean;
      maxActionsPerRun?: number;
      idleThreshold?: Duration;
      sweepInterval?: Duration;
      offHours?: boolean;
    }>(
      'AutoShutdown',
      (stack, { offHours, ...o }) => {
        const keys = new EncryptionKeys(stack, 'Keys');
        const network = new InferenceNetwork(stack, 'Net', { encryptionKey: keys.logs });
        const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
        new AutoShutdown(stack, 'AutoShutdown', {
          alerts,
          vpc: network.vpc,
          encryptionKey: keys.logs,
          offHoursSchedule: offHours
            ? { expression: 'cron(0 19 ? * MON-FRI *)', timeZone: 'Europe/Paris' }
            : undefined,
          ...o,
        });
      },
      {
        dryRun: { dryRun: false },
        maxActionsPerRun: { maxActionsPerRun: 5 },
        idleThreshold: { idleThreshold: Duration.hours(4) },
        sweepInterval: { sweepInterval: Duration.hours(1) },
        'schedule (off hours)': { offHours: true },
      },
      {},
    ),
    subject<{
      limitUsd?: number;
      actualThresholdPercent?: number;
      forecastThresholdPercent?: number;
      budgetTags?: Record<string, string>;
      maxInstanceCount?: number;
    }>(
      'CostGuardrails',
      (stack, o) => {
        const alerts = new AlertTopic(stack, 'Alerts');
        new CostGuardrails(stack, 'Costs', {
          alerts,
          scope: stack,
          budgets: [
            {
              name: 'team-ml',
              limitUsd: o.limitUsd ?? 1000,
              tags: o.budgetTags ?? { owner: 'ml-platform' },
              actualThresholdPercent: o.actualThresholdPercent,
              forecastThresholdPercent: o.forecastThresholdPercent,
            },
          ],
          instancePolicy: { maxInstanceCount: o.maxInstanceCount ?? 10 },
        });
      },
      {
        'budget limit': { limitUsd: 2000 },
        'budget actual threshold': { actualThresholdPercent: 90 },
        'budget forecast threshold': { forecastThresholdPercent: 110 },
        'budget tags': { budgetTags: { owner: 'retention-team' } },
        maxInstanceCount: { maxInstanceCount: 4 },
      },
      {},
    ),
    subject<{ emails?: string[]; ownKey?: boolean }>(
      'AlertTopic',
      (stack, { ownKey, ...o }) =>
        new AlertTopic(stack, 'Alerts', {
          ...o,
          encryptionKey: ownKey ? createDomainKey(stack, 'OwnKey', 'logs') : undefined,
        }),
      { emails: { emails: ['oncall@example.com'] }, encryptionKey: { ownKey: true } },
      {},
    ),
    subject<{
      guardrail?: string;
      impact?: number;
      incidentTitle?: string;
      httpsEndpoints?: string[];
      severities?: AlertSeverity[];
    }>(
      'AlertTopic integrations (chat channels, paging, response plan)',
      (stack, o) =>
        new AlertTopic(stack, 'Alerts', {
          slackChannels: [
            { configurationName: 'ml-oncall', workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' },
          ],
          teamsChannels: [
            {
              configurationName: 'ml-oncall-teams',
              teamId: '00000000-0000-4000-8000-000000000001',
              tenantId: '00000000-0000-4000-8000-000000000002',
              channelId: '19%3a0123456789abcdef%40thread.tacv2',
            },
          ],
          chatGuardrailPolicies: [
            iam.ManagedPolicy.fromAwsManagedPolicyName(o.guardrail ?? 'CloudWatchReadOnlyAccess'),
          ],
          httpsEndpoints: o.httpsEndpoints ?? ['https://events.example.com/integration/abc/enqueue'],
          responsePlan: {
            name: 'ml-critical',
            incidentTitle: o.incidentTitle ?? 'ML platform alarm',
            impact: o.impact ?? 1,
            severities: o.severities,
          },
        }),
      {
        chatGuardrailPolicies: { guardrail: 'ReadOnlyAccess' },
        'responsePlan.impact': { impact: 2 },
        'responsePlan.incidentTitle': { incidentTitle: 'ML platform incident' },
        'responsePlan.severities': { severities: ['critical'] },
        'another httpsEndpoint': {
          httpsEndpoints: [
            'https://events.example.com/integration/abc/enqueue',
            'https://pager.example.com/x',
          ],
        },
      },
      {},
    ),
    subject<Partial<Omit<ModelHealthCheckProps, 'vpc' | 'artifactsBucket' | 'alerts'>>>(
      'ModelHealthCheck',
      (stack, o) => {
        const keys = new EncryptionKeys(stack, 'Keys');
        const network = new InferenceNetwork(stack, 'Net', { encryptionKey: keys.logs });
        new ModelHealthCheck(stack, 'Health', {
          vpc: network.vpc,
          artifactsBucket: new SecureBucket(stack, 'Artifacts', { encryptionKey: keys.data }),
          alerts: new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs }),
          dependencies: [{ name: 'sagemaker-runtime', url: 'runtime.sagemaker.eu-west-1.amazonaws.com' }],
          ...o,
        });
      },
      {
        latencyThreshold: { latencyThreshold: Duration.millis(500) },
        interval: { interval: Duration.minutes(10) },
        dependencies: {
          dependencies: [
            { name: 'sagemaker-runtime', url: 'runtime.sagemaker.eu-west-1.amazonaws.com' },
            { name: 'cloudwatch', url: 'monitoring.eu-west-1.amazonaws.com' },
          ],
        },
        severity: { severity: 'critical' },
        runbookUrl: { runbookUrl: 'https://runbooks.example.com/health' },
        featureStoreProbe: {
          featureStoreProbe: {
            featureGroup: {
              featureGroupName: 'marketing-customer-churn-v1',
              featureGroupArn:
                'arn:aws:sagemaker:eu-west-1:111111111111:feature-group/marketing-customer-churn-v1',
            },
            recordIdentifier: 'health-check',
            expectedFeatures: ['tenure_months'],
          },
        },
      },
      {},
    ),
    subject<{
      description?: string;
      environment?: Record<string, string>;
      timeout?: Duration;
      memorySize?: number;
      logRetention?: logs.RetentionDays;
      onSuccess?: boolean;
    }>(
      'SecureFunction',
      (stack, { onSuccess, ...o }) => {
        const keys = new EncryptionKeys(stack, 'Keys');
        const network = new InferenceNetwork(stack, 'Net', { encryptionKey: keys.logs });
        const alerts = onSuccess ? new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs }) : undefined;
        new SecureFunction(stack, 'Fn', {
          handler: 'auto-shutdown',
          vpc: network.vpc,
          encryptionKey: keys.logs,
          onSuccessTopic: alerts?.topic,
          ...o,
        });
      },
      {
        description: { description: 'Runs the sweep' },
        environment: { environment: { DRY_RUN: 'false' } },
        timeout: { timeout: Duration.minutes(10) },
        memorySize: { memorySize: 1024 },
        logRetention: { logRetention: logs.RetentionDays.SIX_MONTHS },
        onSuccessTopic: { onSuccess: true },
      },
      {},
    ),
    subject<{ description?: string; service?: string; statement?: boolean }>(
      'ScopedRole',
      (stack, o) => {
        const role = new ScopedRole(stack, 'Role', {
          assumedBy: new iam.ServicePrincipal(o.service ?? 'sagemaker.amazonaws.com'),
          description: o.description,
        });
        const resources = ['arn:aws:s3:::bucket/key', ...(o.statement ? ['arn:aws:s3:::bucket/other'] : [])];
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources }));
      },
      {
        description: { description: 'Runs the models' },
        assumedBy: { service: 'lambda.amazonaws.com' },
        'granted statement': { statement: true },
      },
      {},
    ),
  ];
}

function synthesized(app: App): Templates {
  return Object.fromEntries(app.synth().stacks.map((s) => [s.stackName, s.template as CfnTemplate]));
}

/** The reference app exactly as `cdk synth` builds it, with the policy packs off. */
function platformTemplates(config: PlatformConfig): Templates {
  const app = new App({ context: { ...PLATFORM_CONTEXT } });
  buildPlatform(app, config, { packs: false });
  return synthesized(app);
}

/** The reference app with its served model's own inputs (image digest, model version) changed in the config. */
function servingTemplates(model: Partial<PlatformConfig['servedModels'][number]> = {}): Templates {
  const [churn, ...others] = DEFAULT_CONFIG.servedModels;
  return platformTemplates({ ...DEFAULT_CONFIG, servedModels: [{ ...churn, ...model }, ...others] });
}

/** The reference app (buildPlatform, packs off), one configuration field changed at a time. */
export function appSubject(): Subject {
  const with_ = (change: Partial<PlatformConfig>) => () =>
    platformTemplates({ ...DEFAULT_CONFIG, ...change });
  return {
    construct: 'reference app',
    base: () => platformTemplates(DEFAULT_CONFIG),
    inputs: {
      tags: with_({ tags: { ...DEFAULT_CONFIG.tags, 'cost-center': 'cc-9999' } }),
      'team budget': with_({
        costs: { ...DEFAULT_CONFIG.costs, teamBudgetsUsd: { 'ml-platform-team': 25000 } },
      }),
      'model budget': with_({ costs: { ...DEFAULT_CONFIG.costs, modelBudgetUsd: 4000 } }),
      maxInstanceCount: with_({ costs: { ...DEFAULT_CONFIG.costs, maxInstanceCount: 6 } }),
      'dataset retention': with_({ datasets: { ...DEFAULT_CONFIG.datasets, expireAfterDays: 3650 } }),
    },
  };
}

/** The reference app's serving stack, one of its inputs changed at a time. */
export function servingSubject(): Subject {
  return {
    construct: 'reference app serving stack',
    base: () => servingTemplates(),
    inputs: {
      'image digest': () => servingTemplates({ imageDigest: `sha256:${'fedcba9876543210'.repeat(4)}` }),
      'model version (model data key)': () => servingTemplates({ modelVersion: '2' }),
    },
  };
}
