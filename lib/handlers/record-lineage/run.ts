import { UpdateModelPackageCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  LINEAGE_METADATA_KEYS,
  METADATA_MAX_ENTRIES,
  METADATA_VALUE_MAX_LENGTH,
  METADATA_VALUE_PATTERN,
} from '../../lineage/metadata-keys';
import { ConfigError, envRetry, type Env } from '../shared/env';
import { ENV, MODEL_PACKAGE_ARGUMENT, OUTPUTS, REQUIRED_ARGUMENTS, type LineageArgument } from './contract';

/** The settings the construct sets. */
export interface RecordLineageConfig {
  readonly groupName: string;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
}

/** The clients the step uses. */
export interface RecordLineageClients {
  readonly sagemaker: SageMakerClient;
}

/** What the function returns to the Lambda step. */
export interface RecordLineageResult {
  readonly [OUTPUTS.recorded]: number;
}

/** A request that is not the step's arguments (the step fails: the version stays without lineage). */
export class RecordLineageRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordLineageRequestError';
  }
}

/**
 * Reads the configuration.
 * @throws ConfigError when a variable is missing or malformed (a deployment error)
 */
export function parseConfig(env: Env): RecordLineageConfig {
  const groupName = env[ENV.groupName];
  if (groupName === undefined || !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(groupName)) {
    throw new ConfigError(
      `${ENV.groupName}: is not a model package group name (got ${JSON.stringify(groupName ?? null)}; expected 1 to 63 of [a-zA-Z0-9-])`,
    );
  }
  return {
    groupName,
    ...envRetry(env, ENV, { fallbackMs: 10_000, maxMs: 120_000 }),
  };
}

/**
 * A model package version ARN (`arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<n>`);
 * SageMaker writes the group name into it in lowercase.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html#amazonsagemaker-resources-for-iam-policies
 */
const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/([a-z0-9-]{1,63})\/(\d+)$/;

/**
 * The CustomerMetadataProperties the step writes, from its arguments: every required argument
 * present, only known ones, each value a valid metadata value. The package must be a version of
 * the configured group, whatever the caller passes.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html
 */
export function lineageMetadata(
  config: RecordLineageConfig,
  event: unknown,
): { modelPackageArn: string; properties: Record<string, string> } {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const arn = e[MODEL_PACKAGE_ARGUMENT];
  const m = typeof arn === 'string' ? PACKAGE_ARN.exec(arn) : null;
  if (!m || m[1] !== config.groupName.toLowerCase()) {
    throw new RecordLineageRequestError(
      `${MODEL_PACKAGE_ARGUMENT}: is not a version of ${config.groupName} (got ${JSON.stringify(arn ?? null)}; expected arn:…:model-package/${config.groupName.toLowerCase()}/<n>)`,
    );
  }
  const problems: string[] = [];
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(e)) {
    if (name === MODEL_PACKAGE_ARGUMENT) continue;
    if (!(name in LINEAGE_METADATA_KEYS)) {
      problems.push(
        `${name}: is not a lineage argument (expected one of ${Object.keys(LINEAGE_METADATA_KEYS).join(', ')})`,
      );
      continue;
    }
    if (
      typeof value !== 'string' ||
      value === '' ||
      value.length > METADATA_VALUE_MAX_LENGTH ||
      !METADATA_VALUE_PATTERN.test(value)
    ) {
      problems.push(
        `${name}: is not a metadata value (got ${JSON.stringify(value).slice(0, 300)}; expected 1 to ${METADATA_VALUE_MAX_LENGTH} of letters, digits, spaces and _.:/=+-@)`,
      );
      continue;
    }
    properties[LINEAGE_METADATA_KEYS[name as LineageArgument]] = value;
  }
  for (const name of REQUIRED_ARGUMENTS)
    if (!(name in e)) problems.push(`${name}: is required (got nothing; expected its lineage value)`);
  if (Object.keys(properties).length > METADATA_MAX_ENTRIES)
    problems.push(`(arguments): more than ${METADATA_MAX_ENTRIES} entries`);
  if (problems.length > 0) throw new RecordLineageRequestError(problems.join('\n'));
  return { modelPackageArn: arn as string, properties };
}

/**
 * Records the lineage on the registered version with UpdateModelPackage. UpdateModelPackage
 * merges CustomerMetadataProperties into the existing ones (a key given replaces its value, the
 * others stay), so the review gate's `review:*` entries are kept; no approval status is sent, and
 * the role may not send one.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
 */
export async function recordLineage(
  clients: RecordLineageClients,
  config: RecordLineageConfig,
  event: unknown,
): Promise<RecordLineageResult & { modelPackageArn: string }> {
  const { modelPackageArn, properties } = lineageMetadata(config, event);
  await clients.sagemaker.send(
    new UpdateModelPackageCommand({
      ModelPackageArn: modelPackageArn,
      CustomerMetadataProperties: properties,
    }),
  );
  return { recorded: Object.keys(properties).length, modelPackageArn };
}
