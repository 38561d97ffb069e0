import { AwsFakeError } from '../errors';
import { decodeQueryParams } from './ec2';
import { xmlEscape } from './s3';
import { RawResponse } from './types';

/**
 * Services the fake speaks over the AWS Query protocol, by the `Version` parameter of the request,
 * with the XML namespace of their responses. EC2 Query (`2016-11-15`) is its own dialect, see ./ec2.ts.
 */
export const AWS_QUERY_VERSIONS: Readonly<Record<string, { service: 'iam'; namespace: string }>> = {
  '2010-05-08': { service: 'iam', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
};

/**
 * The input of an AWS Query request in the shape of the SDK's input: the form parameters nested as
 * in EC2 Query, and every `X.member.N` list collapsed into an array (`Names.member.1=a` is
 * `{ Names: ['a'] }`). Values stay strings, as on the wire.
 *
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
export function awsQueryInput(params: URLSearchParams): Record<string, unknown> {
  return collapseMembers(decodeQueryParams(params)) as Record<string, unknown>;
}

function collapseMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(collapseMembers);
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'member' && Array.isArray(o.member)) return collapseMembers(o.member);
  return Object.fromEntries(keys.map((k) => [k, collapseMembers(o[k])]));
}

/**
 * A 200 response: `<{Action}Response xmlns><{Action}Result>members</{Action}Result>
 * <ResponseMetadata><RequestId/></ResponseMetadata></{Action}Response>`. Output members keep the
 * SDK's names; lists are `<member>` items, `Date` is ISO 8601, booleans `true`/`false`, `undefined`
 * is skipped.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html (response example)
 */
export function awsQuerySuccess(
  action: string,
  namespace: string,
  output: unknown,
  requestId: string,
): RawResponse {
  const members = typeof output === 'object' && output !== null ? (output as Record<string, unknown>) : {};
  const inner = Object.entries(members)
    .map(([k, v]) => queryElement(k, v))
    .join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">` +
      `<${action}Result>${inner}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

function queryElement(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value))
    return `<${name}>${value.map((v) => queryElement('member', v)).join('')}</${name}>`;
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => queryElement(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/**
 * An AWS Query error: `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
 * <RequestId/></ErrorResponse>`, from which the SDK names the exception by its code.
 *
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization
 */
export function awsQueryError(err: AwsFakeError, namespace: string, requestId: string): RawResponse {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  return {
    status: err.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type>` +
      `<Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/**
 * IAM's answers to the fake's random faults: throttling is 400 `Throttling` (the SDK retries it),
 * a server fault 500 `ServiceFailure`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
 */
export function awsQueryFaultError(kind: 'throttle' | 'server'): AwsFakeError {
  return kind === 'throttle'
    ? new AwsFakeError(400, 'Throttling', 'Rate exceeded')
    : new AwsFakeError(
        500,
        'ServiceFailure',
        'The request processing has failed because of an unknown error.',
      );
}
