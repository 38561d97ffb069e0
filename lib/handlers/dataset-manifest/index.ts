import { S3Client } from '@aws-sdk/client-s3';
import { boundedClientConfig } from '../shared/http';
import { jsonLogger, type Logger } from '../shared/log';
import { parseConfig, type DatasetManifestConfig } from './config';
import { writeDatasetManifest, type DatasetManifestClients, type DatasetManifestResult } from './run';

/** The Lambda context members the handler uses. */
export interface HandlerContext {
  readonly awsRequestId?: string;
}

/** What the handler needs from outside; tests inject clients and the environment. */
export interface HandlerDeps {
  /** Builds the clients (once per configuration). */
  readonly clients: (config: DatasetManifestConfig) => DatasetManifestClients;
  /** @default process.env */
  readonly env?: Record<string, string | undefined>;
  /** @default jsonLogger */
  readonly log?: (correlationId: string) => Logger;
}

/** The production clients: SDK v3 with the standard retry strategy and bounded request timeouts. */
export function defaultClients(config: DatasetManifestConfig): DatasetManifestClients {
  return { s3: new S3Client(boundedClientConfig(config.maxAttempts, config.requestTimeoutMs)) };
}

/**
 * Makes the handler the pipeline's `WriteManifest` Lambda step invokes: its event is the step's
 * `Arguments`, its result the step's output parameters (`manifestUri`, `manifestSha256`). Any
 * error fails the step, and with it the execution, before training.
 */
export function createHandler(
  deps: HandlerDeps,
): (event?: unknown, context?: HandlerContext) => Promise<DatasetManifestResult> {
  let cached: { key: string; clients: DatasetManifestClients } | undefined;
  return async (event, context) => {
    const log = (deps.log ?? jsonLogger)(context?.awsRequestId ?? `local-${Date.now()}`);
    const config = parseConfig(deps.env ?? process.env);
    const key = `${config.maxAttempts}/${config.requestTimeoutMs}`;
    if (!cached || cached.key !== key) cached = { key, clients: deps.clients(config) };
    const { manifest, ...result } = await writeDatasetManifest(cached.clients, config, event);
    log.info('dataset manifest written', {
      ...result,
      objects: manifest.objects.length,
      provenanceRecords: manifest.provenance.length,
    });
    return result;
  };
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ clients: defaultClients });

export { parseConfig, ConfigError } from './config';
export type { DatasetManifestConfig } from './config';
export { parseRequest, writeDatasetManifest, DatasetManifestError } from './run';
export type { DatasetManifestResult } from './run';
