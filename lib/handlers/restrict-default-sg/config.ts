import { envInt, type Env } from '../shared/env';
import { DEFAULTS, ENV } from './contract';

export { ConfigError } from '../shared/env';

/** The settings of one run, from the environment (every variable is optional). */
export interface RestrictConfig {
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/** Reads and checks the settings. */
export function parseConfig(env: Env): RestrictConfig {
  return {
    maxAttempts: envInt(env, ENV.maxAttempts, DEFAULTS.maxAttempts, 1, 10),
    connectionTimeoutMs: envInt(env, ENV.connectionTimeoutMs, DEFAULTS.connectionTimeoutMs, 1, 60_000),
    requestTimeoutMs: envInt(env, ENV.requestTimeoutMs, DEFAULTS.requestTimeoutMs, 1, 120_000),
  };
}
