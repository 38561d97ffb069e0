import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { AwsFakeError } from './errors';
import { pageOutput, PaginateOptions } from './paginate';
import { FaultPlan, randomFaultError } from './faults';
import { decodeJsonBody, jsonError, jsonSuccess, parseTarget } from './protocols/json';
import {
  EC2_QUERY_VERSIONS,
  ec2Error,
  ec2FaultError,
  ec2Success,
  isQueryRequest,
  parseEc2Query,
} from './protocols/ec2';
import {
  AWS_QUERY_VERSIONS,
  awsQueryError,
  awsQueryFaultError,
  awsQueryInput,
  awsQuerySuccess,
} from './protocols/query';
import { parseS3Request, s3Builtin, s3Error, s3Input, s3Operation, S3Store, toXml } from './protocols/s3';
import { RawResponse } from './protocols/types';
import { parseFeatureStoreRequest, restJsonError, restJsonSuccess } from './protocols/rest-json';
import {
  ClientConfigOptions,
  FailSpec,
  FakeCall,
  FakeClientConfig,
  FaultKind,
  FaultOptions,
  HandlerContext,
  OperationHandler,
  S3HandlerResult,
  ServiceName,
} from './types';

interface MutableCall {
  seq: number;
  service: ServiceName | 'unknown';
  operation: string;
  input: Record<string, unknown>;
  attempt: number;
  status: number;
  errorCode?: string;
  fault?: FaultKind;
}

