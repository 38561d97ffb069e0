/**
 * An AWS-style error that a fake handler throws (or a scripted fault produces) to make the fake
 * answer with that error on the wire, exactly as the service would.
 *
 * JSON services get `{"__type": code, "message": message}` plus the `x-amzn-errortype` header;
 * S3 gets an `<Error><Code>` XML document. The SDK turns it into its typed exception class when
 * the code names a modelled error (for example `ResourceNotFound` for SageMaker).
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export class AwsFakeError extends Error {
  /** HTTP status code of the response. */
  public readonly status: number;
  /** Error code, for example `ValidationException` or `NoSuchKey`. */
  public readonly code: string;
  /** Extra members copied into the error body (JSON) or `<Error>` element (S3). */
  public readonly fields: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, fields: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AwsFakeError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/**
 * Shorthand for `new AwsFakeError(...)` so handlers can write `throw awsError(400, 'ResourceNotFound', '...')`.
 *
 * @param status HTTP status (4xx client errors are not retried by the SDK; 500/502/503/504 are)
 * @param code error code as the service sends it
 * @param message human-readable message
 * @param fields extra members of the error structure
 */
export function awsError(
  status: number,
  code: string,
  message: string,
  fields: Record<string, unknown> = {},
): AwsFakeError {
  return new AwsFakeError(status, code, message, fields);
}
