import { AwsFakeError } from '../errors';
import { RawResponse } from './types';

/** Services the fake routes by `X-Amz-Target` prefix, with the JSON protocol version each speaks. */
export const JSON_TARGETS = {
  SageMaker: { service: 'sagemaker', version: '1.1' },
  TrentService: { service: 'kms', version: '1.1' },
  GraniteServiceVersion20100801: { service: 'cloudwatch', version: '1.0' },
  AWSInsightsIndexService: { service: 'ce', version: '1.1' },
  AWSPriceListService: { service: 'pricing', version: '1.1' },
} as const;

/** Service names served over the AWS JSON protocols. */
export type JsonServiceName = (typeof JSON_TARGETS)[keyof typeof JSON_TARGETS]['service'];

/** A parsed `X-Amz-Target` header. */
export interface JsonTarget {
  /** Service name for a known prefix; `undefined` for a prefix the fake does not know. */
  readonly service?: JsonServiceName;
  /** Target prefix, for example `SageMaker`. */
  readonly prefix: string;
  /** Operation name, for example `ListEndpoints`. */
  readonly operation: string;
  /** JSON protocol version (`1.0` or `1.1`). */
  readonly version: '1.0' | '1.1';
}

/**
 * Parses `X-Amz-Target: <Prefix>.<Operation>`.
 *
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
export function parseTarget(header: string, contentType: string | undefined): JsonTarget {
  const dot = header.lastIndexOf('.');
  const prefix = dot >= 0 ? header.slice(0, dot) : header;
  const operation = dot >= 0 ? header.slice(dot + 1) : '';
  const known = (JSON_TARGETS as Record<string, { service: JsonServiceName; version: '1.0' | '1.1' }>)[
    prefix
  ];
  const version = known?.version ?? (contentType?.includes('1.0') ? '1.0' : '1.1');
  return { service: known?.service, prefix, operation, version };
}

/** Decodes a JSON request body; an empty body is `{}` as the SDK sends for operations without input. */
export function decodeJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') {
    return {};
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AwsFakeError(400, 'SerializationException', 'request body is not valid JSON');
  }
}

/**
 * Converts a handler's output to its JSON wire form: `Date` becomes epoch seconds (the JSON
 * protocols' timestamp format), binary becomes base64, `undefined` members are dropped.
 */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) {
    return value.getTime() / 1000;
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString('base64');
  }
  if (Array.isArray(value)) {
    return value.map(toWire);
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) {
        out[k] = toWire(v);
      }
    }
    return out;
  }
  return value;
}

/** A 200 response carrying `output`. */
export function jsonSuccess(version: '1.0' | '1.1', output: unknown, requestId: string): RawResponse {
  return {
    status: 200,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': requestId },
    body: JSON.stringify(toWire(output ?? {})),
  };
}

/**
 * An error response in the shape the SDK's JSON protocol parser reads: `__type` in the body and the
 * `x-amzn-errortype` header. Query-compatible services (CloudWatch sends `x-amzn-query-mode: true`)
 * also get `x-amzn-query-error: <Code>;<Sender|Receiver>`, which that parser prefers.
 */
export function jsonError(
  version: '1.0' | '1.1',
  err: AwsFakeError,
  requestId: string,
  queryMode: boolean,
): RawResponse {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': err.code,
  };
  if (queryMode) {
    headers['x-amzn-query-error'] = `${err.code};${err.status >= 500 ? 'Receiver' : 'Sender'}`;
  }
  return {
    status: err.status,
    headers,
    body: JSON.stringify(toWire({ ...err.fields, __type: err.code, message: err.message })),
  };
}
