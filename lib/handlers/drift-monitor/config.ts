import { ConfigError, envNumber, envPrefix, envRequired, envRetry, type Env } from '../shared/env';
import { DEFAULT_DRIFT_THRESHOLDS, DEFAULT_REPORT_PREFIX, DEFAULT_VARIANT_NAME, ENV } from './contract';

export { ConfigError } from '../shared/env';

/** The settings of one analysis run, read from the environment the construct sets. */
export interface DriftConfig {
  readonly endpointName: string;
  readonly variantName: string;
  /** Bucket SageMaker data capture writes to. */
  readonly captureBucket: string;
  /** The endpoint config's capture prefix (empty or ending in `/`); objects live under `<prefix><endpoint>/<variant>/yyyy/mm/dd/hh/`. */
  readonly capturePrefix: string;
  readonly baselineBucket: string;
  readonly baselineKey: string;
  /** When set, a baseline with another schema hash is an error. */
  readonly expectedSchemaHash?: string;
  readonly reportBucket: string;
  /** Empty or ending in `/`; reports go to `<prefix><endpoint>/<timestamp>.json`. */
  readonly reportPrefix: string;
  /** The report bucket's KMS key ARN (the bucket policy rejects any other key). */
  readonly reportKmsKeyId: string;
  /** How far back the run looks. */
  readonly windowMinutes: number;
  readonly psiThreshold: number;
  readonly pValue: number;
  readonly minSampleSize: number;
  /** Drifted share at or above which the run counts as drifted (the alarm uses the same value). */
  readonly driftedShareThreshold: number;
  /** Observed values kept per numeric feature for the KS test. */
  readonly observedSampleSize: number;
  /** Attempts per API request (throttling and 5xx are retried with backoff by the SDK). */
  readonly maxAttempts: number;
  /**
   * Milliseconds each API request may take (connection, answer, silence on the socket) before it
   * fails with a `TimeoutError` and is retried: an endpoint that never answers cannot hang the run.
   */
  readonly requestTimeoutMs: number;
}

/** Reads and checks the run settings. */
export function parseConfig(env: Env): DriftConfig {
  const expectedSchemaHash = env[ENV.expectedSchemaHash];
  if (
    expectedSchemaHash !== undefined &&
    expectedSchemaHash !== '' &&
    !/^sha256:[0-9a-f]{64}$/.test(expectedSchemaHash)
  ) {
    throw new ConfigError(
      `${ENV.expectedSchemaHash}: is not a schema hash (got ${JSON.stringify(expectedSchemaHash)}; expected sha256:<64 hex digits>)`,
    );
  }
  return {
    endpointName: envRequired(env, ENV.endpointName),
    variantName: env[ENV.variantName] || DEFAULT_VARIANT_NAME,
    captureBucket: envRequired(env, ENV.captureBucket),
    capturePrefix: envPrefix(env, ENV.capturePrefix, { emptyAllowed: true, fallback: '' }),
    baselineBucket: env[ENV.baselineBucket] || envRequired(env, ENV.captureBucket),
    baselineKey: envRequired(env, ENV.baselineKey),
    expectedSchemaHash: expectedSchemaHash || undefined,
    reportBucket: env[ENV.reportBucket] || envRequired(env, ENV.captureBucket),
    reportPrefix: envPrefix(env, ENV.reportPrefix, { emptyAllowed: true, fallback: DEFAULT_REPORT_PREFIX }),
    reportKmsKeyId: envRequired(env, ENV.reportKmsKeyId),
    windowMinutes: envNumber(env, ENV.windowMinutes, 60, 1, 7 * 24 * 60, { integer: true }),
    psiThreshold: envNumber(env, ENV.psiThreshold, DEFAULT_DRIFT_THRESHOLDS.psi, 0, 100, {
      exclusiveMin: true,
    }),
    pValue: envNumber(env, ENV.pValue, DEFAULT_DRIFT_THRESHOLDS.pValue, 0, 0.5, { exclusiveMin: true }),
    minSampleSize: envNumber(env, ENV.minSampleSize, DEFAULT_DRIFT_THRESHOLDS.minSampleSize, 1, 10_000_000, {
      integer: true,
    }),
    driftedShareThreshold: envNumber(
      env,
      ENV.driftedShareThreshold,
      DEFAULT_DRIFT_THRESHOLDS.driftedShare,
      0,
      1,
      {
        exclusiveMin: true,
      },
    ),
    observedSampleSize: envNumber(env, ENV.observedSampleSize, 100_000, 100, 1_000_000, { integer: true }),
    ...envRetry(env, ENV),
  };
}
