import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { boundedClientConfig } from '../shared/http';
import { eventHandler } from '../shared/event-handler';
import type { Logger } from '../shared/log';
import { parseConfig, type ModelDocsConfig } from './config';
import { handleStateChange, type DocsResult, type ModelDocsClients } from './run';

/** The Lambda context members the handler uses. */
export interface HandlerContext {
  readonly awsRequestId?: string;
}

/** What the handler needs from outside; tests inject clients and the environment. */
export interface HandlerDeps {
  /** Builds the clients (once per configuration). */
  readonly clients: (config: ModelDocsConfig) => ModelDocsClients;
  /** @default process.env */
  readonly env?: Record<string, string | undefined>;
  /** @default jsonLogger */
  readonly log?: (correlationId: string) => Logger;
}

/**
 * The production clients: SDK v3 with the standard retry strategy (backoff with jitter) and
 * bounded connection/request/socket timeouts, so an endpoint that never answers fails the
 * invocation (Lambda retries it) instead of running into the function's timeout.
 */
export function defaultClients(config: ModelDocsConfig): ModelDocsClients {
  const common = boundedClientConfig(config.maxAttempts, config.requestTimeoutMs);
  return {
    sagemaker: new SageMakerClient(common),
    s3: new S3Client(common),
    cloudwatch: new CloudWatchClient(common),
  };
}

/**
 * Makes the handler: reads its settings from the environment (a malformed one throws, a
 * deployment error), then handles one EventBridge event. The Lambda request id is the correlation
 * id of every log line.
 */
export function createHandler(
  deps: HandlerDeps,
): (event?: unknown, context?: HandlerContext) => Promise<DocsResult> {
  return eventHandler(parseConfig, handleStateChange, 'model documentation result', deps);
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ clients: defaultClients });

export { parseConfig, ConfigError } from './config';
export type { ModelDocsConfig } from './config';
export type { DocsOutcome, DocsResult } from './run';