/**
 * A loopback AWS endpoint for tests: SageMaker and KMS (AWS JSON 1.1), CloudWatch (AWS JSON 1.0),
 * EC2 (EC2 Query) and S3 (REST-XML, path-style) on `127.0.0.1:<ephemeral port>`, so handler code runs through
 * the real SDK v3 clients, their serializers, retry strategy and paginators.
 *
 * Create it with {@link startAwsFake}; close it in `afterAll`.
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export class AwsFake {
  /** `http://127.0.0.1:PORT`. */
  public readonly endpoint: string;
  /** In-memory S3 backing the built-in S3 operations; seed it with `fake.s3.putObject(...)`. */
  public readonly s3 = new S3Store();
  /** `service.operation` of every request that had no handler (answered `UnknownOperationException`). */
  public readonly unhandled: string[] = [];
  /** Errors thrown by handlers that were not `AwsFakeError`s (answered 400 `FakeHandlerError`). */
  public readonly handlerErrors: Error[] = [];

  private readonly server: Server;
  private readonly handlers = new Map<string, OperationHandler<never, unknown>>();
  private readonly plan = new FaultPlan();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly hangs = new Set<() => void>();
  private readonly callLog: MutableCall[] = [];
  private readonly received = new Set<string>();
  private seq = 0;
  private closed = false;

  /** @internal use {@link startAwsFake}. */
  constructor(server: Server) {
    this.server = server;
    const address = server.address() as AddressInfo;
    this.endpoint = `http://127.0.0.1:${address.port}`;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch((err: unknown) => {
        // A bug in the fake itself: answer something the SDK will not retry, and keep it visible.
        this.handlerErrors.push(err instanceof Error ? err : new Error(String(err)));
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end(`aws-fake internal error: ${String(err)}`);
        }
      });
    });
  }

  /** Every request received, in arrival order (each SDK retry is its own entry). */
  public get calls(): readonly FakeCall[] {
    return this.callLog;
  }

  /**
   * Registers the handler of one operation, replacing any earlier one.
   *
   * @param service `sagemaker`, `kms`, `cloudwatch`, `ec2` or `s3` (S3 handlers override the built-in store)
   * @param operation operation name as in the SDK command without `Command`, for example `ListEndpoints`
   * @param handler computes the response; see {@link OperationHandler}
   */
  public on<I = Record<string, unknown>, O = unknown>(
    service: ServiceName,
    operation: string,
    handler: OperationHandler<I, O>,
  ): this {
    this.handlers.set(key(service, operation), handler as OperationHandler<never, unknown>);
    return this;
  }

  /**
   * Registers a paginated list operation over a fixed list, for example
   * `fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', endpoints, { pageSize: 2 })`.
   *
   * @param service service name
   * @param operation list operation name
   * @param itemsField response member that holds the list
   * @param items the full list
   * @param options paging field names and page size (see `paginate`)
   */
  public seedList<T>(
    service: ServiceName,
    operation: string,
    itemsField: string,
    items: readonly T[],
    options: PaginateOptions = {},
  ): this {
    return this.on(service, operation, (input) => pageOutput(itemsField, items, input, options));
  }

  /**
   * Turns random faults on (or off with `fake.faults()`), replacing earlier settings and restarting
   * the seeded sequence.
   */
  public faults(options: FaultOptions = {}): this {
    this.plan.setRandom(options);
    return this;
  }

  /**
   * Scripts the next matching request(s) to fail (or be delayed, or be disconnected) before the
   * handler runs. Scripted faults queue in order and win over random faults.
   *
   * @param service service name
   * @param operation operation name, or `*` for any operation of the service
   * @param spec what to answer; see {@link FailSpec}
   */
  public failNext(service: ServiceName, operation: string, spec: FailSpec): this {
    this.plan.script(service, operation, spec);
    return this;
  }

  /**
   * How many requests (attempts, retries included) reached the fake for an operation, or for a
   * whole service when `operation` is omitted.
   */
  public count(service: ServiceName, operation?: string): number {
    return this.callLog.filter(
      (c) => c.service === service && (operation === undefined || c.operation === operation),
    ).length;
  }

  /** The recorded requests of one operation. */
  public callsTo(service: ServiceName, operation: string): FakeCall[] {
    return this.callLog.filter((c) => c.service === service && c.operation === operation);
  }

  /**
   * Every distinct `service.operation` received since the fake started, kept across `reset()` and
   * `clearCalls()`, so a test file can check, once, that a handler sends only the calls it declares
   * (and the authorization proof grants).
   */
  public operationsReceived(): string[] {
    return [...this.received].sort();
  }

  /** Forgets recorded calls, unhandled operations and handler errors; keeps handlers and data. */
  public clearCalls(): void {
    this.callLog.length = 0;
    this.unhandled.length = 0;
    this.handlerErrors.length = 0;
  }

  /**
   * Restores a fresh fake on the same port: no handlers, faults, scripted failures, calls or S3
   * data. Use in `beforeEach` when one fake serves a whole test file.
   */
  public reset(): void {
    this.clearCalls();
    this.handlers.clear();
    this.plan.clear();
    this.s3.clear();
  }

  /** Throws when any request hit an operation without a handler or a handler threw. */
  public assertAllHandled(): void {
    const problems = [
      ...this.unhandled.map((u) => `no handler for ${u}`),
      ...this.handlerErrors.map((e) => `handler threw: ${e.message}`),
    ];
    if (problems.length > 0) {
      throw new Error(`aws-fake:\n${problems.join('\n')}`);
    }
  }

  /**
   * SDK client configuration pointing at the fake: endpoint, region, static fake credentials,
   * `maxAttempts` and a retry strategy whose backoff is milliseconds, so the SDK's own retry
   * logic runs without slowing tests. Call it once per client (each strategy keeps its own
   * retry-token bucket, as in production).
   *
   * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
   */
  public clientConfig(options: ClientConfigOptions = {}): FakeClientConfig {
    const maxAttempts = options.maxAttempts ?? 8;
    const delay = options.retryDelayMs ?? 2;
    return {
      endpoint: this.endpoint,
      region: options.region ?? 'eu-west-1',
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
      maxAttempts,
      retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => delay),
      forcePathStyle: true,
      ...(options.requestTimeoutMs !== undefined
        ? { requestHandler: { requestTimeout: options.requestTimeoutMs, throwOnRequestTimeout: true } }
        : {}),
    };
  }

  /**
   * Environment variables that point SDK clients built with no configuration (`new KMSClient({})`,
   * typical at Lambda module scope) at the fake: `AWS_ENDPOINT_URL`, region, static credentials
   * and `AWS_MAX_ATTEMPTS`. S3 uses path-style on its own for an IP endpoint. Such clients keep the
   * SDK's default backoff (hundreds of milliseconds to seconds per retry), so prefer injecting a
   * client built from {@link clientConfig} when a test injects faults.
   *
   * @example vi.stubEnv for each entry, or `Object.assign(process.env, fake.env())` with cleanup.
   * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
   */
  public env(options: Pick<ClientConfigOptions, 'maxAttempts' | 'region'> = {}): Record<string, string> {
    const region = options.region ?? 'eu-west-1';
    return {
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'AKIAFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_MAX_ATTEMPTS: String(options.maxAttempts ?? 8),
    };
  }

  /** Stops listening, drops keep-alive connections and pending delayed responses. Idempotent. */
  public async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    // Release delayed responses now; they see `closed` and give up instead of answering.
    for (const [t, wake] of this.timers) {
      clearTimeout(t);
      wake();
    }
    this.timers.clear();
    for (const release of [...this.hangs]) release();
    await new Promise<void>((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      // Clients keep sockets alive; without this, close() waits for their idle timeout.
      this.server.closeAllConnections();
    });
    // The listening handle is released on the next turn of the event loop; wait for it so
    // leak checks right after close() see a clean process.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const requestId = `aws-fake-${++this.seq}`;
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      await this.onJson(req, res, body, target, requestId);
    } else if (isQueryRequest(req.method, req.headers['content-type'], body)) {
      const version = new URLSearchParams(body.toString('utf8')).get('Version') ?? '';
      if (AWS_QUERY_VERSIONS[version] !== undefined) await this.onAwsQuery(req, res, body, requestId);
      else await this.onEc2Query(req, res, body, requestId);
    } else if (parseFeatureStoreRequest(req.method ?? 'GET', req.url ?? '/')) {
      await this.onFeatureStore(req, res, requestId);
    } else {
      await this.onS3(req, res, body, requestId);
    }
  }

  private async onJson(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    targetHeader: string,
    requestId: string,
  ): Promise<void> {
    const target = parseTarget(targetHeader, req.headers['content-type']);
    const queryMode = req.headers['x-amzn-query-mode'] === 'true';
    const service = target.service ?? 'unknown';
    const call = this.record(service, target.operation, {}, req);
    const fail = (err: AwsFakeError): Promise<void> =>
      this.send(res, call, jsonError(target.version, err, requestId, queryMode), err.code);
    let input: Record<string, unknown>;
    try {
      // S3 keeps Content-Encoding as object metadata; the JSON services take compressed requests.
      const decoded = decodeJsonBody(decodeContent(body, req.headers['content-encoding']));
      input =
        typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded)
          ? (decoded as Record<string, unknown>)
          : {};
    } catch (err) {
      return fail(asAwsError(err));
    }
    call.input = input;
    if (target.service === undefined) {
      this.unhandled.push(`${target.prefix}.${target.operation}`);
      return fail(
        new AwsFakeError(
          400,
          'UnknownOperationException',
          `aws-fake: unknown X-Amz-Target prefix ${target.prefix} (${targetHeader})`,
        ),
      );
    }
    const svc = target.service;
    const fault = await this.injectFault(svc, target.operation, call, res);
    if (fault === 'handled') {
      return;
    }
    if (fault !== undefined) {
      return fail(fault);
    }
    const handler = this.handlers.get(key(svc, target.operation));
    if (handler === undefined) {
      this.unhandled.push(`${svc}.${target.operation}`);
      return fail(unknownOperation(svc, target.operation));
    }
    try {
      const output = await handler(input as never, this.context(svc, target.operation, call, req, requestId));
      return this.send(res, call, jsonSuccess(target.version, output, requestId));
    } catch (err) {
      return fail(this.handlerFailure(err));
    }
  }

  /** SageMaker Feature Store runtime (REST-JSON): the method and path name the operation. */
  private async onFeatureStore(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const parsed = parseFeatureStoreRequest(req.method ?? 'GET', req.url ?? '/');
    const operation = parsed?.operation ?? 'unknown';
    const call = this.record('featurestore', operation, parsed?.input ?? {}, req);
    const fail = (err: AwsFakeError): Promise<void> =>
      this.send(res, call, restJsonError(err, requestId), err.code);
    const fault = await this.injectFault('featurestore', operation, call, res);
    if (fault === 'handled') return;
    if (fault !== undefined) return fail(fault);
    const handler = this.handlers.get(key('featurestore', operation));
    if (handler === undefined) {
      this.unhandled.push(`featurestore.${operation}`);
      return fail(unknownOperation('featurestore', operation));
    }
    try {
      const output = await handler(
        (parsed?.input ?? {}) as never,
        this.context('featurestore', operation, call, req, requestId),
      );
      return this.send(res, call, restJsonSuccess(output, requestId));
    } catch (err) {
      return fail(this.handlerFailure(err));
    }
  }

  /** EC2 Query: form-encoded `Action=..&Version=..`, XML out; the version names the service. */
  private async onEc2Query(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    requestId: string,
  ): Promise<void> {
    const query = parseEc2Query(body);
    const service = EC2_QUERY_VERSIONS[query.version];
    const call = this.record(service ?? 'unknown', query.action, query.input, req);
    const fail = (err: AwsFakeError): Promise<void> =>
      this.send(res, call, ec2Error(err, requestId), err.code);
    if (service === undefined) {
      this.unhandled.push(`${query.version}.${query.action}`);
      return fail(
        new AwsFakeError(
          400,
          'UnknownOperationException',
          `aws-fake: unknown Query API version ${query.version}`,
        ),
      );
    }
    const fault = await this.injectFault(service, query.action, call, res);
    if (fault === 'handled') return;
    if (fault !== undefined) {
      return fail(call.fault === 'throttle' || call.fault === 'server' ? ec2FaultError(call.fault) : fault);
    }
    const handler = this.handlers.get(key(service, query.action));
    if (handler === undefined) {
      this.unhandled.push(`${service}.${query.action}`);
      return fail(unknownOperation(service, query.action));
    }
    try {
      const output = await handler(
        query.input as never,
        this.context(service, query.action, call, req, requestId),
      );
      return this.send(res, call, ec2Success(query.action, output, requestId));
    } catch (err) {
      return fail(this.handlerFailure(err));
    }
  }

  /** AWS Query (IAM): form-encoded `Action=..&Version=..`, XML out; the version names the service. */
  private async onAwsQuery(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    requestId: string,
  ): Promise<void> {
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action') ?? '';
    const { service, namespace } = AWS_QUERY_VERSIONS[params.get('Version') ?? '']!;
    params.delete('Action');
    params.delete('Version');
    const input = awsQueryInput(params);
    const call = this.record(service, action, input, req);
    const fail = (err: AwsFakeError): Promise<void> =>
      this.send(res, call, awsQueryError(err, namespace, requestId), err.code);
    const fault = await this.injectFault(service, action, call, res);
    if (fault === 'handled') return;
    if (fault !== undefined) {
      return fail(
        call.fault === 'throttle' || call.fault === 'server' ? awsQueryFaultError(call.fault) : fault,
      );
    }
    const handler = this.handlers.get(key(service, action));
    if (handler === undefined) {
      this.unhandled.push(`${service}.${action}`);
      return fail(unknownOperation(service, action));
    }
    try {
      const output = await handler(input as never, this.context(service, action, call, req, requestId));
      return this.send(res, call, awsQuerySuccess(action, namespace, output, requestId));
    } catch (err) {
      return fail(this.handlerFailure(err));
    }
  }

  private async onS3(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    requestId: string,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const s3req = parseS3Request(method, req.url ?? '/', req.headers, body);
    const operation = s3Operation(s3req);
    const call = this.record('s3', operation, {}, req);
    const fail = (err: AwsFakeError): Promise<void> =>
      this.send(res, call, s3Error(err, requestId, method), err.code);
    try {
      call.input = s3Input(operation, s3req);
    } catch (err) {
      return fail(asAwsError(err));
    }
    const fault = await this.injectFault('s3', operation, call, res);
    if (fault === 'handled') {
      return;
    }
    if (fault !== undefined) {
      return fail(fault);
    }
    const custom = this.handlers.get(key('s3', operation));
    try {
      if (custom !== undefined) {
        const result = (await custom(
          call.input as never,
          this.context('s3', operation, call, req, requestId),
        )) as S3HandlerResult | undefined;
        const root = result?.xml === undefined ? undefined : Object.entries(result.xml)[0];
        return this.send(res, call, {
          status: result?.status ?? 200,
          headers: {
            'x-amz-request-id': requestId,
            ...(root !== undefined ? { 'content-type': 'application/xml' } : {}),
            ...(result?.headers ?? {}),
          },
          body: root !== undefined ? toXml(root[0], root[1]) : result?.body,
        });
      }
      const builtin = s3Builtin(this.s3, operation, s3req, requestId);
      if (builtin === undefined) {
        this.unhandled.push(`s3.${operation}`);
        return fail(unknownOperation('s3', operation));
      }
      return this.send(res, call, builtin);
    } catch (err) {
      return fail(custom !== undefined ? this.handlerFailure(err) : asAwsError(err));
    }
  }

  /** Decides the injected fault of a request: an error to send, `'handled'` when already answered, or none. */
  private async injectFault(
    service: ServiceName,
    operation: string,
    call: MutableCall,
    res: ServerResponse,
  ): Promise<AwsFakeError | 'handled' | undefined> {
    const scripted = this.plan.takeScripted(service, operation);
    if (scripted !== undefined) {
      if (scripted.delayMs !== undefined && scripted.delayMs > 0) {
        await this.sleep(scripted.delayMs);
        if (res.destroyed || this.closed) {
          call.fault = 'scripted';
          return 'handled';
        }
      }
      if (scripted.hang === true) {
        call.fault = 'hang';
        await this.hangUntilClosed(res);
        return 'handled';
      }
      if (scripted.body !== undefined) {
        call.fault = 'scripted';
        await this.send(res, call, {
          status: scripted.status ?? 502,
          headers: { 'content-type': scripted.contentType ?? 'text/html' },
          body: scripted.body,
        });
        return 'handled';
      }
      if (scripted.disconnect === true) {
        call.fault = 'disconnect';
        res.socket?.destroy();
        return 'handled';
      }
      if (scripted.code !== undefined) {
        call.fault = 'scripted';
        return new AwsFakeError(
          scripted.status ?? 400,
          scripted.code,
          scripted.message ?? `${scripted.code} injected by aws-fake`,
          scripted.fields ?? {},
        );
      }
    }
    const kind = this.plan.roll(service, operation);
    if (kind === undefined) {
      return undefined;
    }
    call.fault = kind;
    return randomFaultError(kind, service);
  }

  private handlerFailure(err: unknown): AwsFakeError {
    if (err instanceof AwsFakeError) {
      return err;
    }
    const error = err instanceof Error ? err : new Error(String(err));
    this.handlerErrors.push(error);
    // 400 so the SDK does not retry a test bug eight times; the message names the cause.
    return new AwsFakeError(400, 'FakeHandlerError', `aws-fake handler threw: ${error.message}`);
  }

  private context(
    service: ServiceName,
    operation: string,
    call: MutableCall,
    req: IncomingMessage,
    requestId: string,
  ): HandlerContext {
    return { service, operation, attempt: call.attempt, requestId, headers: req.headers, fake: this };
  }

  private record(
    service: ServiceName | 'unknown',
    operation: string,
    input: Record<string, unknown>,
    req: IncomingMessage,
  ): MutableCall {
    const call: MutableCall = {
      seq: this.callLog.length + 1,
      service,
      operation,
      input,
      attempt: parseAttempt(req.headers['amz-sdk-request']),
      status: 0,
    };
    this.callLog.push(call);
    this.received.add(`${service}.${operation}`);
    return call;
  }

  private async send(
    res: ServerResponse,
    call: MutableCall,
    response: RawResponse,
    errorCode?: string,
  ): Promise<void> {
    call.status = response.status;
    if (errorCode !== undefined) {
      call.errorCode = errorCode;
    }
    if (res.destroyed || res.headersSent) {
      return;
    }
    const body =
      response.body === undefined
        ? Buffer.alloc(0)
        : Buffer.isBuffer(response.body)
          ? response.body
          : Buffer.from(response.body, 'utf8');
    const headers = { ...response.headers };
    if (headers['content-length'] === undefined) {
      headers['content-length'] = String(res.req.method === 'HEAD' ? 0 : body.length);
    }
    res.writeHead(response.status, headers);
    await new Promise<void>((resolve) =>
      res.end(res.req.method === 'HEAD' ? undefined : body, () => resolve()),
    );
  }

  /** Waits until the client drops the connection or the fake closes; never answers. */
  private hangUntilClosed(res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.hangs.delete(done);
        resolve();
      };
      this.hangs.add(done);
      res.once('close', done);
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }
}

