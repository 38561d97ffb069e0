import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScopedRole, ScopedRoleProps } from '../../constructs/core/scoped-role';
import { SecureFunction, SecureFunctionProps } from '../../constructs/core/secure-function';
import { AuditTrail, AuditTrailProps } from '../../constructs/audit/audit-trail';
import { AutoShutdown, AutoShutdownProps } from '../../constructs/cost/auto-shutdown';
import { CostGuardrails, CostGuardrailsProps } from '../../constructs/cost/cost-guardrails';
import {
  SecureFeatureGroup,
  SecureFeatureGroupProps,
} from '../../constructs/feature-store/secure-feature-group';
import { DriftMonitor, DriftMonitorProps } from '../../constructs/monitoring/drift-monitor';
import { ModelHealthCheck, ModelHealthCheckProps } from '../../constructs/monitoring/model-health-check';
import { ModelQualityMonitor } from '../../constructs/monitoring/model-quality-monitor';
import { ModelQualityMonitorProps } from '../../constructs/monitoring/model-quality-monitor-props';
import { BatchInference, BatchInferenceProps } from '../../constructs/serving/batch-inference';
import { AsyncEndpoint } from '../../constructs/serving/async-endpoint';
import { AsyncEndpointProps } from '../../constructs/serving/async-endpoint-props';
import { InferenceApi } from '../../constructs/serving/inference-api';
import { InferenceApiProps } from '../../constructs/serving/inference-api-props';
import { IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
import { IsolatedEndpointProps } from '../../constructs/serving/isolated-endpoint-props';
import {
  ModelImageRepository,
  ModelImageRepositoryProps,
} from '../../constructs/training/model-image-repository';
import { ModelRegistry, ModelRegistryProps } from '../../constructs/training/model-registry';
import { ModelDataLegalHold, ModelDataLegalHoldProps } from '../../constructs/training/model-data-legal-hold';
import { ModelReviewGate, ModelReviewGateProps } from '../../constructs/training/review-gate';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import { SpotTrainingPipelineProps } from '../../constructs/training/spot-training-pipeline-props';
import { DIGEST } from '../training/fixtures';
import { EncryptionKeys, EncryptionKeysProps } from '../../constructs/encryption/encryption-keys';
import { AlertTopic, AlertTopicProps } from '../../constructs/monitoring/alert-topic';
import { InferenceNetwork, InferenceNetworkProps } from '../../constructs/serving/inference-network';
import { SecureBucket, SecureBucketProps } from '../../constructs/storage/secure-bucket';
import {
  TieredDatasetBucket,
  TieredDatasetBucketProps,
} from '../../constructs/storage/tiered-dataset-bucket';
import {
  arrayField,
  boolField,
  daysField,
  durationField,
  enumField,
  hostileString,
  intField,
  numberField,
  objectField,
  PropsSpec,
  Recipe,
  refField,
  retentionField,
  stringField,
  subnetSelectionField,
  DurationMarker,
  FieldSpec,
  RefMarker,
} from './arbitraries';

/**
 * One public construct under fuzz. Adding a construct is one entry in {@link FUZZ_CASES}: its
 * props spec and how to build it from untyped props (the fuzzer deliberately passes what the
 * TypeScript types forbid, as JavaScript callers and `JSON.parse`d config can).
 */
export interface FuzzCase {
  /** The construct's class name. */
  readonly name: string;
  /** Its props, field by field. */
  readonly spec: PropsSpec;
  /** Builds the construct with id `Subject` directly in `stack`. */
  readonly build: (stack: Stack, props: unknown) => void;
  /**
   * Rule ids (without the pack prefix) that the materialized props legitimately trip: documented
   * escape hatches. Anything else on a valid build is a failure.
   * @default - none
   */
  readonly escapeHatches?: (props: unknown) => readonly string[];
  /**
   * Synth-time validation errors that are the construct doing its job on other resources (e.g.
   * CostGuardrails reporting an untagged model-scoped fixture): every error line must match.
   * @default - none: any synth error fails
   */
  readonly synthGuard?: RegExp;
  /**
   * Share of the run count for this construct (heavy constructs take 100-200 ms a build).
   * @default 1
   */
  readonly runsFactor?: number;
}

const prefixRe = /^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*\/$/;
const prefixSegment = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,12}$/);
const prefixField = stringField(
  fc.array(prefixSegment, { minLength: 1, maxLength: 3 }).map((segs) => `${segs.join('/')}/`),
  fc.oneof(hostileString, fc.constantFrom('datasets', '/datasets/', 'a//b/', 'a b/')),
);
// Reference the pattern so the spec documents the rule it fuzzes against.
void prefixRe;

