/**
 * The HTTP options of every SDK client the handlers and the `audit` command build: a request
 * against an endpoint that accepts the connection and never answers (a stalled proxy, a
 * black-holed route, a VPC endpoint without a listener) must fail within a bounded time, so the
 * SDK's retry strategy can retry it and the run can end with a clear error instead of hanging
 * until the Lambda timeout (or forever, on a workstation).
 */

/** Options for the SDK's Node.js request handler (`NodeHttpHandler` of `@smithy/node-http-handler`). */
export interface BoundedHttpOptions {
  /** Milliseconds to establish the TCP (and TLS) connection. */
  readonly connectionTimeout: number;
  /** Milliseconds from sending the request to the response headers. */
  readonly requestTimeout: number;
  /** Milliseconds of inactivity on the socket, which also covers a response body that stalls. */
  readonly socketTimeout: number;
  /** Without it, the pinned handler only logs a warning when `requestTimeout` passes. */
  readonly throwOnRequestTimeout: true;
}

/** Longest wait for a connection: AWS endpoints accept within milliseconds when reachable. */
const CONNECTION_TIMEOUT_MS = 3000;

/**
 * The `requestHandler` option of an SDK client (`new SageMakerClient({ requestHandler: ... })`)
 * with connection, request and socket timeouts. Every timeout rejects the attempt with a
 * `TimeoutError`, which the standard retry strategy retries up to `maxAttempts`, so one call
 * waits at most about `maxAttempts × requestTimeoutMs` plus backoff.
 *
 * In `@smithy/node-http-handler` 4.x (pinned through the AWS SDK clients) `requestTimeout` alone
 * only logs a warning; `throwOnRequestTimeout: true` makes it reject the request.
 *
 * @param requestTimeoutMs milliseconds to wait for an answer (and the longest silence on the socket)
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html
 */
export function boundedHttpOptions(requestTimeoutMs: number): BoundedHttpOptions {
  return {
    connectionTimeout: Math.min(CONNECTION_TIMEOUT_MS, requestTimeoutMs),
    requestTimeout: requestTimeoutMs,
    socketTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

/** The common configuration of a handler's SDK clients: {@link boundedClientConfig}. */
export interface BoundedClientConfig {
  readonly maxAttempts: number;
  readonly retryMode: 'standard';
  readonly requestHandler: BoundedHttpOptions;
}

/**
 * The configuration every handler gives its SDK clients: the standard retry strategy (backoff with
 * jitter) with `maxAttempts`, and the bounded timeouts of {@link boundedHttpOptions}, so a stalled
 * request fails the run with a `TimeoutError` instead of running into the function's timeout.
 */
export function boundedClientConfig(maxAttempts: number, requestTimeoutMs: number): BoundedClientConfig {
  return { maxAttempts, retryMode: 'standard', requestHandler: boundedHttpOptions(requestTimeoutMs) };
}
