import { createHash } from 'node:crypto';
import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { z } from 'zod';
import {
  ARGUMENTS as MANIFEST_ARGUMENTS,
  DEFAULT_PROVENANCE_KEY,
  ENV as MANIFEST_ENV,
  OUTPUTS as MANIFEST_OUTPUTS,
} from '../../lib/handlers/dataset-manifest/contract';
import {
  ENV as RECORD_ENV,
  MODEL_PACKAGE_ARGUMENT,
  OUTPUTS as RECORD_OUTPUTS,
  type LineageArgument,
} from '../../lib/handlers/record-lineage/contract';
import { OUTPUTS as BIAS_OUTPUTS } from '../../lib/handlers/bias-check/contract';
import { OUTPUTS as FAIRNESS_OUTPUTS } from '../../lib/handlers/fairness-check/contract';
import { METADATA_VALUE_MAX_LENGTH, METADATA_VALUE_PATTERN } from '../../lib/lineage/metadata-keys';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { SecureFunction } from '../core/secure-function';
import { refs, tokenOr } from '../core/validate';
import { acknowledgeIdentityPrefixGrant } from '../serving/nag-ids';
import { ISecureBucket } from '../storage/secure-bucket';
import { TieredDatasetBucket } from '../storage/tiered-dataset-bucket';
import { IModelRegistry } from './model-registry';
import { flattenedArn } from './nag-ids';
import {
  ArgumentValue,
  EXECUTION_ID,
  get,
  join,
  lambdaOutput,
  lambdaStep,
  param,
  PipelineDefinition,
  StepDefinition,
} from './pipeline-definition';
import { DATASET_VERSION_PARAMETER } from './pipeline-steps';

/** Names of the lineage steps (public: alarms and other steps refer to them). */
export const LINEAGE_STEP_NAMES = { writeManifest: 'WriteManifest', recordLineage: 'RecordLineage' } as const;

/**
 * Whether the training data comes from a third party. Third-party data must carry a provenance
 * record (lib/lineage/manifest.ts `ProvenanceRecordSchema`: source, licence, acquisition date,
 * checksum, PII classes, agreement reference) stored with each dataset version; the pipeline
 * refuses to train on a version without one that matches the data.
 */
export interface DataProvenanceOptions {
  /** True for data acquired from a third party (a vendor, a partner, a public dataset). */
  readonly thirdParty: boolean;
  /**
   * Key of the provenance document relative to the dataset version prefix
   * (`<tier>/<dataset>/v<version>/`): one record, or an array of records (one per source). Each
   * record's `checksum` must be the dataset digest (lib/lineage `datasetDigest`: sha-256 of the
   * sorted `sha256sum` listing of the training channels' objects) or the sha-256 of one object.
   * @default 'provenance.json'
   */
  readonly recordsKey?: string;
}

/** A feature contract's identity as the lineage records it (a `FeatureContract` fits). */
export interface LineageFeatureContract {
  /** The feature set's name. */
  readonly name: string;
  /** Its semantic version. */
  readonly version: string;
}

/**
 * The lineage of a {@link SpotTrainingPipeline} (issue 18): a `WriteManifest` Lambda step before
 * training writes the dataset manifest (every training object's key, version id, size and sha256;
 * the provenance of third-party data), and a `RecordLineage` Lambda step after `RegisterModel`
 * writes the lineage into the version's `CustomerMetadataProperties` (the `lineage:*` keys of
 * lib/lineage/metadata-keys.ts), which `compliant-mlops lineage` verifies.
 */
export interface LineageOptions {
  /**
   * Key of the two functions' logs, environment and dead-letter queues (the `logs` key of
   * `EncryptionKeys`, whose policy lets CloudWatch Logs use it).
   */
  readonly encryptionKey: kms.IKey;
  /**
   * The code/config version recorded as `lineage:code-version` (e.g. a git commit, `git:<sha>`):
   * 1 to 256 of letters, digits, spaces and `_.:/=+-@`.
   * @default - `definition-sha256:<hex>`, the sha-256 of the synthesized pipeline definition
   *   (without the lineage steps, CloudFormation references as references): it changes exactly
   *   when a step, image digest, hyperparameter default or resource of the definition changes
   */
  readonly codeVersion?: string;
  /**
   * The feature contract the training data follows, recorded as `lineage:feature-contract`
   * (`<name>@<version>`).
   * @default - none recorded
   */
  readonly featureContract?: LineageFeatureContract;
  /**
   * Where the data comes from.
   * @default - first-party data: no provenance record is required
   */
  readonly dataProvenance?: DataProvenanceOptions;
  /**
   * The most the training channels of one version may hold together; a larger version fails the
   * `WriteManifest` step before anything is read (each object is read once to hash it).
   * @default Size.gibibytes(10)
   */
  readonly maxDatasetSize?: Size;
  /**
   * How long `WriteManifest` may take to hash the dataset; the execution fails when it runs out.
   * (As the bias check's default: a pipeline's Lambda step is meant for short work.)
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * Memory of the manifest function in MiB (network bandwidth grows with it; memory use does not
   * depend on the dataset size).
   * @default 1024
   */
  readonly memorySize?: number;
}

