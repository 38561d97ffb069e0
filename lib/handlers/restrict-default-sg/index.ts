import { EC2Client } from '@aws-sdk/client-ec2';
import { jsonLogger, type Logger } from '../shared/log';
import { ConfigError, parseConfig, type RestrictConfig } from './config';
import { CREATE_FAILED_PHYSICAL_ID, DEFAULTS } from './contract';
import { applyRequest, type CustomResourceEvent, type Outcome } from './logic';
import { putResponse, redactUrl, renderResponse } from './response';

/** The Lambda context members the handler uses. */
export interface HandlerContext {
  readonly awsRequestId?: string;
  readonly getRemainingTimeInMillis?: () => number;
}

/** What the handler needs from outside; tests inject the client factory, environment and waits. */
export interface HandlerDeps {
  /** Builds the EC2 client (once per configuration). */
  readonly ec2: (config: RestrictConfig) => EC2Client;
  /** @default process.env */
  readonly env?: Record<string, string | undefined>;
  /** @default jsonLogger */
  readonly log?: (correlationId: string) => Logger;
  /**
   * URL schemes accepted for `ResponseURL`.
   * @default ['https:'] - CloudFormation always sends an HTTPS pre-signed S3 URL
   */
  readonly responseProtocols?: readonly string[];
  /** @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one invocation did (also what the handler returns, for tests and logs). */
export interface RunResult {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly outcome?: Outcome;
  readonly reason?: string;
}

/**
 * The production client: standard retries, and connection and request timeouts so that an EC2
 * endpoint that accepts a connection and never answers ends the run with a clear error.
 */
export function defaultEc2Client(config: RestrictConfig): EC2Client {
  return new EC2Client({
    maxAttempts: config.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: config.connectionTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}

const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes the handler of the `Custom::VpcRestrictDefaultSG` resource, invoked by CloudFormation
 * directly (no provider framework). It always answers CloudFormation through the pre-signed
 * `ResponseURL`: SUCCESS, or FAILED with the reason (also when the run would overrun the Lambda
 * timeout), so a stack never waits for the custom resource timeout. A failed Create answers a
 * marker physical id, so the rollback's Delete restores nothing.
 */
export function createHandler(
  deps: HandlerDeps,
): (event: CustomResourceEvent, context?: HandlerContext) => Promise<RunResult> {
  let cached: { key: string; client: EC2Client } | undefined;
  return async (event, context) => {
    const log = (deps.log ?? jsonLogger)(event.RequestId ?? context?.awsRequestId ?? `local-${Date.now()}`);
    log.info('request', {
      requestType: event.RequestType,
      logicalResourceId: event.LogicalResourceId,
      physicalResourceId: event.PhysicalResourceId,
      resourceProperties: event.ResourceProperties,
      oldResourceProperties: event.OldResourceProperties,
      responseUrl: redactUrl(event.ResponseURL),
    });
    let config: RestrictConfig = { ...DEFAULTS };
    let result: RunResult;
    try {
      config = parseConfig(deps.env ?? process.env);
      const key = JSON.stringify(config);
      if (!cached || cached.key !== key) cached = { key, client: deps.ec2(config) };
      const client = cached.client;
      const remaining = context?.getRemainingTimeInMillis?.call(context);
      const applied = await withDeadline(
        applyRequest(client, event),
        remaining === undefined ? undefined : remaining - DEFAULTS.responseReserveMs,
      );
      result = { status: 'SUCCESS', ...applied };
    } catch (err) {
      const reason = `${(err as Error).name}: ${(err as Error).message}`;
      const physicalResourceId =
        event.PhysicalResourceId ||
        (event.RequestType === 'Create' ? CREATE_FAILED_PHYSICAL_ID : event.RequestId);
      result = { status: 'FAILED', physicalResourceId, reason };
      log.error('request failed', { reason, configError: err instanceof ConfigError });
    }
    const body = renderResponse(event, result.status, result.physicalResourceId, result.reason);
    await putResponse(event.ResponseURL, body, {
      connectionTimeoutMs: config.connectionTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      attempts: DEFAULTS.responseAttempts,
      protocols: deps.responseProtocols ?? ['https:'],
      sleep: deps.sleep ?? sleepMs,
    });
    log.info('response sent', {
      status: result.status,
      physicalResourceId: result.physicalResourceId,
      outcome: result.outcome,
    });
    return result;
  };
}

/** Rejects when `work` is still running `ms` from now (no deadline when `ms` is undefined). */
async function withDeadline<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`did not finish before the Lambda timeout (${Math.max(0, ms)} ms left for the work)`),
        ),
      Math.max(0, ms),
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler({ ec2: defaultEc2Client });

export { parseConfig, ConfigError } from './config';
export type { RestrictConfig } from './config';
export type { CustomResourceEvent, Outcome } from './logic';
