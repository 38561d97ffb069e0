import { envPrefix, envRequired, envRetry, type Env } from '../shared/env';
import { ENV } from './contract';

export { ConfigError } from '../shared/env';

/** The gate's settings, read from the environment the construct sets. */
export interface ReviewGateConfig {
  /** The model package group the gate guards; events of other groups are ignored. */
  readonly groupName: string;
  /** Bucket of the bias reports. */
  readonly reportsBucket: string;
  /** Empty or ending in `/`: a review's bias report must be an object under it. */
  readonly reportsPrefix: string;
  /** Attempts per API request (throttling and 5xx are retried with backoff by the SDK). */
  readonly maxAttempts: number;
  /** Milliseconds each API request may take before it fails with a `TimeoutError` and is retried. */
  readonly requestTimeoutMs: number;
}

/**
 * Reads the configuration.
 * @throws ConfigError when a variable is missing or malformed (a deployment error)
 */
export function parseConfig(env: Env): ReviewGateConfig {
  const reportsPrefix = envPrefix(env, ENV.reportsPrefix, { emptyAllowed: true, fallback: '' });
  return {
    groupName: envRequired(env, ENV.groupName),
    reportsBucket: envRequired(env, ENV.reportsBucket),
    reportsPrefix,
    ...envRetry(env, ENV),
  };
}