/** A key below the version prefix: no leading `/`, no `..` segment, 1 to 512 characters. */
const RELATIVE_KEY = /^(?!\/)(?!.*(^|\/)\.\.(\/|$)).{1,512}$/;

/** The zod schema of {@link LineageOptions} (a field of the pipeline's props). */
export const lineageSchema = z.strictObject({
  encryptionKey: refs.key,
  codeVersion: tokenOr(
    z
      .string()
      .min(1)
      .max(METADATA_VALUE_MAX_LENGTH)
      .regex(METADATA_VALUE_PATTERN, 'is not a model package metadata value'),
  ).optional(),
  featureContract: z
    .object({
      name: z.string().min(1),
      version: z.string().min(1),
    })
    .superRefine((c, ctx) => {
      const v = `${c.name}@${c.version}`;
      if (v.length <= METADATA_VALUE_MAX_LENGTH && METADATA_VALUE_PATTERN.test(v)) return;
      ctx.addIssue({
        code: 'custom',
        message: 'is not a model package metadata value as <name>@<version>',
        input: v,
        params: { expected: `1 to ${METADATA_VALUE_MAX_LENGTH} of letters, digits, spaces and _.:/=+-@` },
      });
    })
    .optional(),
  dataProvenance: z
    .strictObject({
      thirdParty: z.boolean(),
      recordsKey: z.string().regex(RELATIVE_KEY, 'is not a key relative to the version prefix').optional(),
    })
    .optional(),
  maxDatasetSize: z
    .custom<Size>((v) => v instanceof Size, { message: 'is not a Size' })
    .superRefine((s, ctx) => {
      const b = s.toBytes();
      if (b >= 1 && b <= 5 * 1024 ** 4) return;
      ctx.addIssue({
        code: 'custom',
        message: 'is out of range',
        input: `${b} bytes`,
        params: { expected: '1 byte to 5 TiB' },
      });
    })
    .optional(),
  timeout: z
    .custom<Duration>((v) => v instanceof Duration, { message: 'is not a Duration' })
    .superRefine((d, ctx) => {
      const s = d.toSeconds();
      if (s >= 60 && s <= 900) return;
      ctx.addIssue({
        code: 'custom',
        message: 'is out of range',
        input: `${s} seconds`,
        params: { expected: '1 to 15 minutes (the Lambda maximum)' },
      });
    })
    .optional(),
  memorySize: z.number().int().min(256).max(10240).optional(),
});

/** What the two lineage functions are built against. */
export interface LineageTargets {
  readonly options: LineageOptions;
  readonly datasetBucket: TieredDatasetBucket;
  /** The dataset's prefix of every version (`<tier>/<dataset>/v`). */
  readonly datasetPrefix: string;
  /** The training channels, each `<version prefix><channel>/`. */
  readonly channels: readonly string[];
  readonly artifactBucket: ISecureBucket;
  /** `lineage/<pipeline>/`: one manifest per execution below it. */
  readonly manifestPrefix: string;
  readonly registry: IModelRegistry;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The pipeline role, which invokes both functions from the Lambda steps. */
  readonly pipelineRole: iam.IRole;
}

/** The lineage functions of a pipeline. */
export interface LineageFunctions {
  /** `WriteManifest`: reads the dataset version, writes its manifest. */
  readonly manifest: SecureFunction;
  /** `RecordLineage`: UpdateModelPackage on the registered version. */
  readonly record: SecureFunction;
}

/**
 * The two functions and their grants: the manifest function reads the dataset (every version:
 * the version is a run-time parameter) and writes under the manifest prefix only; the record
 * function may call UpdateModelPackage on this group's versions only, and never with an approval
 * status.
 */
