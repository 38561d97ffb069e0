import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { parseConfig, SweepConfig } from './config';
import { boundedClientConfig } from '../shared/http';
import { jsonLogger, Logger } from '../shared/log';
import { summarizeReport, SweepReport } from './report';
import { sweep, SweepClients } from './sweep';

/** The Lambda context members the handler uses. */
export interface HandlerContext {
  readonly awsRequestId?: string;
}

/** What the handler needs from outside; tests inject clients and a clock. */
export interface HandlerDeps {
  /** Builds the clients once per run configuration. */
  readonly clients: (config: SweepConfig) => SweepClients;
  readonly env?: Record<string, string | undefined>;
  readonly now?: () => Date;
  readonly log?: (correlationId: string) => Logger;
}

/**
 * The production clients: SDK v3 with the standard retry strategy (backoff with jitter),
 * `maxAttempts`, and connection/request timeouts that throw, so a run against an endpoint that
 * never answers ends with `TimeoutError`s in its report (about `maxAttempts × requestTimeoutMs`
 * per call) well within the function's timeout.
 */
export function defaultClients(config: SweepConfig): SweepClients {
  const common = boundedClientConfig(config.maxAttempts, config.requestTimeoutMs);
  return { sagemaker: new SageMakerClient(common), cloudwatch: new CloudWatchClient(common) };
}

/**
 * Makes the handler: reads the run settings from the environment and the event, sweeps, logs the
 * full report and returns a summary of it (which the function's on-success destination sends to
 * the alert topic). A configuration error throws, so the run lands in the on-failure destination.
 */
export function createHandler(
  deps: HandlerDeps,
): (event: unknown, context?: HandlerContext) => Promise<SweepReport> {
  let cached: { key: string; clients: SweepClients } | undefined;
  return async (event, context) => {
    const correlationId = context?.awsRequestId ?? `local-${Date.now()}`;
    const log = (deps.log ?? jsonLogger)(correlationId);
    const config = parseConfig(deps.env ?? process.env, event);
    const key = `${config.maxAttempts}/${config.requestTimeoutMs}`;
    if (!cached || cached.key !== key) cached = { key, clients: deps.clients(config) };
    log.info('run started', {
      mode: config.mode,
      dryRun: config.dryRun,
      maxActionsPerRun: config.maxActionsPerRun,
      targets: config.targets,
    });
    const report = await sweep(cached.clients, config, { correlationId, log, now: deps.now?.() });
    log.info('run report', { report });
    return summarizeReport(report);
  };
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ clients: defaultClients });

export { parseConfig } from './config';
export type { SweepConfig, Mode } from './config';
export type { SweepReport, ActedEntry, SkippedEntry, FailedEntry } from './report';
