import type { Env } from './env';
import { jsonLogger, type Logger } from './log';

/** The Lambda context members a scheduled handler uses. */
export interface HandlerContext {
  readonly awsRequestId?: string;
  readonly getRemainingTimeInMillis?: () => number;
}

/** What one invocation hands its run: the correlation id, its logger, the clock and the time left. */
export interface RunInvocation {
  /** The Lambda request id: on every log line and in the result. */
  readonly correlationId: string;
  readonly log: Logger;
  /** @default - the current time */
  readonly now?: Date;
  /** Milliseconds left before the function times out. @default - no limit */
  readonly remainingTimeMs?: () => number;
}

/** What a scheduled handler needs from outside; tests inject clients, the environment and a clock. */
export interface ScheduledRunDeps<Config, Clients> {
  /** Builds the clients (once per configuration). */
  readonly clients: (config: Config) => Clients;
  /** @default process.env */
  readonly env?: Env;
  /** @default - the current time */
  readonly now?: () => Date;
  /** @default jsonLogger */
  readonly log?: (correlationId: string) => Logger;
}

/**
 * Makes a scheduled handler (drift, model quality). Every invocation reads its settings from the
 * environment (a malformed one throws: a deployment error) and runs once; the Lambda request id is
 * the correlation id of every log line and of the result. Clients are built once per retry
 * configuration and reused by warm invocations.
 */
export function scheduledRunHandler<
  Config extends { readonly maxAttempts: number; readonly requestTimeoutMs: number },
  Clients,
  Result,
>(
  parseConfig: (env: Env) => Config,
  run: (clients: Clients, config: Config, invocation: RunInvocation) => Promise<Result>,
  deps: ScheduledRunDeps<Config, Clients>,
): (event?: unknown, context?: HandlerContext) => Promise<Result> {
  let cached: { key: string; clients: Clients } | undefined;
  return async (_event, context) => {
    const correlationId = context?.awsRequestId ?? `local-${Date.now()}`;
    const log = (deps.log ?? jsonLogger)(correlationId);
    const config = parseConfig(deps.env ?? process.env);
    const key = `${config.maxAttempts}/${config.requestTimeoutMs}`;
    if (!cached || cached.key !== key) cached = { key, clients: deps.clients(config) };
    const remaining = context?.getRemainingTimeInMillis;
    return run(cached.clients, config, {
      correlationId,
      log,
      now: deps.now?.(),
      remainingTimeMs: remaining ? () => remaining.call(context) : undefined,
    });
  };
}
