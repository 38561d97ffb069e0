import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { parseConfig, type DriftConfig } from './config';
import { boundedClientConfig } from '../shared/http';
import { jsonLogger, type Logger } from '../shared/log';
import { runDriftAnalysis, type DriftClients, type DriftRunResult } from './run';

/** The Lambda context members the handler uses. */
export interface HandlerContext {
  readonly awsRequestId?: string;
  readonly getRemainingTimeInMillis?: () => number;
}

/** What the handler needs from outside; tests inject clients, the environment and a clock. */
export interface HandlerDeps {
  /** Builds the clients (once per configuration). */
  readonly clients: (config: DriftConfig) => DriftClients;
  /** @default process.env */
  readonly env?: Record<string, string | undefined>;
  /** @default - the current time */
  readonly now?: () => Date;
  /** @default jsonLogger */
  readonly log?: (correlationId: string) => Logger;
}

/**
 * The production clients: SDK v3 with the standard retry strategy (backoff with jitter),
 * `maxAttempts`, and connection/request/socket timeouts that throw, so an endpoint that never
 * answers (or a capture object whose body stalls) fails the run with a `TimeoutError` after
 * about `maxAttempts × requestTimeoutMs` instead of running into the function's timeout.
 */
export function defaultClients(config: DriftConfig): DriftClients {
  const common = boundedClientConfig(config.maxAttempts, config.requestTimeoutMs);
  return { s3: new S3Client(common), cloudwatch: new CloudWatchClient(common) };
}

/**
 * Makes the handler. Every run reads its settings from the environment (a malformed one throws:
 * a deployment error), analyses the last window of data capture and returns the run result; the
 * Lambda request id is the correlation id of every log line, the report and the result.
 */
export function createHandler(
  deps: HandlerDeps,
): (event?: unknown, context?: HandlerContext) => Promise<DriftRunResult> {
  let cached: { key: string; clients: DriftClients } | undefined;
  return async (_event, context) => {
    const correlationId = context?.awsRequestId ?? `local-${Date.now()}`;
    const log = (deps.log ?? jsonLogger)(correlationId);
    const config = parseConfig(deps.env ?? process.env);
    const key = `${config.maxAttempts}/${config.requestTimeoutMs}`;
    if (!cached || cached.key !== key) cached = { key, clients: deps.clients(config) };
    const remaining = context?.getRemainingTimeInMillis;
    return runDriftAnalysis(cached.clients, config, {
      correlationId,
      log,
      now: deps.now?.(),
      remainingTimeMs: remaining ? () => remaining.call(context) : undefined,
    });
  };
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ clients: defaultClients });

export { parseConfig, ConfigError } from './config';
export type { DriftConfig } from './config';
export { AnalysisError } from './errors';
export type { AnalysisErrorReason } from './errors';
export type { DriftRunResult, DriftSummary } from './run';
