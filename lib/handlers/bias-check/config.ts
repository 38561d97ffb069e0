import {
  ConfigError,
  envPrefix,
  envRequired,
  envRetry,
  STREAMING_REQUEST_TIMEOUT,
  type Env,
} from '../shared/env';
import { ENV, type BiasCheckSpec } from './contract';

export { ConfigError } from '../shared/env';

/** The check's settings, read from the environment the construct sets. */
export interface BiasCheckConfig {
  readonly spec: BiasCheckSpec;
  readonly datasetBucket: string;
  /** The step may only read under it (`<tier>/<dataset>/v`: every version). */
  readonly datasetPrefix: string;
  readonly reportsBucket: string;
  /** Ends in `/`. */
  readonly reportsPrefix: string;
  readonly reportsKeyArn: string;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
}

function parseSpec(text: string): BiasCheckSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(
      `${ENV.spec}: is not JSON (got ${JSON.stringify(text.slice(0, 80))}; expected a bias check spec)`,
    );
  }
  const v = value as Partial<BiasCheckSpec> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    (v.format !== 'csv' && v.format !== 'jsonl') ||
    typeof v.label !== 'string' ||
    !Array.isArray(v.facets) ||
    v.facets.length === 0 ||
    !v.facets.every((f) => typeof f === 'string')
  ) {
    throw new ConfigError(
      `${ENV.spec}: is not a bias check spec (got ${JSON.stringify(text.slice(0, 80))}; expected {"format","label","facets":[...]})`,
    );
  }
  return v as BiasCheckSpec;
}

/**
 * Reads the configuration.
 * @throws ConfigError when a variable is missing or malformed (a deployment error)
 */
export function parseConfig(env: Env): BiasCheckConfig {
  return {
    spec: parseSpec(envRequired(env, ENV.spec)),
    datasetBucket: envRequired(env, ENV.datasetBucket),
    // Need not end in `/`: a `TieredDatasetBucket` names versions `<tier>/<dataset>/v<version>/`,
    // so the prefix of every version is `<tier>/<dataset>/v`, exactly what the read grant covers.
    datasetPrefix: envPrefix(env, ENV.datasetPrefix, { folder: false }),
    reportsBucket: envRequired(env, ENV.reportsBucket),
    reportsPrefix: envPrefix(env, ENV.reportsPrefix),
    reportsKeyArn: envRequired(env, ENV.reportsKeyArn),
    ...envRetry(env, ENV, STREAMING_REQUEST_TIMEOUT),
  };
}
