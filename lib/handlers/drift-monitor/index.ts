import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { parseConfig, type DriftConfig } from './config';
import { boundedClientConfig } from '../shared/http';
import { scheduledRunHandler, type HandlerContext, type ScheduledRunDeps } from '../shared/scheduled-run';
import { runDriftAnalysis, type DriftClients, type DriftRunResult } from './run';

export type { HandlerContext } from '../shared/scheduled-run';

/** What the handler needs from outside; tests inject clients, the environment and a clock. */
export type HandlerDeps = ScheduledRunDeps<DriftConfig, DriftClients>;

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
  return scheduledRunHandler(parseConfig, runDriftAnalysis, deps);
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ clients: defaultClients });

export { parseConfig, ConfigError } from './config';
export type { DriftConfig } from './config';
export { AnalysisError } from './errors';
export type { AnalysisErrorReason } from './errors';
export type { DriftRunResult, DriftSummary } from './run';
