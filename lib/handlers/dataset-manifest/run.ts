import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DatasetManifestSchema,
  parseProvenanceDocument,
  unmatchedProvenance,
  type DatasetManifest,
  type DatasetObject,
  type ProvenanceRecord,
} from '../../lineage/manifest';
import type { DatasetManifestConfig } from './config';
import { ARGUMENTS, MANIFEST_FILE, OUTPUTS } from './contract';

/** The clients the step uses. */
export interface DatasetManifestClients {
  readonly s3: S3Client;
}

/** What the function returns to the Lambda step: one key per declared output parameter. */
export interface DatasetManifestResult {
  readonly [OUTPUTS.manifestUri]: string;
  readonly [OUTPUTS.manifestSha256]: string;
}

/** The step's arguments, checked. */
export interface DatasetManifestRequest {
  readonly bucket: string;
  /** The dataset version prefix, ending in `/`. */
  readonly versionPrefix: string;
  readonly executionId: string;
}

/**
 * The step cannot write a truthful manifest: a request outside the dataset, an empty channel, a
 * dataset over the size cap, an object that changed while it was read, or (third-party data) a
 * provenance record that is missing, invalid or does not match the data. The step fails, and the
 * execution with it, before training.
 */
export class DatasetManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetManifestError';
  }
}

const EXECUTION_ID = /^[A-Za-z0-9-]{1,128}$/;

/** Objects read at once. */
const READ_CONCURRENCY = 4;

/**
 * Checks the step's arguments: `datasetUri` must be `s3://<dataset bucket>/<dataset prefix>…/`,
 * whatever the caller passes; `executionId` becomes a key segment, so it is restricted to
 * SageMaker's id alphabet.
 */
export function parseRequest(config: DatasetManifestConfig, event: unknown): DatasetManifestRequest {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const uri = e[ARGUMENTS.datasetUri];
  const id = e[ARGUMENTS.executionId];
  const m = typeof uri === 'string' ? /^s3:\/\/([^/]+)\/(.*)$/.exec(uri) : null;
  if (
    !m ||
    m[1] !== config.datasetBucket ||
    !m[2].startsWith(config.datasetPrefix) ||
    !m[2].endsWith('/') ||
    m[2].split('/').includes('..')
  ) {
    throw new DatasetManifestError(
      `${ARGUMENTS.datasetUri}: is not a version of the dataset (got ${JSON.stringify(uri ?? null)}; expected s3://${config.datasetBucket}/${config.datasetPrefix}…/)`,
    );
  }
  if (typeof id !== 'string' || !EXECUTION_ID.test(id)) {
    throw new DatasetManifestError(
      `${ARGUMENTS.executionId}: is not a pipeline execution id (got ${JSON.stringify(id ?? null)}; expected 1 to 128 of [A-Za-z0-9-])`,
    );
  }
  return { bucket: m[1], versionPrefix: m[2], executionId: id };
}

