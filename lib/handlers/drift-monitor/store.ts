import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { parseBaseline, DriftInputError, type DriftBaseline } from '../../drift';
import { AnalysisError } from './errors';
import { inWindow, type AnalysisWindow } from './window';

/** One capture object to read. */
export interface CaptureObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/**
 * Lists the capture objects last modified inside the window under the given hour prefixes,
 * following every ListObjectsV2 page (1000 keys per page), sorted by key (= by time).
 */
export async function listCaptureObjects(
  s3: S3Client,
  bucket: string,
  prefixes: readonly string[],
  window: AnalysisWindow,
): Promise<{ objects: CaptureObject[]; listed: number; pages: number }> {
  const objects: CaptureObject[] = [];
  let listed = 0;
  let pages = 0;
  for (const prefix of prefixes) {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
      pages++;
      for (const o of page.Contents ?? []) {
        listed++;
        if (o.Key === undefined || o.Key.endsWith('/') || !inWindow(o.LastModified, window)) continue;
        objects.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified as Date });
      }
    }
  }
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { objects, listed, pages };
}

function errorName(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? (e as { name?: string }).name : undefined;
}

/**
 * Reads and checks the baseline.
 * @throws AnalysisError `missingBaseline` (no such key), `malformedBaseline` or `schemaMismatch`
 */
export async function readBaseline(
  s3: S3Client,
  bucket: string,
  key: string,
  expectedSchemaHash?: string,
): Promise<DriftBaseline> {
  let text: string;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await out.Body?.transformToString('utf-8')) ?? '';
  } catch (e) {
    if (errorName(e) === 'NoSuchKey' || errorName(e) === 'NotFound') {
      throw new AnalysisError('missingBaseline', `no baseline at s3://${bucket}/${key}`);
    }
    throw e;
  }
  try {
    return parseBaseline(text, { expectedSchemaHash });
  } catch (e) {
    if (e instanceof DriftInputError) {
      throw new AnalysisError(
        e.reason === 'schemaMismatch' ? 'schemaMismatch' : 'malformedBaseline',
        `baseline s3://${bucket}/${key}: ${e.message}`,
      );
    }
    throw e;
  }
}

/** Opens a capture object as a stream (read line by line, never held whole). */
export async function openCapture(s3: S3Client, bucket: string, key: string): Promise<Readable> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!out.Body) throw new Error(`s3://${bucket}/${key}: GetObject returned no body`);
  return out.Body as Readable;
}

/**
 * Writes a JSON document with SSE-KMS under the bucket's own key (the SecureBucket policy
 * rejects uploads under any other key or encryption type) and an S3 Bucket Key.
 */
export async function writeJson(
  s3: S3Client,
  bucket: string,
  key: string,
  kmsKeyId: string,
  document: unknown,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(document, null, 2)}\n`,
      ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: kmsKeyId,
      BucketKeyEnabled: true,
    }),
  );
}
