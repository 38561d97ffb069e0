import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { boundedClientConfig } from '../shared/http';
import { jsonLogger, type Logger } from '../shared/log';
import {
  parseConfig,
  recordLineage,
  type RecordLineageClients,
  type RecordLineageConfig,
  type RecordLineageResult,
} from './run';

/** The Lambda context members the handler uses. */
export interface HandlerContext {
  readonly awsRequestId?: string;
}

/** What the handler needs from outside; tests inject clients and the environment. */
export interface HandlerDeps {
  /** Builds the clients (once per configuration). */
  readonly clients: (config: RecordLineageConfig) => RecordLineageClients;
  /** @default process.env */
  readonly env?: Record<string, string | undefined>;
  /** @default jsonLogger */
  readonly log?: (correlationId: string) => Logger;
}

/** The production clients: SDK v3 with the standard retry strategy and bounded request timeouts. */
export function defaultClients(config: RecordLineageConfig): RecordLineageClients {
  return { sagemaker: new SageMakerClient(boundedClientConfig(config.maxAttempts, config.requestTimeoutMs)) };
}

/**
 * Makes the handler the pipeline's `RecordLineage` Lambda step invokes (after RegisterModel). Any
 * error fails the step, and the execution: a version without its lineage is visible as a failed run.
 */
export function createHandler(
  deps: HandlerDeps,
): (event?: unknown, context?: HandlerContext) => Promise<RecordLineageResult> {
  let cached: { key: string; clients: RecordLineageClients } | undefined;
  return async (event, context) => {
    const log = (deps.log ?? jsonLogger)(context?.awsRequestId ?? `local-${Date.now()}`);
    const config = parseConfig(deps.env ?? process.env);
    const key = `${config.maxAttempts}/${config.requestTimeoutMs}`;
    if (!cached || cached.key !== key) cached = { key, clients: deps.clients(config) };
    const { modelPackageArn, ...result } = await recordLineage(cached.clients, config, event);
    log.info('lineage recorded', { modelPackageArn, ...result });
    return result;
  };
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ clients: defaultClients });

export { lineageMetadata, parseConfig, recordLineage, RecordLineageRequestError } from './run';
export type { RecordLineageConfig, RecordLineageResult } from './run';
