import {
  ConfigError,
  envNumber,
  envPrefix,
  envRequired,
  envRetry,
  STREAMING_REQUEST_TIMEOUT,
  type Env,
} from '../shared/env';
import { ENV } from './contract';

export { ConfigError } from '../shared/env';

/** The step's settings, read from the environment the construct sets. */
export interface DatasetManifestConfig {
  readonly datasetBucket: string;
  /** Every version of the dataset (`<tier>/<dataset>/v`). */
  readonly datasetPrefix: string;
  /** The training channels, in order. */
  readonly channels: readonly string[];
  readonly manifestBucket: string;
  /** Ends in `/`. */
  readonly manifestPrefix: string;
  readonly manifestKeyArn: string;
  /** Third-party data: the provenance document's key relative to the version prefix. */
  readonly provenanceKey?: string;
  readonly maxBytes: number;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
}

const CHANNEL = /^[A-Za-z0-9.\-_]{1,64}$/;

/**
 * Reads the configuration.
 * @throws ConfigError when a variable is missing or malformed (a deployment error)
 */
export function parseConfig(env: Env): DatasetManifestConfig {
  const datasetPrefix = envPrefix(env, ENV.datasetPrefix, { folder: false });
  const manifestPrefix = envPrefix(env, ENV.manifestPrefix);
  const channels = envRequired(env, ENV.channels).split(',');
  if (!channels.every((c) => CHANNEL.test(c))) {
    throw new ConfigError(
      `${ENV.channels}: is not a channel list (got ${JSON.stringify(env[ENV.channels])}; expected comma-separated channel names)`,
    );
  }
  const provenanceKey = env[ENV.provenanceKey];
  if (
    provenanceKey !== undefined &&
    (provenanceKey === '' || provenanceKey.startsWith('/') || provenanceKey.split('/').includes('..'))
  ) {
    throw new ConfigError(
      `${ENV.provenanceKey}: is not a relative key (got ${JSON.stringify(provenanceKey)}; expected a key under the dataset version prefix)`,
    );
  }
  return {
    datasetBucket: envRequired(env, ENV.datasetBucket),
    datasetPrefix,
    channels,
    manifestBucket: envRequired(env, ENV.manifestBucket),
    manifestPrefix,
    manifestKeyArn: envRequired(env, ENV.manifestKeyArn),
    ...(provenanceKey !== undefined ? { provenanceKey } : {}),
    maxBytes: envNumber(env, ENV.maxBytes, 10 * 1024 ** 3, 1, 5 * 1024 ** 4, { integer: true }),
    ...envRetry(env, ENV, STREAMING_REQUEST_TIMEOUT),
  };
}
