import type { Env } from './env';
import { jsonLogger, type Logger } from './log';

/** The Lambda context members an event handler uses. */
export interface EventHandlerContext {
  readonly awsRequestId?: string;
}

/** What an event handler needs from outside; tests inject clients, the environment and a clock. */
export interface EventHandlerDeps<Config, Clients> {
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
 * Makes an EventBridge event handler (the review gate, legal holds, model documentation): every
 * invocation reads its settings from the environment (a malformed one throws: a deployment error)
 * and handles one event; the Lambda request id is the correlation id of every log line, and the
 * result is logged under `resultMessage`. Clients are built once per retry configuration and
 * reused by warm invocations.
 */
export function eventHandler<
  Config extends { readonly maxAttempts: number; readonly requestTimeoutMs: number },
  Clients,
  Result extends object,
>(
  parseConfig: (env: Env) => Config,
  handle: (
    clients: Clients,
    config: Config,
    event: unknown,
    o: { log: Logger; now?: Date },
  ) => Promise<Result>,
  resultMessage: string,
  deps: EventHandlerDeps<Config, Clients>,
): (event?: unknown, context?: EventHandlerContext) => Promise<Result> {
  let cached: { key: string; clients: Clients } | undefined;
  return async (event, context) => {
    const correlationId = context?.awsRequestId ?? `local-${Date.now()}`;
    const log = (deps.log ?? jsonLogger)(correlationId);
    const config = parseConfig(deps.env ?? process.env);
    const key = `${config.maxAttempts}/${config.requestTimeoutMs}`;
    if (!cached || cached.key !== key) cached = { key, clients: deps.clients(config) };
    const result = await handle(cached.clients, config, event, { log, now: deps.now?.() });
    log.info(resultMessage, Object.fromEntries(Object.entries(result)));
    return result;
  };
}
