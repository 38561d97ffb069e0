import { S3Client } from '@aws-sdk/client-s3';
import { boundedClientConfig } from '../shared/http';
import { jsonLogger, type Logger } from '../shared/log';
import { parseConfig, type FairnessCheckConfig } from './config';
import { runFairnessCheck, type FairnessCheckClients, type FairnessCheckResult } from './run';

/** The Lambda context members the handler uses. */
export interface HandlerContext {
  readonly awsRequestId?: string;
}

/** What the handler needs from outside; tests inject clients, the environment and a clock. */
export interface HandlerDeps {
  /** Builds the clients (once per configuration). */
  readonly clients: (config: FairnessCheckConfig) => FairnessCheckClients;
  /** @default process.env */
  readonly env?: Record<string, string | undefined>;
  /** @default - the current time */
  readonly now?: () => Date;
  /** @default jsonLogger */
  readonly log?: (correlationId: string) => Logger;
}

/**
 * The production clients: SDK v3 with the standard retry strategy (backoff with jitter, so
 * throttling is retried) and bounded request timeouts.
 */
export function defaultClients(config: FairnessCheckConfig): FairnessCheckClients {
  return { s3: new S3Client(boundedClientConfig(config.maxAttempts, config.requestTimeoutMs)) };
}

/**
 * Makes the handler the pipeline's `CheckFairness` Lambda step invokes: its event is the step's
 * `Arguments`, its result the step's output parameters (`crossed`, `reportUri`). Any error fails
 * the step, and with it the execution, before registration.
 */
export function createHandler(
  deps: HandlerDeps,
): (event?: unknown, context?: HandlerContext) => Promise<FairnessCheckResult> {
  let cached: { key: string; clients: FairnessCheckClients } | undefined;
  return async (event, context) => {
    const log = (deps.log ?? jsonLogger)(context?.awsRequestId ?? `local-${Date.now()}`);
    const config = parseConfig(deps.env ?? process.env);
    const key = `${config.maxAttempts}/${config.requestTimeoutMs}`;
    if (!cached || cached.key !== key) cached = { key, clients: deps.clients(config) };
    const { report, ...result } = await runFairnessCheck(cached.clients, config, event, deps.now?.());
    log.info('fairness check result', { ...result, crossedMetrics: report.summary.crossed.length });
    return result;
  };
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ clients: defaultClients });

export { parseConfig, ConfigError } from './config';
export type { FairnessCheckConfig } from './config';
export { parseRequest, runFairnessCheck, FairnessCheckRequestError } from './run';
export type { FairnessCheckResult } from './run';
