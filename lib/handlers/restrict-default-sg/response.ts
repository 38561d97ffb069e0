import * as http from 'node:http';
import * as https from 'node:https';
import { MAX_RESPONSE_BYTES } from './contract';
import type { CustomResourceEvent } from './logic';

/**
 * The response document CloudFormation reads from the pre-signed URL.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}

/**
 * The response for a request, with `Reason` shortened so that the body stays within the
 * 4096 bytes CloudFormation accepts.
 */
export function renderResponse(
  event: CustomResourceEvent,
  status: 'SUCCESS' | 'FAILED',
  physicalResourceId: string,
  reason?: string,
): string {
  const base = {
    Status: status,
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  if (reason === undefined) return JSON.stringify(base satisfies CustomResourceResponse);
  let text = reason;
  for (;;) {
    const body = JSON.stringify({ ...base, Reason: text } satisfies CustomResourceResponse);
    if (Buffer.byteLength(body, 'utf8') <= MAX_RESPONSE_BYTES || text.length === 0) return body;
    const over = Buffer.byteLength(body, 'utf8') - MAX_RESPONSE_BYTES;
    text = `${text.slice(0, Math.max(0, text.length - over - 3))}...`;
  }
}

/** How the response is uploaded. */
export interface PutOptions {
  /** Milliseconds to connect; with `requestTimeoutMs`, bounds each attempt. */
  readonly connectionTimeoutMs: number;
  /** Milliseconds for the upload once connected. */
  readonly requestTimeoutMs: number;
  /** Attempts in all. */
  readonly attempts: number;
  /** URL schemes accepted (`https:` in production). */
  readonly protocols: readonly string[];
  /** Waits between attempts (tests pass a fast one). */
  readonly sleep: (ms: number) => Promise<void>;
}

/** The URL without its query (the signature): safe to log. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}?...`;
  } catch {
    return '(malformed URL)';
  }
}

/**
 * Uploads the response with `PUT` to the pre-signed URL, retrying with exponential backoff.
 * The URL is signed for an empty `Content-Type`, so none is sent. Throws after the last attempt:
 * the invocation then fails and Lambda's asynchronous retry runs the request again (every step
 * is idempotent).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html
 */
export async function putResponse(url: string, body: string, options: PutOptions): Promise<void> {
  const target = new URL(url);
  if (!options.protocols.includes(target.protocol)) {
    throw new Error(
      `ResponseURL: has an unexpected scheme (got ${JSON.stringify(target.protocol)}; expected ${options.protocols.join(' or ')})`,
    );
  }
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      await putOnce(target, body, options.connectionTimeoutMs + options.requestTimeoutMs);
      return;
    } catch (err) {
      if (attempt >= options.attempts) {
        throw new Error(
          `could not upload the response to ${redactUrl(url)} after ${attempt} attempts: ${(err as Error).message}`,
        );
      }
      await options.sleep(Math.floor(Math.random() * delay));
      delay *= 2;
    }
  }
}

function putOnce(target: URL, body: string, timeoutMs: number): Promise<void> {
  const client = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body, 'utf8') } },
      (res) => {
        res.resume();
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`HTTP ${status}`));
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}
