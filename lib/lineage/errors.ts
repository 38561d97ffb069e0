import { isAccessDenied, isFatal, messageOf } from '../audit/errors';

/** Why a link of the chain was not read. */
export type NotReadReason =
  /** The caller's policy does not allow the request (403 or an access-denied code). */
  | 'access denied'
  /** The resource or object does not exist (deleted, renamed, wrong account or region). */
  | 'missing'
  /** The object was read but does not follow its schema. */
  | 'invalid'
  /** Nothing names the next link (no model package, no training job reference). */
  | 'not recorded'
  /** Any other error the service answered. */
  | 'error';

/**
 * Raised when the lineage cannot be read at all: no credentials, rejected credentials, or AWS
 * does not answer (after the SDK's retries). The CLI prints it as one line and exits 2.
 */
export class LineageAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LineageAbort';
  }
}

function nameOf(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string'
    ? (err as { name: string }).name
    : '';
}

/**
 * Classifies an SDK error of one link. SageMaker answers a missing endpoint, endpoint config,
 * model or model package with `ValidationException` ("Could not find ...", "... does not exist"),
 * a missing training job with `ResourceNotFound`; S3 answers `NoSuchKey`/`NoSuchBucket` (or
 * `NotFound` without a body).
 * @throws LineageAbort for errors that would fail every further request alike
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/CommonErrors.html
 */
export function classifyError(err: unknown): { reason: NotReadReason; message: string } {
  if (isFatal(err)) throw new LineageAbort(messageOf(err));
  const message = messageOf(err);
  if (isAccessDenied(err)) return { reason: 'access denied', message };
  const name = nameOf(err);
  if (
    name === 'ResourceNotFound' ||
    name === 'NoSuchKey' ||
    name === 'NoSuchVersion' ||
    name === 'NoSuchBucket' ||
    name === 'NotFound' ||
    (name === 'ValidationException' && /could not find|does not exist|not found/i.test(message))
  ) {
    return { reason: 'missing', message };
  }
  return { reason: 'error', message };
}
