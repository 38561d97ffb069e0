import { ConfigError, envInt, type Env } from '../shared/env';
import { ENV } from './contract';

export { ConfigError } from '../shared/env';

/** The handler's settings, read from the environment the construct sets. */
export interface LegalHoldConfig {
  /** The model package group whose approved versions' data is held; other groups are ignored. */
  readonly groupName: string;
  /** The only bucket whose object versions may be held. */
  readonly datasetBucket: string;
  /** Empty or ending in `/`: only object versions under it may be held. */
  readonly datasetsPrefix: string;
  /** The bucket of the dataset manifests. */
  readonly manifestBucket: string;
  /** Empty or ending in `/`: a manifest elsewhere is refused. */
  readonly manifestPrefix: string;
  /** Attempts per API request (throttling and 5xx are retried with backoff by the SDK). */
  readonly maxAttempts: number;
  /** Milliseconds each API request may take before it fails and is retried. */
  readonly requestTimeoutMs: number;
}

function required(env: Env, name: string): string {
  const v = env[name];
  if (v === undefined || v.trim() === '') {
    throw new ConfigError(
      `${name}: is required (got ${JSON.stringify(v ?? null)}; expected a non-empty string)`,
    );
  }
  return v;
}

function prefix(env: Env, name: string): string {
  const v = env[name] ?? '';
  if (v !== '' && (!v.endsWith('/') || v.startsWith('/'))) {
    throw new ConfigError(
      `${name}: is not a key prefix (got ${JSON.stringify(v)}; expected "" or a prefix ending in "/" and not starting with "/")`,
    );
  }
  return v;
}

/**
 * Reads the configuration.
 * @throws ConfigError when a variable is missing or malformed (a deployment error)
 */
export function parseConfig(env: Env): LegalHoldConfig {
  return {
    groupName: required(env, ENV.groupName),
    datasetBucket: required(env, ENV.datasetBucket),
    datasetsPrefix: prefix(env, ENV.datasetsPrefix),
    manifestBucket: required(env, ENV.manifestBucket),
    manifestPrefix: prefix(env, ENV.manifestPrefix),
    maxAttempts: envInt(env, ENV.maxAttempts, 8, 1, 20),
    requestTimeoutMs: envInt(env, ENV.requestTimeoutMs, 10_000, 100, 60_000),
  };
}
