import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { boundedClientConfig } from '../shared/http';
import { jsonLogger, type Logger } from '../shared/log';
import { parseConfig, type QualityConfig } from './config';
import {
  runQualityAnalysis,
  type QualityClients,
  type QualityRunContext,
  type QualityRunResult,
} from './run';

/** The Lambda context members the handler uses. */
export interface HandlerContext {
  readonly awsRequestId?: string;
  readonly getRemainingTimeInMillis?: () => number;
}

/** What the handler needs from outside; tests inject clients, the environment and a clock. */
export interface HandlerDeps {
  /** Builds the clients (once per configuration). */
  readonly clients: (config: QualityConfig) => QualityClients;
  /** @default process.env */
  readonly env?: Record<string, string | undefined>;
  /** @default - the current time */
  readonly now?: () => Date;
  /** @default jsonLogger */
  readonly log?: (correlationId: string) => Logger;
  /** Post-training metrics over the joined pairs (the fairness extension point). @default - none */
  readonly extensions?: QualityRunContext['extensions'];
}

/**
 * The production clients: SDK v3 with the standard retry strategy (backoff with jitter),
 * `maxAttempts`, and connection/request/socket timeouts that throw, so a stalled request fails
 * the run instead of running into the function's timeout.
 */
export function defaultClients(config: QualityConfig): QualityClients {
  const common = boundedClientConfig(config.maxAttempts, config.requestTimeoutMs);
  return { s3: new S3Client(common), cloudwatch: new CloudWatchClient(common) };
}

/**
 * Makes the handler. Every run reads its settings from the environment (a malformed one throws: a
 * deployment error), evaluates the last window of ground truth and returns the run result; the
 * Lambda request id is the correlation id of every log line and of the result.
 */
export function createHandler(
  deps: HandlerDeps,
): (event?: unknown, context?: HandlerContext) => Promise<QualityRunResult> {
  let cached: { key: string; clients: QualityClients } | undefined;
  return async (_event, context) => {
    const correlationId = context?.awsRequestId ?? `local-${Date.now()}`;
    const log = (deps.log ?? jsonLogger)(correlationId);
    const config = parseConfig(deps.env ?? process.env);
    const key = `${config.maxAttempts}/${config.requestTimeoutMs}`;
    if (!cached || cached.key !== key) cached = { key, clients: deps.clients(config) };
    const remaining = context?.getRemainingTimeInMillis;
    return runQualityAnalysis(cached.clients, config, {
      correlationId,
      log,
      now: deps.now?.(),
      remainingTimeMs: remaining ? () => remaining.call(context) : undefined,
      extensions: deps.extensions,
    });
  };
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ clients: defaultClients });

export { parseConfig, ConfigError } from './config';
export type { QualityConfig } from './config';
export type { QualityRunResult, QualityErrorReason } from './run';
