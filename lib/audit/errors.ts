/** Error codes AWS services use for a request the caller's policy does not allow. */
const ACCESS_DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'NotAuthorized',
]);

/**
 * Error codes for credentials the service rejects (expired, unknown, missing or malformed), with
 * and without the `Exception` suffix that JSON-protocol services add: each would fail every
 * request of the audit alike.
 *
 * @see https://docs.aws.amazon.com/emr/latest/APIReference/CommonErrors.html
 */
const BAD_CREDENTIAL_CODES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidClientTokenIdException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'RequestExpired',
  'InvalidAccessKeyId',
  'AuthFailure',
]);

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly Code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function codeOf(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const e = err as ErrorLike;
  return typeof e.name === 'string' ? e.name : typeof e.Code === 'string' ? e.Code : '';
}

/** True when the caller is not allowed to make the request (a 403 or an access-denied code). */
export function isAccessDenied(err: unknown): boolean {
  if (ACCESS_DENIED_CODES.has(codeOf(err))) return true;
  return typeof err === 'object' && err !== null && (err as ErrorLike).$metadata?.httpStatusCode === 403;
}

/**
 * True when no usable credentials were found or the service rejected them: the whole audit
 * stops with one line rather than one error per check.
 */
export function isCredentialsProblem(err: unknown): boolean {
  const code = codeOf(err);
  return (
    code === 'CredentialsProviderError' || code === 'TokenProviderError' || BAD_CREDENTIAL_CODES.has(code)
  );
}

/** Network error codes that mean the service endpoint cannot be reached at all. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * True when the service did not answer: a request, connection or socket timeout, or an endpoint
 * that cannot be reached, after the SDK's retries. The next requests would wait just as long, so
 * the audit stops with one line rather than timing out check after check.
 */
export function isUnreachable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return codeOf(err) === 'TimeoutError' || (typeof code === 'string' && UNREACHABLE_CODES.has(code));
}

/** True when the audit cannot go on: credentials are missing or rejected, or AWS does not answer. */
export function isFatal(err: unknown): boolean {
  return isCredentialsProblem(err) || isUnreachable(err);
}

/**
 * For an answer that is not an AWS error document (an HTML page from a proxy or load balancer, an
 * empty body), the SDK throws its parser's error (`SyntaxError`, or `Unknown`/`UnknownError`)
 * and keeps the status only in `$metadata`: say so with the status, which is what explains it.
 */
function nonAwsResponse(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as ErrorLike & { $response?: { headers?: Record<string, string | undefined> } };
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  const deserialization = e.name === 'SyntaxError' || message.includes('Deserialization error');
  const unknown = e.name === 'Unknown' && message === 'UnknownError';
  if (!deserialization && !unknown) return undefined;
  const type = e.$response?.headers?.['content-type'];
  const detail = unknown ? 'empty body' : message.split('\n')[0].trim();
  return `HTTP ${status}${type ? ` (${type})` : ''}, not an AWS error response: ${detail}`;
}

/** The message of any thrown value, one line. */
export function messageOf(err: unknown): string {
  const nonAws = nonAwsResponse(err);
  if (nonAws !== undefined) return nonAws;
  const raw =
    err instanceof Error
      ? err.message
      : typeof err === 'object' && err !== null && typeof (err as ErrorLike).message === 'string'
        ? String((err as ErrorLike).message)
        : String(err);
  const code = codeOf(err);
  const line = raw.split('\n')[0].trim();
  return code && !line.startsWith(code) && code !== 'Error' ? `${code}: ${line}` : line;
}

/** Raised when the audit cannot start or must stop: missing credentials, a bad option. */
export class AuditAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditAbort';
  }
}