export function lineageFunctions(scope: Construct, t: LineageTargets): LineageFunctions {
  const o = t.options;
  const provenance: Record<string, string> = o.dataProvenance?.thirdParty
    ? { [MANIFEST_ENV.provenanceKey]: o.dataProvenance.recordsKey ?? DEFAULT_PROVENANCE_KEY }
    : {};
  const manifest = new SecureFunction(scope, 'WriteManifest', {
    handler: 'dataset-manifest',
    vpc: t.vpc,
    vpcSubnets: t.vpcSubnets,
    encryptionKey: o.encryptionKey,
    description: 'Writes the dataset manifest of a training execution (pipeline Lambda step)',
    timeout: o.timeout ?? Duration.minutes(10),
    memorySize: o.memorySize ?? 1024,
    // SageMaker invokes the step synchronously and fails the step on an error: no async retries.
    retryAttempts: 0,
    environment: {
      [MANIFEST_ENV.datasetBucket]: t.datasetBucket.bucketName,
      [MANIFEST_ENV.datasetPrefix]: t.datasetPrefix,
      [MANIFEST_ENV.channels]: t.channels.join(','),
      [MANIFEST_ENV.manifestBucket]: t.artifactBucket.bucketName,
      [MANIFEST_ENV.manifestPrefix]: t.manifestPrefix,
      [MANIFEST_ENV.manifestKeyArn]: t.artifactBucket.encryptionKey.keyArn,
      [MANIFEST_ENV.maxBytes]: String((o.maxDatasetSize ?? Size.gibibytes(10)).toBytes()),
      ...provenance,
    },
  });
  t.datasetBucket.grantReadPrefix(manifest.role, t.datasetPrefix);
  acknowledgeIdentityPrefixGrant(
    manifest.role,
    t.datasetBucket,
    t.datasetPrefix,
    'the dataset version and its channel objects are chosen per execution (the DatasetVersion parameter)',
  );
  t.artifactBucket.grantWritePrefix(manifest.role, t.manifestPrefix);
  acknowledgeIdentityPrefixGrant(
    manifest.role,
    t.artifactBucket,
    t.manifestPrefix,
    'one manifest per pipeline execution, under a sub-prefix named by the execution id',
  );

  const record = new SecureFunction(scope, 'RecordLineage', {
    handler: 'record-lineage',
    vpc: t.vpc,
    vpcSubnets: t.vpcSubnets,
    encryptionKey: o.encryptionKey,
    description: 'Records the lineage of a registered model version (pipeline Lambda step)',
    timeout: Duration.minutes(1),
    memorySize: 256,
    retryAttempts: 0,
    environment: { [RECORD_ENV.groupName]: t.registry.modelPackageGroupName },
  });
  // Only lineage: the approval status key is absent from a request that sets none (Null is true),
  // so the role can neither approve nor reject a version.
  record.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'RecordLineage',
      actions: ['sagemaker:UpdateModelPackage'],
      resources: [t.registry.modelPackageArnPattern],
      conditions: { Null: { 'sagemaker:ModelApprovalStatus': 'true' } },
    }),
  );
  acknowledge(
    record.role.policy,
    `AwsSolutions-IAM5[Resource::${flattenedArn(scope, t.registry.modelPackageArnPattern)}]`,
    {
      reason:
        'SageMaker numbers the versions of the group at registration (model-package/<group>/<n>): the pattern matches this group only',
      ...INHERENT,
    },
  );
  // Exactly these functions, unqualified: the Lambda steps invoke the ARNs they name.
  t.pipelineRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'InvokeLineageSteps',
      actions: ['lambda:InvokeFunction'],
      resources: [manifest.function.functionArn, record.function.functionArn],
    }),
  );
  return { manifest, record };
}

/** What the lineage steps refer to. */
export interface LineageStepInputs {
  readonly manifestFunctionArn: string;
  readonly recordFunctionArn: string;
  /** `s3://<dataset bucket>/<tier>/<dataset>/v<DatasetVersion>/`, with the version a parameter. */
  readonly datasetVersionUri: ArgumentValue;
  readonly datasetBucketName: string;
  /** `sha256:…` of the training image. */
  readonly trainingImageDigest: string;
  /** The recorded code version: `options.codeVersion`, else {@link definitionVersion}. */
  readonly codeVersion: string;
  readonly featureContract?: LineageFeatureContract;
}

/**
 * The step names of a definition at any depth (condition branches included) and the step objects.
 */
