/** Error codes AWS services use for a request the caller's policy does not allow. */
const ACCESS_DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'NotAuthorized',
]);

/** Error codes for credentials the service rejects (expired, unknown or malformed). */
const BAD_CREDENTIAL_CODES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
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
  return code === 'CredentialsProviderError' || BAD_CREDENTIAL_CODES.has(code);
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

/** The message of any thrown value, one line. */
export function messageOf(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'object' && err !== null && typeof (err as ErrorLike).message === 'string' ? String((err as ErrorLike).message) : String(err);
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
