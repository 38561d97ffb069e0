import { DEFAULTS, ENV } from './constants';

/** The settings of one run, from the environment (every variable is optional). */
export interface RestrictConfig {
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/** Thrown when the environment is malformed: a deployment error. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function int(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `${name}: is out of range (got ${JSON.stringify(raw)}; expected an integer >= ${min} and <= ${max})`,
    );
  }
  return n;
}

/** Reads and checks the settings. */
export function parseConfig(env: Record<string, string | undefined>): RestrictConfig {
  return {
    maxAttempts: int(env, ENV.maxAttempts, DEFAULTS.maxAttempts, 1, 10),
    connectionTimeoutMs: int(env, ENV.connectionTimeoutMs, DEFAULTS.connectionTimeoutMs, 1, 60_000),
    requestTimeoutMs: int(env, ENV.requestTimeoutMs, DEFAULTS.requestTimeoutMs, 1, 120_000),
  };
}
