import { envPrefix, envRequired, envRetry, type Env } from '../shared/env';
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

/**
 * Reads the configuration.
 * @throws ConfigError when a variable is missing or malformed (a deployment error)
 */
export function parseConfig(env: Env): LegalHoldConfig {
  return {
    groupName: envRequired(env, ENV.groupName),
    datasetBucket: envRequired(env, ENV.datasetBucket),
    datasetsPrefix: envPrefix(env, ENV.datasetsPrefix, { emptyAllowed: true, fallback: '' }),
    manifestBucket: envRequired(env, ENV.manifestBucket),
    manifestPrefix: envPrefix(env, ENV.manifestPrefix, { emptyAllowed: true, fallback: '' }),
    ...envRetry(env, ENV),
  };
}