/** Props of a construct as the fuzzer passes them: untyped on purpose. */
function as<T>(props: unknown): T {
  return props as T;
}

function propsRecord(props: unknown): Record<string, unknown> {
  return typeof props === 'object' && props !== null ? (props as Record<string, unknown>) : {};
}

/** A required prop: its valid and invalid values, marked required. */
function req(f: FieldSpec): FieldSpec {
  return { ...f, required: true };
}

const nameField = stringField(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/),
  fc.oneof(hostileString, fc.constantFrom('-x', 'a--', 'x'.repeat(300))),
);
const segmentField = stringField(
  fc.stringMatching(/^[a-z0-9_.-]{1,20}$/),
  fc.constantFrom('', 'a/b', 'a b', 'ü'),
);
const textField = (max: number) =>
  stringField(
    fc.string({ minLength: 1, maxLength: Math.min(max, 60) }),
    fc.constantFrom('', 'x'.repeat(max + 1)),
  );
const s3KeyField = stringField(
  fc.constantFrom('models/churn/1/model.tar.gz', 'a', 'x/y.json'),
  fc.constantFrom('', '/abs', 'trailing/', 'x'.repeat(1025)),
);
const prefixSlashField = stringField(
  fc.constantFrom('data-capture/churn/', 'a/', 'x/y/z/'),
  fc.constantFrom('/abs/', 'no-slash', ''),
);

const budgetSpec: PropsSpec = {
  name: {
    required: true,
    valid: fc.stringMatching(/^[A-Za-z0-9 _.-]{1,30}$/),
    invalid: fc.constantFrom<Recipe>('', 'a:b', 'a\\b', 'x'.repeat(101)),
  },
  limitUsd: { ...numberField(0, 10_000_000, true), required: true },
  tags: {
    required: true,
    valid: fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
      fc.stringMatching(/^[a-z0-9-]{1,10}$/),
      { minKeys: 1, maxKeys: 3 },
    ),
    invalid: fc.constantFrom<Recipe>({}, { '': 'x' }, { team: '' }, { team: 3 }, ['team']),
  },
  actualThresholdPercent: numberField(1, 1000),
  forecastThresholdPercent: numberField(1, 1000),
};

