import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { toLines } from '../../drift/lines';
import { analyzeBias, BiasInputError, type BiasReport } from '../../fairness';
import type { BiasCheckConfig } from './config';
import { ARGUMENTS, OUTPUTS, PRE_TRAINING_REPORT } from './contract';

/** The clients the check uses. */
export interface BiasCheckClients {
  readonly s3: S3Client;
}

/** What the function returns to the Lambda step: one key per declared output parameter. */
export interface BiasCheckResult {
  readonly [OUTPUTS.crossed]: boolean;
  readonly [OUTPUTS.reportUri]: string;
}

/** The step's arguments, checked. */
export interface BiasCheckRequest {
  readonly bucket: string;
  /** Ends in `/`. */
  readonly prefix: string;
  readonly executionId: string;
}

/** A request that is not the step's arguments, or names data outside the configured dataset. */
export class BiasCheckRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BiasCheckRequestError';
  }
}

const EXECUTION_ID = /^[A-Za-z0-9-]{1,128}$/;

/**
 * Checks the step's arguments: `datasetUri` must be `s3://<dataset bucket>/<dataset prefix>…/`,
 * so the function never reads (or reports on) anything but the configured dataset, whatever the
 * caller passes; `executionId` becomes a key segment, so it is restricted to SageMaker's id alphabet.
 */
export function parseRequest(config: BiasCheckConfig, event: unknown): BiasCheckRequest {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const uri = e[ARGUMENTS.datasetUri];
  const id = e[ARGUMENTS.executionId];
  const m = typeof uri === 'string' ? /^s3:\/\/([^/]+)\/(.*)$/.exec(uri) : null;
  if (
    !m ||
    m[1] !== config.datasetBucket ||
    !m[2].startsWith(config.datasetPrefix) ||
    !m[2].endsWith('/') ||
    m[2].includes('..')
  ) {
    throw new BiasCheckRequestError(
      `${ARGUMENTS.datasetUri}: is not a channel of the dataset (got ${JSON.stringify(uri ?? null)}; expected s3://${config.datasetBucket}/${config.datasetPrefix}…/)`,
    );
  }
  if (typeof id !== 'string' || !EXECUTION_ID.test(id)) {
    throw new BiasCheckRequestError(
      `${ARGUMENTS.executionId}: is not a pipeline execution id (got ${JSON.stringify(id ?? null)}; expected 1 to 128 of [A-Za-z0-9-])`,
    );
  }
  return { bucket: m[1], prefix: m[2], executionId: id };
}

/** The keys of the channel's data objects, in key order (folder markers skipped). */
async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/**
 * The bytes of a body, gunzipped when they start with the gzip magic number (1f 8b): channel
 * objects are often `.csv.gz`, and S3 serves them as stored.
 */
export async function* decodedBytes(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  let first = await it.next();
  // A first chunk of one byte cannot show the magic number: join it with the next.
  while (!first.done && first.value.length < 2) {
    const next = await it.next();
    if (next.done) break;
    first = { done: false, value: Buffer.concat([first.value, next.value]) };
  }
  if (first.done) return;
  const head = first.value;
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* all();
    return;
  }
  const gunzip = createGunzip();
  const pumping = pipeline(Readable.from(all()), gunzip);
  // A corrupt stream rejects `pumping` and destroys gunzip, which ends the loop with the error.
  pumping.catch(() => undefined);
  for await (const chunk of gunzip) yield chunk as Buffer;
  await pumping;
}

/**
 * The lines of every object, as one data set: CSV objects each carry the header row, which must
 * be the same in all of them and is passed on once.
 */
async function* channelText(
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
  format: 'csv' | 'jsonl',
): AsyncGenerator<string> {
  let header: string | undefined;
  for (const key of keys) {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = out.Body as AsyncIterable<Uint8Array> | undefined;
    if (!body) continue;
    let first = true;
    for await (const line of toLines(decodedBytes(body))) {
      if (format === 'csv' && first) {
        first = false;
        const h = line.replace(/^\uFEFF/, '');
        if (header === undefined) header = h;
        else if (h !== header)
          throw new BiasInputError(
            'badData',
            `${key}: its CSV header differs from the first object's header`,
          );
        else continue;
      }
      yield `${line}\n`;
    }
  }
}

/**
 * Runs the pre-training check: analyses every object of the channel prefix (streamed), writes the
 * report under `<reportsPrefix><executionId>/pre-training.json` (SSE-KMS with the artifact key),
 * and returns whether a metric threshold was crossed (flagged proxies are reported, not failing).
 * @throws BiasCheckRequestError, BiasInputError (the step fails: no training on unreadable data)
 */
export async function runBiasCheck(
  clients: BiasCheckClients,
  config: BiasCheckConfig,
  event: unknown,
  now: Date = new Date(),
): Promise<BiasCheckResult & { report: BiasReport }> {
  const req = parseRequest(config, event);
  const keys = await listKeys(clients.s3, req.bucket, req.prefix);
  if (keys.length === 0)
    throw new BiasInputError('emptyData', `no object under s3://${req.bucket}/${req.prefix}`);
  const { format, label, facets, group, failOn, proxyThreshold } = config.spec;
  const report = await analyzeBias(channelText(clients.s3, req.bucket, keys, format), {
    format,
    label,
    facets: [...facets],
    group,
    failOn,
    proxyThreshold,
    generatedAt: now.toISOString(),
  });
  const key = `${config.reportsPrefix}${req.executionId}/${PRE_TRAINING_REPORT}`;
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: config.reportsBucket,
      Key: key,
      Body: JSON.stringify(
        { ...report, source: { uri: `s3://${req.bucket}/${req.prefix}`, objects: keys } },
        null,
        2,
      ),
      ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: config.reportsKeyArn,
    }),
  );
  // Only the failOn metric thresholds hold training back; a flagged proxy is in the report for the
  // reviewer (BiasCheckOptions.proxyThreshold), as the post-training check treats it.
  return {
    crossed: report.summary.crossed.length > 0,
    reportUri: `s3://${config.reportsBucket}/${key}`,
    report,
  };
}
