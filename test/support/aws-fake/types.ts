import type { IncomingHttpHeaders } from 'node:http';
import type { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { AwsFake } from './server';

/** Services the fake speaks. */
export type ServiceName =
  'sagemaker' | 'kms' | 'cloudwatch' | 's3' | 'ec2' | 'iam' | 'featurestore' | 'ce' | 'pricing';

/** What a handler learns about the request besides its input. */
export interface HandlerContext {
  /** Service the request was routed to. */
  readonly service: ServiceName;
  /** Operation name, for example `ListEndpoints`. */
  readonly operation: string;
  /** SDK attempt number from the `amz-sdk-request` header (1 for the first try, 2+ for retries). */
  readonly attempt: number;
  /** Request id the fake sends back (`x-amzn-requestid` / `x-amz-request-id`). */
  readonly requestId: string;
  /** Raw request headers (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** The fake itself, for handlers that read or change shared state (for example `fake.s3`). */
  readonly fake: AwsFake;
}

/**
 * Answers one operation. JSON services: `input` is the decoded request body (timestamps arrive as
 * epoch seconds, blobs as base64) and the return value is the response body (`Date` values are
 * sent as epoch seconds). S3: `input` is `{ Bucket, Key, ... }` and the return value is an
 * {@link S3HandlerResult}. Throw an `AwsFakeError` (see `awsError`) to answer with an AWS error.
 */
export type OperationHandler<I = Record<string, unknown>, O = unknown> = (
  input: I,
  ctx: HandlerContext,
) => O | Promise<O>;

/** A custom S3 handler's raw response. */
export interface S3HandlerResult {
  /**
   * HTTP status.
   * @default 200
   */
  readonly status?: number;
  /**
   * Response headers.
   * @default {}
   */
  readonly headers?: Record<string, string>;
  /**
   * Raw response body. Ignored when `xml` is set.
   * @default - empty
   */
  readonly body?: string | Buffer;
  /**
   * Response document as `{ RootElement: { ...members } }`, serialized with `toXml`
   * (arrays become repeated elements). Sets `content-type: application/xml`.
   * @default - `body` is sent as is
   */
  readonly xml?: Record<string, unknown>;
}

/** Random fault injection applied to every request before its handler runs. */
export interface FaultOptions {
  /**
   * Fraction of requests answered with throttling (JSON: 400 `ThrottlingException`, CloudWatch:
   * 400 `Throttling`, S3: 503 `SlowDown`).
   * @default 0
   */
  readonly throttleRate?: number;
  /**
   * Fraction of requests answered with a 500 (JSON: `InternalFailure`, S3: `InternalError`).
   * @default 0
   */
  readonly serverErrorRate?: number;
  /**
   * Seed of the pseudo-random sequence; the same seed and request order give the same faults.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Only these services get random faults.
   * @default - all services
   */
  readonly services?: readonly ServiceName[];
  /**
   * Only these operations get random faults.
   * @default - all operations
   */
  readonly operations?: readonly string[];
}

/** A scripted one-shot fault for {@link AwsFake.failNext}. */
export interface FailSpec {
  /**
   * HTTP status of the error.
   * @default 400
   */
  readonly status?: number;
  /**
   * Error code (`AccessDeniedException`, `ThrottlingException`, `NoSuchKey`, ...). Without a code
   * and without `disconnect`, the request is only delayed by `delayMs` and then served normally.
   * @default - no error
   */
  readonly code?: string;
  /**
   * Error message.
   * @default - '<code> injected by aws-fake'
   */
  readonly message?: string;
  /**
   * Extra members of the error structure.
   * @default {}
   */
  readonly fields?: Record<string, unknown>;
  /**
   * Wait this long before answering; with `clientConfig({ requestTimeoutMs })` below it, the SDK
   * times out and retries (a `TimeoutError`).
   * @default 0
   */
  readonly delayMs?: number;
  /**
   * Destroy the connection instead of answering (the SDK sees `ECONNRESET` and retries).
   * @default false
   */
  readonly disconnect?: boolean;
  /**
   * Accept the request and never answer (until the client gives up or the fake closes): an
   * endpoint behind a stalled proxy or a black-holed route. Only a client request timeout ends it.
   * @default false
   */
  readonly hang?: boolean;
  /**
   * Answer with this raw body instead of an AWS error document, with status `status` (default 502
   * here) and only a `content-type` header: what a proxy or load balancer in front of the service
   * sends (an HTML error page). Overrides `code`.
   * @default - an AWS error document
   */
  readonly body?: string;
  /**
   * Content type of `body`.
   * @default 'text/html'
   */
  readonly contentType?: string;
  /**
   * How many consecutive matching requests get this fault.
   * @default 1
   */
  readonly times?: number;
}

/** Why a request did not reach its handler. */
export type FaultKind = 'throttle' | 'server' | 'scripted' | 'disconnect' | 'hang';

/** One HTTP request the fake received (one SDK attempt). */
export interface FakeCall {
  /** Arrival order, from 1. */
  readonly seq: number;
  /** Routed service; `unknown` for an `X-Amz-Target` prefix the fake does not know. */
  readonly service: ServiceName | 'unknown';
  /** Operation name. */
  readonly operation: string;
  /** Decoded input (see {@link OperationHandler}). */
  readonly input: Record<string, unknown>;
  /** SDK attempt number from `amz-sdk-request` (1 = first try). */
  readonly attempt: number;
  /** Response status; 0 while in flight or when the connection was dropped. */
  readonly status: number;
  /** Error code sent back, if any. */
  readonly errorCode?: string;
  /** Injected fault, if any. */
  readonly fault?: FaultKind;
}

/** Options for {@link AwsFake.clientConfig}. */
export interface ClientConfigOptions {
  /**
   * Total attempts per SDK call (first try plus retries).
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * Backoff before each retry, in milliseconds (kept tiny so tests stay fast).
   * @default 2
   */
  readonly retryDelayMs?: number;
  /**
   * Request timeout of the SDK's HTTP handler (raised as a retryable `TimeoutError`); pair with
   * `failNext(..., { delayMs })` to exercise timeout retries.
   * @default - the SDK default (no timeout)
   */
  readonly requestTimeoutMs?: number;
  /**
   * Region the clients sign for.
   * @default 'eu-west-1'
   */
  readonly region?: string;
}

/** Configuration accepted by every AWS SDK v3 client constructor. */
export interface FakeClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly maxAttempts: number;
  readonly retryStrategy: ConfiguredRetryStrategy;
  /** Path-style S3 addressing (`http://127.0.0.1:PORT/bucket/key`); other clients ignore it. */
  readonly forcePathStyle: boolean;
  /** Present only when `requestTimeoutMs` is set: the SDK HTTP handler's timeout, thrown as `TimeoutError`. */
  readonly requestHandler?: { readonly requestTimeout: number; readonly throwOnRequestTimeout: boolean };
}