function findStep(steps: readonly StepDefinition[], name: string): StepDefinition | undefined {
  for (const s of steps) {
    if (s.Name === name) return s;
    const a = s.Arguments as { IfSteps?: StepDefinition[]; ElseSteps?: StepDefinition[] };
    const inner = findStep([...(a.IfSteps ?? []), ...(a.ElseSteps ?? [])], name);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * The `CustomerMetadataProperties` the `RecordLineage` step writes, one argument per lineage key
 * (the handler maps `datasetManifest` to `lineage:dataset-manifest`, and so on). The one place
 * the map is built: a step that produces another report adds its argument here.
 *
 * @param definition the definition the step is added to: optional entries exist only when their
 *   step does (`Evaluate`'s report, `CheckBias`'s report)
 */
export function lineageProperties(
  definition: PipelineDefinition,
  i: LineageStepInputs,
  names: { training: string; register: string; biasCheck: string; fairnessCheck: string },
): Partial<Record<LineageArgument, ArgumentValue>> {
  const register = findStep(definition.Steps, names.register);
  const evaluationReport = (
    register?.Arguments as { ModelMetrics?: { ModelQuality?: { Statistics?: { S3Uri?: ArgumentValue } } } }
  )?.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  const biasCheck = findStep(definition.Steps, names.biasCheck);
  const fairnessCheck = findStep(definition.Steps, names.fairnessCheck);
  return {
    datasetManifest: lambdaOutput(LINEAGE_STEP_NAMES.writeManifest, MANIFEST_OUTPUTS.manifestUri),
    datasetManifestSha256: lambdaOutput(LINEAGE_STEP_NAMES.writeManifest, MANIFEST_OUTPUTS.manifestSha256),
    datasetBucket: i.datasetBucketName,
    trainingJob: get(`Steps.${names.training}.TrainingJobArn`),
    trainingImageDigest: i.trainingImageDigest,
    codeVersion: i.codeVersion,
    pipelineExecution: get('Execution.PipelineExecutionArn'),
    ...(i.featureContract
      ? { featureContract: `${i.featureContract.name}@${i.featureContract.version}` }
      : {}),
    ...(evaluationReport !== undefined ? { evaluationReport } : {}),
    ...(biasCheck ? { biasReport: lambdaOutput(names.biasCheck, BIAS_OUTPUTS.reportUri) } : {}),
    ...(fairnessCheck
      ? { fairnessReport: lambdaOutput(names.fairnessCheck, FAIRNESS_OUTPUTS.reportUri) }
      : {}),
  };
}

/**
 * The definition with its lineage steps: `WriteManifest` first, the first step after it (the bias
 * check, else training) depending on it, so no job starts unless the manifest was written (a
 * failed Lambda step fails the execution); `RecordLineage` last, at the top level (the published
 * definition schema allows no Lambda step inside a condition's branches). It reads
 * `Steps.RegisterModel.ModelPackageArn`, a data dependency: it runs once the version is
 * registered, and never when the registration gate's Fail step ended the execution instead.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-properties.html
 */
export function withLineage(
  definition: PipelineDefinition,
  i: LineageStepInputs,
  names: { training: string; register: string; biasCheck: string; fairnessCheck: string },
): PipelineDefinition {
  const write = lambdaStep(
    LINEAGE_STEP_NAMES.writeManifest,
    'Writes the dataset manifest (object versions and sha256; provenance of third-party data)',
    i.manifestFunctionArn,
    { [MANIFEST_ARGUMENTS.datasetUri]: i.datasetVersionUri, [MANIFEST_ARGUMENTS.executionId]: EXECUTION_ID },
    [
      { OutputName: MANIFEST_OUTPUTS.manifestUri, OutputType: 'String' },
      { OutputName: MANIFEST_OUTPUTS.manifestSha256, OutputType: 'String' },
    ],
  );
  const record = lambdaStep(
    LINEAGE_STEP_NAMES.recordLineage,
    'Records the lineage in the registered version (UpdateModelPackage CustomerMetadataProperties)',
    i.recordFunctionArn,
    {
      [MODEL_PACKAGE_ARGUMENT]: get(`Steps.${names.register}.ModelPackageArn`),
      ...(lineageProperties(definition, i, names) as Record<string, ArgumentValue>),
    },
    [{ OutputName: RECORD_OUTPUTS.recorded, OutputType: 'Integer' }],
  );
  const [first, ...rest] = definition.Steps;
  const gated: StepDefinition = { ...first, DependsOn: [...(first.DependsOn ?? []), write.Name] };
  return { ...definition, Steps: [write, gated, ...rest, record] };
}

/**
 * The default code version: `definition-sha256:<hex>` of the definition as CloudFormation
 * receives it (references resolved to their `Ref`/`Fn::GetAtt` form, so the value does not depend
 * on token numbering), before the lineage steps are added.
 */
export function definitionVersion(stack: Stack, definition: PipelineDefinition): string {
  const json = JSON.stringify(stack.resolve(definition));
  return `definition-sha256:${createHash('sha256').update(json, 'utf8').digest('hex')}`;
}

const VERSION_MARKER = '\u0000version\u0000';

/**
 * `s3://<bucket>/<tier>/<dataset>/v<DatasetVersion>/`: the execution's dataset version prefix,
 * the version read from the `DatasetVersion` parameter at run time.
 */
export function datasetVersionUri(bucket: TieredDatasetBucket, datasetName: string): ArgumentValue {
  const prefix = bucket.datasetPrefix(datasetName, VERSION_MARKER);
  const i = prefix.indexOf(VERSION_MARKER);
  return join([
    `s3://${bucket.bucket.bucketName}/${prefix.slice(0, i)}`,
    param(DATASET_VERSION_PARAMETER),
    prefix.slice(i + VERSION_MARKER.length),
  ]);
}