function key(service: string, operation: string): string {
  return `${service}.${operation}`;
}

function unknownOperation(service: ServiceName, operation: string): AwsFakeError {
  return new AwsFakeError(
    400,
    'UnknownOperationException',
    `aws-fake: no handler for ${service}.${operation}; register one with fake.on('${service}', '${operation}', handler)`,
  );
}

function asAwsError(err: unknown): AwsFakeError {
  return err instanceof AwsFakeError
    ? err
    : new AwsFakeError(400, 'InvalidRequest', err instanceof Error ? err.message : String(err));
}

function parseAttempt(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /attempt=(\d+)/.exec(value ?? '');
  return match ? Number(match[1]) : 1;
}

/**
 * Undoes `Content-Encoding: gzip`, which the SDK applies to request bodies of 10 KiB and more for
 * operations that support request compression (CloudWatch `PutMetricData`).
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-compression.html
 */
function decodeContent(body: Buffer, encoding: string | string[] | undefined): Buffer {
  const codings = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? ''))
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  // Codings apply in the order listed, so undo them last to first.
  let out = body;
  for (const coding of [...codings].reverse()) {
    if (coding !== 'gzip') {
      throw new AwsFakeError(415, 'UnsupportedMediaType', `aws-fake: unsupported Content-Encoding ${coding}`);
    }
    try {
      out = gunzipSync(out);
    } catch (err) {
      throw new AwsFakeError(
        400,
        'SerializationException',
        `request body is not valid gzip (${(err as Error).message})`,
      );
    }
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Starts a fake on `127.0.0.1` with an ephemeral port. Start one per test file (`beforeAll`) and
 * `await fake.close()` in `afterAll`.
 *
 * @example
 * const fake = await startAwsFake();
 * fake.on('sagemaker', 'ListEndpoints', (input) => pageOutput('Endpoints', endpoints, input, { pageSize: 2 }));
 * const sm = new SageMakerClient(fake.clientConfig());
 */
export async function startAwsFake(): Promise<AwsFake> {
  const server = createServer();
  // Keep-alive sockets must not outlive a test file; close() also destroys them.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new AwsFake(server);
}
