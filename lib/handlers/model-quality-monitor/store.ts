import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** The two bytes every gzip member starts with (RFC 1952, ID1 ID2). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Opens an object as a stream of text bytes, gunzipping it when its first two bytes are the gzip
 * magic number: ground-truth and capture files copied or exported as `.jsonl.gz` (or uploaded with
 * `Content-Encoding: gzip`, which S3 returns as stored and the SDK does not undo) read like plain
 * ones. Nothing is held whole: the body streams through zlib.
 *
 * @see https://www.rfc-editor.org/rfc/rfc1952#section-2.3.1
 */
export async function openText(s3: S3Client, bucket: string, key: string): Promise<Readable> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!out.Body) throw new Error(`s3://${bucket}/${key}: GetObject returned no body`);
  return gunzipIfGzip(out.Body as Readable);
}

/** The body itself, or its gunzipped content when it starts with the gzip magic number. */
export async function gunzipIfGzip(body: Readable): Promise<Readable> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = Buffer.concat(head);
  async function* rest(): AsyncGenerator<Buffer | string> {
    if (first.length > 0) yield first;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const source = Readable.from(rest(), { objectMode: false });
  if (first[0] !== GZIP_MAGIC[0] || first[1] !== GZIP_MAGIC[1]) return source;
  const out = new PassThrough();
  // A corrupt member fails the stream (and so the run) instead of yielding partial lines silently.
  pipeline(source, createGunzip(), out, (err) => {
    if (err) out.destroy(err);
  });
  return out;
}
