import { AwsFakeError } from '../errors';
import { xmlEscape } from './s3';
import { RawResponse } from './types';

/** API versions of the services the fake speaks over the EC2 Query protocol, by `Version` parameter. */
export const EC2_QUERY_VERSIONS: Readonly<Record<string, 'ec2'>> = { '2016-11-15': 'ec2' };

/** A decoded EC2 Query request: `Action`, `Version` and the other parameters as a nested object. */
export interface Ec2QueryRequest {
  /** Operation name, for example `RevokeSecurityGroupIngress`. */
  readonly action: string;
  /** API version the client sent. */
  readonly version: string;
  /** The parameters in wire form (see {@link decodeQueryParams}). */
  readonly input: Record<string, unknown>;
}

/**
 * True for a request in the AWS Query family: a form-encoded POST whose body names an `Action`.
 * S3's SDK requests never are (its POSTs carry XML or nothing), so this routes before S3.
 */
export function isQueryRequest(
  method: string | undefined,
  contentType: string | undefined,
  body: Buffer,
): boolean {
  return (
    method === 'POST' &&
    (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') &&
    new URLSearchParams(body.toString('utf8')).has('Action')
  );
}

/**
 * Decodes a form-encoded EC2 Query body. Dotted names become nested members and numbered
 * segments list items (1-based), keeping the wire names: the SDK's
 * `IpPermissions[0].UserIdGroupPairs[0].GroupId` arrives as `IpPermissions.1.Groups.1.GroupId`
 * and decodes to `{ IpPermissions: [{ Groups: [{ GroupId }] }] }`.
 *
 * @see https://smithy.io/2.0/aws/protocols/aws-ec2-query-protocol.html
 */
export function parseEc2Query(body: Buffer): Ec2QueryRequest {
  const params = new URLSearchParams(body.toString('utf8'));
  const action = params.get('Action') ?? '';
  const version = params.get('Version') ?? '';
  params.delete('Action');
  params.delete('Version');
  return { action, version, input: decodeQueryParams(params) };
}

/** Nests `a.1.b=v` parameters into `{ a: [{ b: 'v' }] }`; values stay strings, as on the wire. */
export function decodeQueryParams(params: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of params) {
    const path = name.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]);
      const slot: string | number =
        /^\d+$/.test(segment) && Array.isArray(node) ? Number(segment) - 1 : segment;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[slot] = value;
        return;
      }
      if (container[slot] === undefined) container[slot] = nextIsIndex ? [] : {};
      node = container[slot] as Record<string, unknown> | unknown[];
    });
  }
  return root;
}

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/**
 * A 200 response: `<{Action}Response xmlns=..><requestId/>...members</{Action}Response>`. Output is
 * the wire form: EC2's XML member names (`return`, `securityGroupRuleSet`), lists are arrays
 * (each item an `<item>` element), `Date` is ISO 8601, `undefined` is skipped.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
 */
export function ec2Success(action: string, output: unknown, requestId: string): RawResponse {
  const members = typeof output === 'object' && output !== null ? (output as Record<string, unknown>) : {};
  const inner = Object.entries(members)
    .map(([k, v]) => ec2Element(k, v))
    .join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}"><requestId>${requestId}</requestId>${inner}</${action}Response>`,
  };
}

function ec2Element(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => ec2Element('item', v)).join('')}</${name}>`;
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => ec2Element(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/**
 * An EC2 error response: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`,
 * from which the SDK names the exception (`InvalidPermission.NotFound` keeps its dotted name).
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 */
export function ec2Error(err: AwsFakeError, requestId: string): RawResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(err.code)}</Code>` +
      `<Message>${xmlEscape(err.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
  };
}

/**
 * EC2's own answers to the fake's random faults: throttling is 503 `RequestLimitExceeded`, a server
 * fault 500 `InternalError`.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export function ec2FaultError(kind: 'throttle' | 'server'): AwsFakeError {
  return kind === 'throttle'
    ? new AwsFakeError(503, 'RequestLimitExceeded', 'Request limit exceeded.')
    : new AwsFakeError(500, 'InternalError', 'An internal error has occurred.');
}