/** Every public construct that is fuzzed. */
export const FUZZ_CASES: readonly FuzzCase[] = [
  {
    name: 'EncryptionKeys',
    spec: {
      aliasPrefix: stringField(
        fc.stringMatching(/^alias\/[a-z][a-zA-Z0-9/_-]{0,40}$/),
        fc.oneof(
          hostileString,
          fc.constantFrom('alias/aws/x', 'alias/', 'mykeys', 'alias/a b', `alias/${'a'.repeat(201)}`),
        ),
      ),
      rotationPeriod: daysField(90, 2560),
      pendingWindow: daysField(7, 30),
    },
    build: (stack, props) => new EncryptionKeys(stack, 'Subject', as<EncryptionKeysProps>(props)),
  },
  {
    name: 'SecureBucket',
    spec: {
      encryptionKey: refField('key'),
      keyDomain: enumField(
        ['data', 'models', 'logs', 'audit'],
        fc.constantFrom<Recipe>('Data', 'secrets', '', 1),
      ),
      // An app-created s3.Bucket (SSE-S3) works as the target; a KMS-encrypted one is refused.
      accessLogsBucket: refField('accessLogBucket'),
      objectLock: objectField({
        mode: {
          ...enumField(['GOVERNANCE', 'COMPLIANCE'], fc.constantFrom<Recipe>('governance', 'LEGAL_HOLD', '')),
          required: true,
        },
        // A token retention is refused: s3.ObjectLockRetention compares it with one day at synth.
        retention: req(daysField(1, 36500)),
      }),
      replication: boolField(),
      noncurrentVersionRetention: daysField(1, 3650),
      lifecycleRules: arrayField(
        {
          valid: fc.record({
            id: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
            prefix: fc.constantFrom('tmp/', 'scratch/', 'a/b/'),
            expiration: fc.integer({ min: 1, max: 3650 }).map((n) => new DurationMarker('days', n)),
          }),
          invalid: fc.constantFrom<Recipe>(
            {},
            { id: 'x' },
            { expiration: 5 },
            { expiration: new DurationMarker('hours', 25) },
            { expiration: new DurationMarker('days', 'token') },
            { expiration: new DurationMarker('days', 1), expiredObjectDeleteMarker: true },
            { transitions: [{ storageClass: 'GLACIER', transitionAfter: new DurationMarker('days', 30) }] },
            'rule',
            7,
            null,
          ),
        },
        { maxLength: 3 },
      ),
    },
    build: (stack, props) => new SecureBucket(stack, 'Subject', as<SecureBucketProps>(props)),
    escapeHatches: (props) =>
      propsRecord(props).replication === false ? ['S3BucketReplicationEnabled'] : [],
  },
  {
    name: 'TieredDatasetBucket',
    spec: {
      encryptionKey: refField('key'),
      datasetsPrefix: prefixField,
      archivePrefix: prefixField,
      intelligentTieringAfter: daysField(0, 36500),
      glacierInstantRetrievalAfter: daysField(0, 36500),
      deepArchiveAfter: daysField(0, 36500),
      expireAfter: daysField(1, 36500),
      noncurrentVersionRetention: daysField(1, 3650),
      objectLockEnabled: boolField(),
    },
    build: (stack, props) => new TieredDatasetBucket(stack, 'Subject', as<TieredDatasetBucketProps>(props)),
  },
  {
    name: 'AlertTopic',
    spec: {
      encryptionKey: refField('key'),
      emails: arrayField(
        stringField(
          fc
            .emailAddress()
            .filter((e) => /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(e)),
          fc.constantFrom('', 'not-an-email', '@example.com', 'a@', 'a@b', 'a b@example.com'),
        ),
        { maxLength: 3 },
      ),
    },
    build: (stack, props) => new AlertTopic(stack, 'Subject', as<AlertTopicProps>(props)),
  },
  {
    name: 'InferenceNetwork',
    spec: {
      cidr: stringField(
        fc
          .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 24 }))
          .map(([b, m]) => `10.${b}.0.0/${m}`),
        fc.constantFrom(
          '999.1.0.0/16',
          '10.256.0.0/16',
          '01.0.0.0/16',
          '10.0.0.0/8',
          '10.0.0.0/28',
          '10.0.0.0',
          'fd00::/64',
          '',
          '10.0.0.0/20',
        ),
      ),
      availabilityZones: arrayField(
        stringField(fc.constantFrom('dummy1a', 'dummy1b', 'dummy1c'), fc.constantFrom('', 'eu-west-1a')),
        { minLength: 2, maxLength: 3 },
      ),
      encryptionKey: refField('key'),
      flowLogRetention: retentionField,
    },
    build: (stack, props) => new InferenceNetwork(stack, 'Subject', as<InferenceNetworkProps>(props)),
  },
  {
    name: 'CostGuardrails',
    spec: {
      alerts: refField('alertTopic', true),
      budgets: arrayField(objectField(budgetSpec), { maxLength: 3 }),
      instancePolicy: objectField({
        allowedInstanceTypes: arrayField(
          stringField(
            fc.constantFrom('ml.m5.large', 'ml.m5.*', 'ml.c5.xlarge', 'ml.g5.*'),
            fc.constantFrom('m5.large', 'ml.*', 'ML.M5.LARGE', ''),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        maxInstanceCount: intField(1, 1000),
        allowGpu: boolField(),
      }),
      modelTagKey: stringField(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
        fc.constantFrom('', 'k'.repeat(129)),
      ),
      scope: refField('scope'),
    },
    build: (stack, props) => new CostGuardrails(stack, 'Subject', as<CostGuardrailsProps>(props)),
    synthGuard: /: tags\.[^:]+: a model-scoped SageMaker resource must say which model it serves|: instance/,
  },
  {
    name: 'SecureFunction',
    spec: {
      handler: {
        required: true,
        valid: fc.constantFrom('auto-shutdown', 'drift-monitor'),
        invalid: fc.constantFrom<Recipe>('Auto_Shutdown', '../auto-shutdown', '', 'no-such-bundle'),
      },
      vpc: refField('vpc', true),
      vpcSubnets: subnetSelectionField,
      encryptionKey: refField('key', true),
      description: stringField(fc.string({ maxLength: 256 }), fc.constant('d'.repeat(257))),
      environment: {
        valid: fc.dictionary(
          fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/).filter((k) => !k.startsWith('AWS')),
          fc.string({ maxLength: 20 }),
          { maxKeys: 3 },
        ),
        invalid: fc.constantFrom<Recipe>({ A: 1 }, ['A=1'], 'A=1'),
      },
      timeout: durationField(1, 900),
      memorySize: intField(128, 10240),
      reservedConcurrentExecutions: intField(1, 1000),
      logRetention: retentionField,
    },
    build: (stack, props) => new SecureFunction(stack, 'Subject', as<SecureFunctionProps>(props)),
  },
  {
    name: 'SecureFeatureGroup',
    runsFactor: 0.5,
    spec: {
      contract: req(refField('featureContract')),
      alerts: req(refField('alertTopic')),
      encryptionKey: refField('key'),
      offlineStoreBucket: refField('secureBucket'),
      offlineStorePrefix: prefixSlashField,
      onlineStore: boolField(fc.constant(true)),
      onlineStorageType: enumField(['Standard', 'InMemory'], fc.constantFrom<Recipe>('standard', '')),
      onlineTtl: durationField(60, 3650 * 86400),
      offlineStore: boolField(fc.constant(true)),
      tableFormat: enumField(['Iceberg', 'Glue'], fc.constantFrom<Recipe>('Parquet', '')),
      throughputMode: enumField(['OnDemand'], fc.constantFrom<Recipe>('ondemand', 'Burst')),
      freshnessWindow: durationField(300, 7 * 86400),
      maxAccessWindow: durationField(900, 7 * 86400),
      athenaWorkGroup: stringField(
        fc.stringMatching(/^[a-zA-Z0-9._-]{1,20}$/),
        fc.constantFrom('', 'a b', 'x'.repeat(129)),
      ),
    },
    build: (stack, props) => new SecureFeatureGroup(stack, 'Subject', as<SecureFeatureGroupProps>(props)),
  },
  {
    name: 'IsolatedEndpoint',
    runsFactor: 0.5,
    spec: {
      environment: req(
        enumField(['dev', 'staging', 'prod'], fc.constantFrom<Recipe>('production', 'Prod', '')),
      ),
      vpc: req(refField('vpc')),
      imageRepository: req(refField('imageRepository')),
      imageDigest: req(
        stringField(
          fc.constant(DIGEST),
          fc.constantFrom('latest', 'sha256:abc', `sha256:${'G'.repeat(64)}`, ''),
        ),
      ),
      modelBucket: req(refField('secureBucket')),
      modelDataKey: req(s3KeyField),
      initialInstanceCount: intField(2, 10),
      logRetention: retentionField,
      captureSamplingPercent: intField(1, 100),
      trafficWait: durationField(0, 3600),
      terminationWait: durationField(0, 3600),
      latencyP99Threshold: {
        valid: fc.oneof(
          fc.integer({ min: 1, max: 60 }).map((n) => new DurationMarker('seconds', n)),
          fc.integer({ min: 1, max: 60_000 }).map((n) => new DurationMarker('millis', n)),
        ),
        invalid: fc.constantFrom<Recipe>(
          new DurationMarker('minutes', 2),
          new DurationMarker('seconds', 'token'),
          'fast',
          0,
        ),
      },
      alerts: req(refField('alertTopic')),
    },
    build: (stack, props) => new IsolatedEndpoint(stack, 'Subject', as<IsolatedEndpointProps>(props)),
  },
  {
    name: 'InferenceApi',
    runsFactor: 0.5,
    // apiKeyRequired: true needs a client added after construction (addClient); without one, synth stops.
    synthGuard: /: apiKeyRequired: is true but no client holds an API key/,
    spec: {
      endpoint: req(refField('endpointRef')),
      inputContract: req(refField('zodSchema')),
      encryptionKey: refField('key'),
      logRetention: retentionField,
      apiKeyRequired: boolField(),
      stageName: stringField(
        fc.stringMatching(/^[a-zA-Z0-9_]{1,20}$/),
        fc.constantFrom('', 'a-b', 'x'.repeat(129)),
      ),
      throttlingRateLimit: numberField(0, 10_000, true),
      throttlingBurstLimit: intField(1, 5000),
      quotaPerDay: intField(1, 10_000_000),
      wafRateLimit: intField(100, 2_000_000_000),
      maxPayloadBytes: intField(1, 10 * 1024 * 1024),
      integrationTimeout: durationField(1, 300),
    },
    build: (stack, props) => new InferenceApi(stack, 'Subject', as<InferenceApiProps>(props)),
  },
  {
    name: 'ModelImageRepository',
    spec: {
      repositoryName: stringField(
        fc.stringMatching(/^[a-z0-9]{1,10}(\/[a-z0-9]{1,10})?$/),
        fc.constantFrom('', 'a', 'UPPER', 'a//b', '-a', 'x'.repeat(257)),
      ),
      encryptionKey: refField('key'),
      untaggedImageRetention: daysField(1, 3650),
    },
    build: (stack, props) => new ModelImageRepository(stack, 'Subject', as<ModelImageRepositoryProps>(props)),
  },
  {
    name: 'ModelRegistry',
    spec: {
      modelPackageGroupName: nameField,
      description: textField(1024),
      alerts: req(refField('alertTopic')),
      crossAccountReadAccounts: arrayField(
        stringField(fc.stringMatching(/^\d{12}$/), fc.constantFrom('123', 'abcdefghijkl', '')),
        { maxLength: 3 },
      ),
    },
    build: (stack, props) => new ModelRegistry(stack, 'Subject', as<ModelRegistryProps>(props)),
  },
  {
    name: 'ModelDataLegalHold',
    runsFactor: 0.4,
    spec: {
      registry: req(refField('registry')),
      datasetBucket: req(refField('datasets')),
      datasetsPrefix: prefixField,
      manifestBucket: req(refField('secureBucket')),
      manifestPrefix: prefixField,
      alerts: req(refField('alertTopic')),
      vpc: req(refField('vpc')),
      encryptionKey: req(refField('key')),
      maxAttempts: intField(1, 20),
    },
    build: (stack, props) => new ModelDataLegalHold(stack, 'Subject', as<ModelDataLegalHoldProps>(props)),
  },
  {
    name: 'SpotTrainingPipeline',
    runsFactor: 0.4,
    spec: {
      trainingImage: req(refField('pinnedImage')),
      datasetBucket: req(refField('datasets')),
      datasetName: req(segmentField),
      datasetVersion: req(segmentField),
      vpc: req(refField('vpc')),
      modelRegistry: req(refField('registry')),
      intendedUse: req(textField(2048)),
      riskRating: req(enumField(['High', 'Medium', 'Low', 'Unknown'], fc.constantFrom<Recipe>('medium', ''))),
      modelOwner: req(textField(1024)),
      pipelineName: nameField,
      instanceType: stringField(
        fc.constantFrom('ml.m5.xlarge', 'ml.c5.2xlarge'),
        fc.constantFrom('m5.xlarge', 'ml.m5', ''),
      ),
      instanceCount: intField(1, 100),
      volumeSizeGb: intField(1, 16384),
      maxRuntime: durationField(60, 2 * 86400),
      capacityRetryAttempts: intField(1, 20),
      capacityRetryInterval: durationField(1, 6 * 3600),
      schedule: refField('scheduleExpression'),
    },
    build: (stack, props) => new SpotTrainingPipeline(stack, 'Subject', as<SpotTrainingPipelineProps>(props)),
  },
  {
    name: 'AuditTrail',
    runsFactor: 0.5,
    spec: {
      encryptionKey: refField('key'),
      alerts: refField('alertTopic'),
      trailName: stringField(
        fc.stringMatching(/^[a-z][a-z0-9-]{1,20}[a-z0-9]$/),
        fc.constantFrom('', 'ab', '-abc', 'x'.repeat(200)),
      ),
      objectLockMode: enumField(['GOVERNANCE', 'COMPLIANCE'], fc.constantFrom<Recipe>('governance', '')),
      objectLockRetention: daysField(1, 36500),
      logFileRetention: daysField(1, 36500),
      logGroupRetention: retentionField,
      unauthorizedApiCallsThreshold: intField(1, 1_000_000),
    },
    build: (stack, props) => new AuditTrail(stack, 'Subject', as<AuditTrailProps>(props)),
  },
  {
    name: 'AutoShutdown',
    runsFactor: 0.5,
    spec: {
      alerts: req(refField('alertTopic')),
      vpc: req(refField('vpc')),
      encryptionKey: req(refField('key')),
      dryRun: boolField(),
      maxActionsPerRun: intField(0, 1000),
      idleThreshold: durationField(300, 7 * 86400),
      endpointIdleThreshold: durationField(3600, 14 * 86400),
      sweepInterval: durationField(300, 86400),
      maxAttempts: intField(1, 20),
      productionValues: arrayField(stringField(fc.constantFrom('prod', 'production'), fc.constant('')), {
        minLength: 1,
        maxLength: 2,
      }),
    },
    build: (stack, props) => new AutoShutdown(stack, 'Subject', as<AutoShutdownProps>(props)),
  },
  {
    name: 'DriftMonitor',
    runsFactor: 0.5,
    spec: {
      endpoint: req(objectField({ endpointName: req(nameField) })),
      captureBucket: req(refField('secureBucket')),
      capturePrefix: req(prefixSlashField),
      baselineKey: req(s3KeyField),
      alerts: req(refField('alertTopic')),
      vpc: req(refField('vpc')),
      encryptionKey: req(refField('key')),
      schedule: refField('rateSchedule'),
      window: durationField(300, 7 * 86400),
      psiThreshold: numberField(0, 10, true),
      pValue: numberField(0, 0.5, true),
      minSampleSize: intField(1, 10_000_000),
      memorySize: intField(256, 10240),
      timeout: durationField(60, 900),
    },
    build: (stack, props) => new DriftMonitor(stack, 'Subject', as<DriftMonitorProps>(props)),
  },
  {
    name: 'ModelHealthCheck',
    runsFactor: 0.5,
    spec: {
      vpc: req(refField('vpc')),
      vpcSubnets: subnetSelectionField,
      artifactsBucket: req(refField('secureBucket')),
      artifactsPrefix: prefixField,
      alerts: req(refField('alertTopic')),
      inferenceEndpoint: refField('endpointRef'),
      goldenRequest: {
        valid: fc.constantFrom<Recipe>({ instances: [[1, 2, 3]] }, [1], 'text', 0),
        invalid: fc.constantFrom<Recipe>(null),
      },
      expectedResponseFields: {
        valid: fc.dictionary(
          fc.stringMatching(/^[a-z]{1,8}(\.[a-z0-9]{1,8})?$/),
          fc.constantFrom('array', 'boolean', 'number', 'object', 'string'),
          { maxKeys: 3 },
        ),
        invalid: fc.constantFrom<Recipe>({ predictions: 'list' }, { '': 'array' }, ['predictions'], 'array'),
      },
      latencyThreshold: durationField(0.001, 60),
      featureStoreProbe: objectField({
        featureGroup: req({
          valid: fc.constant<Recipe>({
            featureGroupName: 'churn',
            featureGroupArn: 'arn:aws:sagemaker:eu-west-1:111111111111:feature-group/churn',
          }),
          invalid: fc.constantFrom<Recipe>({ featureGroupName: 'churn' }, 'churn', new RefMarker('vpc')),
        }),
        recordIdentifier: req(
          stringField(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('', 'x'.repeat(358_401))),
        ),
        expectedFeatures: arrayField(
          stringField(
            fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
            fc.constantFrom('', 'a b', '_x', 'x'.repeat(65)),
          ),
          { maxLength: 4 },
        ),
      }),
      dependencies: arrayField(
        objectField({
          name: req(
            stringField(fc.stringMatching(/^[a-z0-9-]{1,20}$/), fc.constantFrom('', 'A', 'x'.repeat(41))),
          ),
          url: req(
            stringField(
              fc.constantFrom(
                'https://mirror.example.com/simple/',
                'runtime.sagemaker.eu-west-1.amazonaws.com',
              ),
              fc.constantFrom('http://mirror.example.com', 'ftp://x', 'not a url', ''),
            ),
          ),
        }),
        { maxLength: 3 },
      ),
      interval: durationField(60, 3600),
      severity: enumField(['critical', 'high', 'low'], fc.constantFrom<Recipe>('HIGH', 'sev1', '')),
      runbookUrl: stringField(
        fc.constantFrom('https://runbooks.example.com/churn-health'),
        fc.constantFrom('http://runbooks.example.com', 'wiki', ''),
      ),
    },
    build: (stack, props) => new ModelHealthCheck(stack, 'Subject', as<ModelHealthCheckProps>(props)),
  },
  {
    name: 'AsyncEndpoint',
    runsFactor: 0.5,
    spec: {
      environment: req(
        enumField(['dev', 'staging', 'prod'], fc.constantFrom<Recipe>('production', 'Prod', '')),
      ),
      vpc: req(refField('vpc')),
      imageRepository: req(refField('imageRepository')),
      imageDigest: req(
        stringField(
          fc.constant(DIGEST),
          fc.constantFrom('latest', 'sha256:abc', `sha256:${'G'.repeat(64)}`, ''),
        ),
      ),
      modelBucket: req(refField('secureBucket')),
      modelDataKey: req(s3KeyField),
      ioBucket: refField('secureBucket'),
      inputPrefix: prefixField,
      outputPrefix: prefixField,
      failurePrefix: prefixField,
      logRetention: retentionField,
      networkIsolation: boolField(),
      maxConcurrentInvocationsPerInstance: intField(1, 1000),
      includeResponseInNotifications: boolField(),
      minCapacity: intField(0, 1000),
      maxCapacity: intField(1, 1000),
      targetBacklogPerInstance: numberField(0, 1000, true),
      alerts: req(refField('alertTopic')),
      oldestRequestAgeThreshold: durationField(60, 6 * 3600),
      errorThreshold: intField(0, 1000),
    },
    build: (stack, props) => new AsyncEndpoint(stack, 'Subject', as<AsyncEndpointProps>(props)),
    escapeHatches: (props) =>
      propsRecord(props).networkIsolation === false ? ['SageMakerModelNetworkIsolation'] : [],
  },
  {
    name: 'BatchInference',
    runsFactor: 0.5,
    spec: {
      vpc: req(refField('vpc')),
      imageRepository: req(refField('imageRepository')),
      imageDigest: req(
        stringField(
          fc.constant(DIGEST),
          fc.constantFrom('latest', 'sha256:abc', `sha256:${'G'.repeat(64)}`, ''),
        ),
      ),
      modelBucket: req(refField('secureBucket')),
      modelDataKey: req(s3KeyField),
      networkIsolation: boolField(),
      ioBucket: refField('secureBucket'),
      inputPrefix: prefixField,
      outputPrefix: prefixField,
      instanceType: stringField(
        fc.constantFrom('ml.m5.large', 'ml.c5.xlarge', 'ml.g4dn.xlarge'),
        fc.constantFrom('m5.large', 'ml.m5', 'ML.M5.LARGE', ''),
      ),
      instanceCount: intField(1, 100),
      contentType: enumField(
        ['text/csv', 'application/jsonlines'],
        fc.constantFrom<Recipe>('csv', 'text/plain', ''),
      ),
      inputFilter: stringField(
        fc.constantFrom('$[1:]', '$', '$.features'),
        fc.constantFrom('', '[1:]', `$${'x'.repeat(63)}`),
      ),
      outputFilter: stringField(fc.constantFrom('$[0,-1]', '$'), fc.constantFrom('', '0,-1')),
      schedule: refField('scheduleExpression'),
      runOnNewInput: boolField(),
      pipelineName: stringField(
        fc.stringMatching(/^[a-zA-Z0-9]{1,20}(-[a-zA-Z0-9]{1,10})?$/),
        fc.constantFrom('', '-a', 'a_b', 'x'.repeat(257)),
      ),
    },
    build: (stack, props) => new BatchInference(stack, 'Subject', as<BatchInferenceProps>(props)),
    escapeHatches: (props) =>
      propsRecord(props).networkIsolation === false ? ['SageMakerModelNetworkIsolation'] : [],
  },
  {
    name: 'ModelQualityMonitor',
    runsFactor: 1,
    spec: {
      endpoint: req(objectField({ endpointName: req(nameField) })),
      captureBucket: req(refField('secureBucket')),
      capturePrefix: req(prefixSlashField),
      groundTruthBucket: refField('secureBucket'),
      groundTruthPrefix: req(prefixSlashField),
      problemType: req(
        enumField(
          ['binaryClassification', 'regression'],
          fc.constantFrom<Recipe>('binary', 'Regression', ''),
        ),
      ),
      positiveLabel: textField(256),
      classificationOutput: enumField(['probability', 'label'], fc.constantFrom<Recipe>('score', '')),
      probabilityThreshold: numberField(0, 0.999, true),
      baseline: req({
        valid: fc.constantFrom<Recipe>({ auc: 0.8 }, { accuracy: 0.9, f1: 0.7 }, { rmse: 1.5, mae: 0.4 }),
        invalid: fc.constantFrom<Recipe>({ auc: 2 }, { rmse: -1 }, { gini: 0.5 }, 'auc', null),
      }),
      maxDrop: numberField(0, 0.999, true),
      maxIncrease: numberField(0, 100, true),
      minSamples: intField(1, 10_000_000),
      maxPendingLabels: intField(1, 10_000_000),
      alerts: req(refField('alertTopic')),
      vpc: req(refField('vpc')),
      encryptionKey: req(refField('key')),
      schedule: refField('rateSchedule'),
      memorySize: intField(256, 10240),
      timeout: durationField(60, 900),
    },
    build: (stack, props) => new ModelQualityMonitor(stack, 'Subject', as<ModelQualityMonitorProps>(props)),
  },
  {
    name: 'ModelReviewGate',
    runsFactor: 0.5,
    spec: {
      registry: req(refField('registry')),
      reportsBucket: req(refField('secureBucket')),
      reportsPrefix: prefixField,
      alerts: req(refField('alertTopic')),
      vpc: req(refField('vpc')),
      vpcSubnets: subnetSelectionField,
      encryptionKey: req(refField('key')),
      maxAttempts: intField(1, 20),
    },
    build: (stack, props) => new ModelReviewGate(stack, 'Subject', as<ModelReviewGateProps>(props)),
  },
  scopedRoleCase(),
];

function scopedRoleCase(): FuzzCase {
  return {
    name: 'ScopedRole',
    spec: {
      assumedBy: req(refField('principal')),
      description: textField(1000),
    },
    build: (stack, props) => {
      const role = new ScopedRole(stack, 'Subject', as<ScopedRoleProps>(props));
      // An empty managed policy does not synthesize: give the role what every user of it adds, a grant.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['sqs:SendMessage'],
          resources: ['arn:aws:sqs:eu-west-1:111111111111:q'],
        }),
      );
    },
  };
}
