/**
 * Names shared by the record-lineage handler and `SpotTrainingPipeline`'s `RecordLineage` Lambda
 * step. No aws-cdk-lib here (runtime code).
 */
import { LINEAGE_METADATA_KEYS } from '../../lineage/metadata-keys';

/** Environment variables the construct sets and the handler reads. */
export const ENV = {
  /** The model package group; the step's `modelPackageArn` must be a version of it. */
  groupName: 'RECORD_LINEAGE_GROUP_NAME',
  maxAttempts: 'RECORD_LINEAGE_MAX_ATTEMPTS',
  requestTimeoutMs: 'RECORD_LINEAGE_REQUEST_TIMEOUT_MS',
} as const;

/** The step argument that names the registered version (`Steps.RegisterModel.ModelPackageArn`). */
export const MODEL_PACKAGE_ARGUMENT = 'modelPackageArn';

/**
 * The step's other arguments: one per lineage metadata key, named as in
 * {@link LINEAGE_METADATA_KEYS} (`datasetManifest` becomes `lineage:dataset-manifest`).
 */
export type LineageArgument = keyof typeof LINEAGE_METADATA_KEYS;

/** The arguments every execution must supply (the others exist only with their steps). */
export const REQUIRED_ARGUMENTS: readonly LineageArgument[] = [
  'datasetManifest',
  'datasetManifestSha256',
  'datasetBucket',
  'trainingJob',
  'trainingImageDigest',
  'codeVersion',
  'pipelineExecution',
];

/**
 * The function's result keys, declared as the step's `OutputParameters`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 */
export const OUTPUTS = {
  /** Integer: how many metadata entries were written. */
  recorded: 'recorded',
} as const;
