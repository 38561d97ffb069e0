/** A fully formed HTTP response the fake writes back. */
export interface RawResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Response headers (lower-case names). */
  readonly headers: Record<string, string>;
  /**
   * Response body; HEAD responses and errors without a body use an empty buffer.
   * @default - empty body
   */
  readonly body?: Buffer | string;
}
