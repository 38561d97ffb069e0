import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { boundedClientConfig } from '../shared/http';
import { scheduledRunHandler, type HandlerContext, type ScheduledRunDeps } from '../shared/scheduled-run';
import { parseConfig, type QualityConfig } from './config';
import {
  runQualityAnalysis,
  type QualityClients,
  type QualityRunContext,
  type QualityRunResult,
} from './run';

export type { HandlerContext } from '../shared/scheduled-run';

/** What the handler needs from outside; tests inject clients, the environment and a clock. */
export interface HandlerDeps extends ScheduledRunDeps<QualityConfig, QualityClients> {
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
  return {
    s3: new S3Client(common),
    cloudwatch: new CloudWatchClient(common),
    // Only a monitor with a package baseline calls SageMaker.
    ...(config.packageBaseline ? { sagemaker: new SageMakerClient(common) } : {}),
  };
}

/**
 * Makes the handler. Every run reads its settings from the environment (a malformed one throws: a
 * deployment error), evaluates the last window of ground truth and returns the run result; the
 * Lambda request id is the correlation id of every log line and of the result.
 */
export function createHandler(
  deps: HandlerDeps,
): (event?: unknown, context?: HandlerContext) => Promise<QualityRunResult> {
  return scheduledRunHandler(
    parseConfig,
    (clients, config: QualityConfig, invocation) =>
      runQualityAnalysis(clients, config, { ...invocation, extensions: deps.extensions }),
    deps,
  );
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ clients: defaultClients });

export { parseConfig, ConfigError } from './config';
export type { QualityConfig } from './config';
export type { QualityRunResult, QualityErrorReason } from './run';
