import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { toLines } from '../drift/lines';
import { classifyError, type NotReadReason } from './errors';

/** One side (request or response) of a captured inference. */
export interface CapturedPayload {
  readonly contentType?: string;
  /** `CSV`, `JSON` or `BASE64`, as captured. */
  readonly encoding?: string;
  /** The payload as text (BASE64 payloads decoded as UTF-8). */
  readonly data: string;
}

/** A capture event whose `eventMetadata.inferenceId` is the one searched. */
export interface CaptureMatch {
  /** `s3://bucket/key` of the capture file. */
  readonly object: string;
  /** 1-based line in the (decompressed) file. */
  readonly line: number;
  readonly eventId?: string;
  readonly inferenceTime?: string;
  readonly request?: CapturedPayload;
  readonly response?: CapturedPayload;
}

/** Limits of one search, so a search over a large capture prefix ends in bounded time and memory. */
export interface CaptureSearchLimits {
  /** Capture objects read at most. @default 1000 */
  readonly maxObjects?: number;
  /** Bytes of one object (compressed and decompressed) at most; bigger ones are reported not read. @default 67108864 (64 MiB) */
  readonly maxObjectBytes?: number;
  /** Matches kept at most (an id reused by the caller can match many events). @default 10 */
  readonly maxMatches?: number;
  /** Keys per ListObjectsV2 page (S3 returns at most 1000). @default 1000 */
  readonly pageSize?: number;
}

/** The result of {@link findInference}. */
export interface CaptureSearch {
  readonly inferenceId: string;
  readonly capture: string;
  readonly matches: readonly CaptureMatch[];
  /** ListObjectsV2 pages followed. */
  readonly pages: number;
  /** Capture objects read. */
  readonly objectsRead: number;
  /** Whether a limit stopped the search before the end of the prefix. */
  readonly truncated: boolean;
  /** Objects (or the listing itself) that could not be read, with the reason. */
  readonly notRead: readonly {
    readonly object: string;
    readonly reason: NotReadReason;
    readonly detail: string;
  }[];
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

function payloadOf(side: unknown): CapturedPayload | undefined {
  if (typeof side !== 'object' || side === null) return undefined;
  const s = side as Record<string, unknown>;
  if (typeof s.data !== 'string') return undefined;
  const encoding = typeof s.encoding === 'string' ? s.encoding : undefined;
  const data = encoding?.toUpperCase() === 'BASE64' ? Buffer.from(s.data, 'base64').toString('utf8') : s.data;
  return {
    contentType: typeof s.observedContentType === 'string' ? s.observedContentType : undefined,
    encoding,
    data,
  };
}

/**
 * Finds the captured request and response of one inference id in SageMaker data capture JSON
 * lines under `s3://bucket/prefix`: follows every ListObjectsV2 page (keys ascending, i.e. by
 * hour), reads each object (gzip-compressed ones are recognised by their magic bytes, whatever
 * their key or Content-Encoding) and matches `eventMetadata.inferenceId`, the id a caller passes
 * as InvokeEndpoint's `InferenceId`. Lines are split by lib/drift's reader, the same one the
 * drift command reads capture with.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * @throws LineageAbort when credentials are missing or AWS does not answer
 */
export async function findInference(
  s3: S3Client,
  capture: { bucket: string; prefix: string },
  inferenceId: string,
  limits: CaptureSearchLimits = {},
): Promise<CaptureSearch> {
  const maxObjects = limits.maxObjects ?? 1000;
  const maxBytes = limits.maxObjectBytes ?? 64 * 1024 * 1024;
  const maxMatches = limits.maxMatches ?? 10;
  const uri = `s3://${capture.bucket}/${capture.prefix}`;
  const matches: CaptureMatch[] = [];
  const notRead: { object: string; reason: NotReadReason; detail: string }[] = [];
  let pages = 0;
  let objectsRead = 0;
  let truncated = false;
  let token: string | undefined;
  // JSON-escaped form too: the id appears inside the line as a JSON string.
  const needle = JSON.stringify(inferenceId).slice(1, -1);
  outer: do {
    let page;
    try {
      page = await s3.send(
        new ListObjectsV2Command({
          Bucket: capture.bucket,
          Prefix: capture.prefix,
          ContinuationToken: token,
          MaxKeys: limits.pageSize,
        }),
      );
    } catch (e) {
      const c = classifyError(e);
      notRead.push({ object: uri, reason: c.reason, detail: c.message });
      break;
    }
    pages++;
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined || o.Key.endsWith('/')) continue;
      if (objectsRead >= maxObjects || matches.length >= maxMatches) {
        truncated = true;
        break outer;
      }
      const object = `s3://${capture.bucket}/${o.Key}`;
      if ((o.Size ?? 0) > maxBytes) {
        notRead.push({ object, reason: 'error', detail: `larger than the ${maxBytes}-byte limit` });
        continue;
      }
      objectsRead++;
      let bytes: Uint8Array;
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: capture.bucket, Key: o.Key }));
        bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      } catch (e) {
        const c = classifyError(e);
        notRead.push({ object, reason: c.reason, detail: c.message });
        continue;
      }
      let text: string;
      if (bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1) {
        try {
          text = gunzipSync(bytes, { maxOutputLength: maxBytes }).toString('utf8');
        } catch (e) {
          notRead.push({ object, reason: 'invalid', detail: `gzip: ${(e as Error).message}` });
          continue;
        }
      } else {
        text = Buffer.from(bytes).toString('utf8');
      }
      let n = 0;
      for await (const line of toLines(text)) {
        n++;
        if (!line.includes(needle)) continue;
        let event: unknown;
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        const e = event as { eventMetadata?: Record<string, unknown>; captureData?: Record<string, unknown> };
        if (e.eventMetadata?.inferenceId !== inferenceId) continue;
        const md = e.eventMetadata;
        matches.push({
          object,
          line: n,
          eventId: typeof md.eventId === 'string' ? md.eventId : undefined,
          inferenceTime: typeof md.inferenceTime === 'string' ? md.inferenceTime : undefined,
          request: payloadOf(e.captureData?.endpointInput),
          response: payloadOf(e.captureData?.endpointOutput),
        });
        if (matches.length >= maxMatches) break;
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { inferenceId, capture: uri, matches, pages, objectsRead, truncated, notRead };
}
