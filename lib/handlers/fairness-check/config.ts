import {
  ConfigError,
  envPrefix,
  envRequired,
  envRetry,
  STREAMING_REQUEST_TIMEOUT,
  type Env,
} from '../shared/env';
import { ENV, PREDICTIONS_FILE_PATTERN, type FairnessCheckSpec } from './contract';

export { ConfigError } from '../shared/env';

/** The check's settings, read from the environment the construct sets. */
export interface FairnessCheckConfig {
  readonly spec: FairnessCheckSpec;
  readonly evaluationBucket: string;
  /** Ends in `/`: `evaluation/<pipeline name>/`. */
  readonly evaluationPrefix: string;
  readonly reportsBucket: string;
  /** Ends in `/`. */
  readonly reportsPrefix: string;
  readonly reportsKeyArn: string;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
}

const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((f) => typeof f === 'string');

function parseSpec(text: string): FairnessCheckSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(
      `${ENV.spec}: is not JSON (got ${JSON.stringify(text.slice(0, 80))}; expected a fairness check spec)`,
    );
  }
  const v = value as Partial<FairnessCheckSpec> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    typeof v.predictionsFile !== 'string' ||
    !PREDICTIONS_FILE_PATTERN.test(v.predictionsFile) ||
    (v.format !== 'csv' && v.format !== 'jsonl') ||
    typeof v.label !== 'string' ||
    typeof v.prediction !== 'string' ||
    !isStrings(v.facets) ||
    typeof v.failOn !== 'object' ||
    v.failOn === null
  ) {
    throw new ConfigError(
      `${ENV.spec}: is not a fairness check spec (got ${JSON.stringify(text.slice(0, 80))}; expected {"predictionsFile","format","label","prediction","facets":[...],"failOn":{...}})`,
    );
  }
  return v as FairnessCheckSpec;
}

/**
 * Reads the configuration.
 * @throws ConfigError when a variable is missing or malformed (a deployment error)
 */
export function parseConfig(env: Env): FairnessCheckConfig {
  return {
    spec: parseSpec(envRequired(env, ENV.spec)),
    evaluationBucket: envRequired(env, ENV.evaluationBucket),
    evaluationPrefix: envPrefix(env, ENV.evaluationPrefix),
    reportsBucket: envRequired(env, ENV.reportsBucket),
    reportsPrefix: envPrefix(env, ENV.reportsPrefix),
    reportsKeyArn: envRequired(env, ENV.reportsKeyArn),
    ...envRetry(env, ENV, STREAMING_REQUEST_TIMEOUT),
  };
}