/** Every object of a prefix with its listed size, all pages, folder markers skipped. */
async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? [])
      if (o.Key && !o.Key.endsWith('/')) out.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/**
 * Reads one object's current version, hashing it as it streams (memory stays one chunk), and
 * records the version id S3 answered with: the bytes hashed are exactly that version's. S3 sends
 * no version id for a bucket whose versioning was never enabled, and `null` for objects written
 * while it was suspended: both are `null` in the manifest.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
async function hashObject(s3: S3Client, bucket: string, key: string): Promise<DatasetObject> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of (out.Body as AsyncIterable<Uint8Array> | undefined) ?? []) {
    hash.update(chunk);
    size += chunk.length;
  }
  if (out.ContentLength !== undefined && out.ContentLength !== size) {
    throw new DatasetManifestError(
      `s3://${bucket}/${key}: read ${size} bytes of ${out.ContentLength} (the object changed or the read was cut short)`,
    );
  }
  const v = out.VersionId;
  return { key, versionId: v === undefined || v === 'null' ? null : v, size, sha256: hash.digest('hex') };
}

async function provenanceRecords(
  s3: S3Client,
  bucket: string,
  versionPrefix: string,
  provenanceKey: string,
  objects: readonly DatasetObject[],
): Promise<ProvenanceRecord[]> {
  const key = `${versionPrefix}${provenanceKey}`;
  const where = `s3://${bucket}/${key}`;
  let text: string;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await out.Body?.transformToString('utf-8')) ?? '';
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') {
      throw new DatasetManifestError(
        `third-party dataset without a provenance record: ${where} does not exist (training refused; store the supplier's record there)`,
      );
    }
    throw e;
  }
  const parsed = parseProvenanceDocument(text);
  if (!parsed.ok) {
    throw new DatasetManifestError(
      `invalid provenance record ${where} (training refused): ${parsed.problems.join('; ')}`,
    );
  }
  const unmatched = unmatchedProvenance(parsed.records, objects, versionPrefix);
  if (unmatched.length > 0) {
    const first = unmatched[0];
    throw new DatasetManifestError(
      `provenance record ${first.index} of ${where} (${first.record.source}) does not match the data (training refused): its checksum ${first.record.checksum.value} is neither the dataset digest nor the sha256 of one of its ${objects.length} object(s)`,
    );
  }
  return parsed.records;
}

/**
 * Writes the manifest of this execution's dataset version: lists every object of each training
 * channel (all pages), refuses a dataset above the size cap before reading any, hashes each
 * object's current version, checks the provenance of third-party data, validates the manifest
 * with `DatasetManifestSchema`, and writes it SSE-KMS to
 * `<manifestPrefix><executionId>/dataset-manifest.json`.
 * @throws DatasetManifestError (the step fails: no training without a manifest)
 */
export async function writeDatasetManifest(
  clients: DatasetManifestClients,
  config: DatasetManifestConfig,
  event: unknown,
): Promise<DatasetManifestResult & { manifest: DatasetManifest }> {
  const req = parseRequest(config, event);
  const listed: { key: string; size: number }[] = [];
  for (const channel of config.channels) {
    const prefix = `${req.versionPrefix}${channel}/`;
    const objects = await listObjects(clients.s3, req.bucket, prefix);
    if (objects.length === 0)
      throw new DatasetManifestError(
        `channel ${channel}: no object under s3://${req.bucket}/${prefix} (nothing to train on)`,
      );
    listed.push(...objects);
  }
  const total = listed.reduce((n, o) => n + o.size, 0);
  if (total > config.maxBytes) {
    throw new DatasetManifestError(
      `the dataset version holds ${total} bytes in ${listed.length} object(s), above the manifest's cap of ${config.maxBytes} bytes (raise lineage.maxDatasetSize, or split the dataset)`,
    );
  }
  // A few reads at a time: the step is network-bound; memory stays one chunk per read.
  const objects: DatasetObject[] = new Array<DatasetObject>(listed.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < listed.length) {
      const i = next++;
      objects[i] = await hashObject(clients.s3, req.bucket, listed[i].key);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, listed.length) }, worker));
  const provenance =
    config.provenanceKey === undefined
      ? []
      : await provenanceRecords(clients.s3, req.bucket, req.versionPrefix, config.provenanceKey, objects);
  // Validated before it is written: a reader parses it with the same schema.
  const manifest = DatasetManifestSchema.parse({ schemaVersion: 1, objects, provenance });
  const body = `${JSON.stringify(manifest, null, 2)}\n`;
  const sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
  const key = `${config.manifestPrefix}${req.executionId}/${MANIFEST_FILE}`;
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: config.manifestBucket,
      Key: key,
      Body: body,
      ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: config.manifestKeyArn,
    }),
  );
  return { manifestUri: `s3://${config.manifestBucket}/${key}`, manifestSha256: sha256, manifest };
}
