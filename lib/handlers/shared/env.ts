/** A Lambda's environment, as the construct set it. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Thrown when the environment (or the event) is malformed: a deployment error, so the run fails
 * loudly before it calls any API. The message follows the props-validation format,
 * `<VARIABLE>: <problem> (got X; expected Y)`.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** How {@link envNumber} bounds a value. */
export interface NumberBounds {
  /** Only whole numbers. @default false */
  readonly integer?: boolean;
  /** `min` itself is refused (`> min` rather than `>= min`). @default false */
  readonly exclusiveMin?: boolean;
}

/**
 * A number from the environment, `fallback` when the variable is unset or empty.
 * @throws ConfigError when it is not a number between `min` and `max` (inclusive unless told)
 */
export function envNumber(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  bounds: NumberBounds = {},
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  const belowMin = bounds.exclusiveMin ? n <= min : n < min;
  if (!Number.isFinite(n) || belowMin || n > max || (bounds.integer && !Number.isInteger(n))) {
    const range = `${bounds.exclusiveMin ? '>' : '>='} ${min} and <= ${max}`;
    throw new ConfigError(
      `${name}: is out of range (got ${JSON.stringify(raw)}; expected ${bounds.integer ? 'an integer' : 'a number'} ${range})`,
    );
  }
  return n;
}

/** A whole number from the environment between `min` and `max` inclusive; see {@link envNumber}. */
export function envInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  return envNumber(env, name, fallback, min, max, { integer: true });
}

/**
 * A variable that must be set, as it is (not trimmed).
 *
 * The construct always sets these (bucket names, key ARNs, group names), so a missing one is a
 * deployment error, reported before any API call rather than as an SDK validation error later.
 * @throws ConfigError when it is unset, empty or only white space
 */
export function envRequired(env: Env, name: string): string {
  const v = env[name];
  if (v === undefined || v.trim() === '') {
    throw new ConfigError(
      `${name}: is required (got ${JSON.stringify(v ?? null)}; expected a non-empty string)`,
    );
  }
  return v;
}

/** How {@link envPrefix} reads a key prefix that must be set (see {@link envRequired}). */
export interface RequiredPrefixOptions {
  /** Only a set prefix. @default false */
  readonly emptyAllowed?: false;
  /**
   * The prefix must end in `/`. Without it, a prefix such as `<tier>/<dataset>/v` covers every
   * version (`v1/`, `v2/`, …), exactly what an `s3:prefix` grant on it covers.
   * @default true
   */
  readonly folder?: boolean;
}

/** How {@link envPrefix} reads a key prefix that may be `""` (the whole bucket). */
export interface EmptyAllowedPrefixOptions {
  /** `""` is a prefix; any other must end in `/`. */
  readonly emptyAllowed: true;
  /**
   * The prefix when the variable is unset (a variable set to `""` stays `""`).
   * @default - an unset variable is refused, like a malformed one
   */
  readonly fallback?: string;
}

/** How {@link envPrefix} reads a key prefix. */
export type PrefixOptions = RequiredPrefixOptions | EmptyAllowedPrefixOptions;

/**
 * An S3 key prefix from the environment, as it is.
 *
 * The handlers compare object keys against it to stay inside what their grants cover, so a
 * leading `/` (no S3 key starts with one) or a missing trailing `/` (`reports` also matches
 * `reports-old/`) is a deployment error, not something to repair silently.
 * @throws ConfigError when it is required and unset, empty or white space ({@link envRequired}),
 *   or when it starts with `/` or (a folder) does not end in `/`
 */
export function envPrefix(env: Env, name: string, options: PrefixOptions = {}): string {
  if (options.emptyAllowed) {
    const v = env[name] ?? options.fallback;
    if (v === undefined || (v !== '' && (!v.endsWith('/') || v.startsWith('/')))) {
      throw new ConfigError(
        `${name}: is not a key prefix (got ${JSON.stringify(v ?? null)}; expected "" or a prefix ending in "/" and not starting with "/")`,
      );
    }
    return v;
  }
  const folder = options.folder ?? true;
  const v = envRequired(env, name);
  if ((folder && !v.endsWith('/')) || v.startsWith('/')) {
    throw new ConfigError(
      `${name}: is not a key prefix (got ${JSON.stringify(v)}; expected a prefix ${folder ? 'ending in "/" and ' : ''}not starting with "/")`,
    );
  }
  return v;
}

/** The environment variables of a handler's retry settings (its `ENV` has both). */
export interface RetryEnvNames {
  readonly maxAttempts: string;
  readonly requestTimeoutMs: string;
}

/** How long one API request may take, in milliseconds: when unset, and at the most. */
export interface RequestTimeoutBounds {
  readonly fallbackMs: number;
  readonly maxMs: number;
}

/** Control-plane and small-object calls: 10 s each, at most 60 s. */
export const API_REQUEST_TIMEOUT: RequestTimeoutBounds = { fallbackMs: 10_000, maxMs: 60_000 };

/**
 * Steps that stream dataset objects from S3 (bias check, fairness check, dataset manifest): one
 * `GetObject` answer of a large object takes longer than a control-plane call, so 30 s each, at
 * most 300 s.
 */
export const STREAMING_REQUEST_TIMEOUT: RequestTimeoutBounds = { fallbackMs: 30_000, maxMs: 300_000 };

/** What {@link envRetry} reads: the SDK's attempts per request and each attempt's timeout. */
export interface RetrySettings {
  /** Attempts per API request (throttling and 5xx are retried with backoff by the SDK). */
  readonly maxAttempts: number;
  /** Milliseconds each API request may take before it fails with a `TimeoutError` and is retried. */
  readonly requestTimeoutMs: number;
}

/**
 * The retry settings of a handler's SDK clients: 8 attempts (1 to 20) and a request timeout of
 * `timeout` (at least 100 ms). One reader, so every handler bounds a stalled call the same way:
 * a call waits at most about `maxAttempts × requestTimeoutMs` plus backoff.
 * @throws ConfigError when either is not a whole number within its bounds (see {@link envInt})
 */
export function envRetry(
  env: Env,
  names: RetryEnvNames,
  timeout: RequestTimeoutBounds = API_REQUEST_TIMEOUT,
): RetrySettings {
  return {
    maxAttempts: envInt(env, names.maxAttempts, 8, 1, 20),
    requestTimeoutMs: envInt(env, names.requestTimeoutMs, timeout.fallbackMs, 100, timeout.maxMs),
  };
}
