import { createHash } from 'node:crypto';
import { AwsFakeError } from '../errors';
import { RawResponse } from './types';

/** One stored object. */
export interface S3Object {
  /** Object bytes. */
  readonly body: Buffer;
  /** `Content-Type` given at upload. */
  readonly contentType: string;
  /** User metadata (`x-amz-meta-*` without the prefix). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Quoted MD5 hex, as S3 returns for single-part uploads. */
  readonly etag: string;
  /** Upload time. */
  readonly lastModified: Date;
  /** Version id, in a bucket with versioning enabled ({@link S3Store.enableVersioning}). */
  readonly versionId?: string;
  /**
   * Stored SHA-256 checksum, base64 (a composite checksum of a multipart upload ends in `-<parts>`),
   * returned by GetObject/HeadObject with `x-amz-checksum-mode: ENABLED`.
   */
  readonly checksumSha256?: string;
}

/** Options for seeding an object. */
export interface PutObjectOptions {
  /**
   * Content type of the object.
   * @default 'application/octet-stream'
   */
  readonly contentType?: string;
  /**
   * User metadata.
   * @default {}
   */
  readonly metadata?: Record<string, string>;
  /**
   * Last-modified time.
   * @default - now
   */
  readonly lastModified?: Date;
  /**
   * Store a SHA-256 checksum with the object: `true` computes the full-object checksum of the
   * body; a string is stored as given (e.g. a composite `<base64>-3` of a multipart upload).
   * @default - no checksum stored
   */
  readonly checksumSha256?: boolean | string;
}

/**
 * The fake's in-memory S3: buckets of objects, served over REST-XML (path-style) and seeded or
 * inspected directly by tests.
 */
export class S3Store {
  private readonly buckets = new Map<string, Map<string, S3Object>>();
  /** Every version of every object, oldest first, in buckets with versioning enabled. */
  private readonly versions = new Map<string, Map<string, S3Object[]>>();
  private versionCounter = 0;

  /**
   * Turns versioning on for a bucket (creating it if needed): later uploads get a version id,
   * earlier versions stay readable with `VersionId`.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html
   */
  public enableVersioning(bucket: string): void {
    this.createBucket(bucket);
    if (!this.versions.has(bucket)) this.versions.set(bucket, new Map());
  }

  /** True when the bucket has versioning enabled. */
  public isVersioned(bucket: string): boolean {
    return this.versions.has(bucket);
  }

  /** One version of an object (`undefined` when the bucket, key or version does not exist). */
  public getObjectVersion(bucket: string, key: string, versionId: string): S3Object | undefined {
    return this.versions
      .get(bucket)
      ?.get(key)
      ?.find((o) => o.versionId === versionId);
  }

  /** Creates a bucket (idempotent). SDK requests to a bucket that does not exist get `NoSuchBucket`. */
  public createBucket(bucket: string): void {
    if (!this.buckets.has(bucket)) {
      this.buckets.set(bucket, new Map());
    }
  }

  /** True when the bucket exists. */
  public hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  /** Stores an object, creating the bucket if needed. */
  public putObject(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    options: PutObjectOptions = {},
  ): S3Object {
    this.createBucket(bucket);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    const obj: S3Object = {
      body: bytes,
      contentType: options.contentType ?? 'application/octet-stream',
      metadata: { ...(options.metadata ?? {}) },
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      lastModified: options.lastModified ?? new Date(),
      ...(this.versions.has(bucket)
        ? { versionId: `v${String(++this.versionCounter).padStart(6, '0')}.${key.length}` }
        : {}),
      ...(options.checksumSha256 === true
        ? { checksumSha256: createHash('sha256').update(bytes).digest('base64') }
        : typeof options.checksumSha256 === 'string'
          ? { checksumSha256: options.checksumSha256 }
          : {}),
    };
    this.buckets.get(bucket)?.set(key, obj);
    const history = this.versions.get(bucket);
    if (history) history.set(key, [...(history.get(key) ?? []), obj]);
    return obj;
  }

  /** The stored object, or `undefined`. */
  public getObject(bucket: string, key: string): S3Object | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** The stored object's body as UTF-8 text, or `undefined`. */
  public getText(bucket: string, key: string): string | undefined {
    return this.getObject(bucket, key)?.body.toString('utf8');
  }

  /** Deletes an object; true when it existed. */
  public deleteObject(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.delete(key) ?? false;
  }

  /** Keys of a bucket in S3 list order (UTF-8 binary order). */
  public keys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort(compareKeys);
  }

  /** Removes every bucket and object. */
  public clear(): void {
    this.buckets.clear();
    this.versions.clear();
  }

  /** Names of all buckets, sorted. */
  public bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }
}

function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A decoded path-style S3 request. */
export interface S3Request {
  /** HTTP method. */
  readonly method: string;
  /** Bucket name from the first path segment, if any. */
  readonly bucket?: string;
  /** Object key (decoded), if any. */
  readonly key?: string;
  /** Query string parameters. */
  readonly query: URLSearchParams;
  /** Request headers (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Raw request body (still `aws-chunked` encoded for streaming uploads). */
  readonly body: Buffer;
}

/** Splits a path-style URL into bucket and key. */
export function parseS3Request(
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): S3Request {
  const parsed = new URL(url, 'http://localhost');
  const path = parsed.pathname.replace(/^\//, '');
  const slash = path.indexOf('/');
  const bucketPart = slash >= 0 ? path.slice(0, slash) : path;
  const keyPart = slash >= 0 ? path.slice(slash + 1) : '';
  return {
    method,
    bucket: bucketPart === '' ? undefined : decodeURIComponent(bucketPart),
    key: keyPart === '' ? undefined : decodeURIComponent(keyPart),
    query: parsed.searchParams,
    headers,
    body,
  };
}

// Query parameters that are operation arguments rather than sub-resources.
const PLAIN_QUERY_PARAMS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
  'marker',
  'versionId',
  'partNumber',
  // Query authentication of pre-signed URLs (SigV2 style; SigV4 uses X-Amz-*).
  'AWSAccessKeyId',
  'Expires',
  'Signature',
]);

/**
 * Names the S3 operation of a request. The SDK adds `x-id=<Operation>` to many requests; the rest
 * are recognised by method, path shape and sub-resource query parameters.
 */
export function s3Operation(req: S3Request): string {
  const xid = req.query.get('x-id');
  if (xid) {
    return xid;
  }
  const subresources = [...req.query.keys()].filter(
    (k) => !k.toLowerCase().startsWith('x-') && !k.startsWith('response-') && !PLAIN_QUERY_PARAMS.has(k),
  );
  const sub = subresources.length > 0 ? subresources[0] : undefined;
  if (req.bucket === undefined) {
    return req.method === 'GET' ? 'ListBuckets' : `${req.method}Service`;
  }
  if (req.key === undefined) {
    if (sub !== undefined) {
      return subresourceOperation(req.method, 'bucket', sub);
    }
    switch (req.method) {
      case 'GET':
        return req.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      case 'HEAD':
        return 'HeadBucket';
      case 'PUT':
        return 'CreateBucket';
      case 'DELETE':
        return 'DeleteBucket';
      default:
        return `${req.method}Bucket`;
    }
  }
  if (sub !== undefined) {
    return subresourceOperation(req.method, 'object', sub);
  }
  switch (req.method) {
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      return header(req, 'x-amz-copy-source') !== undefined ? 'CopyObject' : 'PutObject';
    case 'DELETE':
      return 'DeleteObject';
    default:
      return `${req.method}Object`;
  }
}

const VERBS: Record<string, string> = {
  GET: 'Get',
  PUT: 'Put',
  DELETE: 'Delete',
  POST: 'Post',
  HEAD: 'Head',
};

// Sub-resources whose operation names do not follow `<Verb>Bucket<Subresource>`.
const BUCKET_SUBRESOURCES: Record<string, string> = {
  publicAccessBlock: 'PublicAccessBlock',
  lifecycle: 'BucketLifecycleConfiguration',
  notification: 'BucketNotificationConfiguration',
  'object-lock': 'ObjectLockConfiguration',
  intelligentTiering: 'BucketIntelligentTieringConfiguration',
  analytics: 'BucketAnalyticsConfiguration',
  metrics: 'BucketMetricsConfiguration',
  inventory: 'BucketInventoryConfiguration',
};

/**
 * Names an operation on a bucket or object sub-resource (`GET /b/?encryption` is
 * `GetBucketEncryption`, `GET /b/k?tagging` is `GetObjectTagging`, `POST /b/?delete` is
 * `DeleteObjects`), so `fake.on('s3', 'GetBucketEncryption', ...)` can serve it.
 */
function subresourceOperation(method: string, level: 'bucket' | 'object', sub: string): string {
  const verb = VERBS[method] ?? method;
  if (level === 'bucket' && method === 'POST' && sub === 'delete') return 'DeleteObjects';
  if (level === 'object' && method === 'POST' && sub === 'uploads') return 'CreateMultipartUpload';
  if (level === 'object' && sub === 'uploadId') {
    return method === 'PUT'
      ? 'UploadPart'
      : method === 'POST'
        ? 'CompleteMultipartUpload'
        : method === 'DELETE'
          ? 'AbortMultipartUpload'
          : 'ListParts';
  }
  const camel = sub.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  const upper = camel.charAt(0).toUpperCase() + camel.slice(1);
  if (level === 'bucket') {
    return `${verb}${BUCKET_SUBRESOURCES[sub] ?? `Bucket${upper}`}`;
  }
  return `${verb}Object${upper}`;
}

function header(req: S3Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The request as the SDK input it came from (`Bucket`, `Key`, list parameters, `Body` for uploads),
 * for `fake.calls` and custom S3 handlers.
 */
export function s3Input(operation: string, req: S3Request): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (req.bucket !== undefined) input.Bucket = req.bucket;
  if (req.key !== undefined) input.Key = req.key;
  const q = (name: string, field: string): void => {
    const v = req.query.get(name);
    if (v !== null) input[field] = v;
  };
  if (operation === 'ListObjectsV2' || operation === 'ListObjects') {
    q('prefix', 'Prefix');
    q('delimiter', 'Delimiter');
    q('continuation-token', 'ContinuationToken');
    q('start-after', 'StartAfter');
    q('marker', 'Marker');
    const maxKeys = req.query.get('max-keys');
    if (maxKeys !== null) input.MaxKeys = Number(maxKeys);
  }
  // The object version an operation targets (legal holds, tagging, GetObject of a version), so a
  // handler registered with `on` can keep per-version state.
  q('versionId', 'VersionId');
  if (operation === 'PutObjectLegalHold') {
    const status = /<Status>([^<]*)<\/Status>/.exec(decodeUploadBody(req).toString('utf8'));
    if (status !== null) input.LegalHold = { Status: status[1] };
  }
  if (operation === 'GetObject' || operation === 'HeadObject') {
    const mode = header(req, 'x-amz-checksum-mode');
    if (mode !== undefined) input.ChecksumMode = mode;
  }
  if (operation === 'PutObject') {
    input.Body = decodeUploadBody(req);
    const ct = header(req, 'content-type');
    if (ct !== undefined) input.ContentType = ct;
    const meta = userMetadata(req);
    if (Object.keys(meta).length > 0) input.Metadata = meta;
    // SSE-KMS request headers, so tests can assert how an upload is encrypted.
    const sse = header(req, 'x-amz-server-side-encryption');
    if (sse !== undefined) input.ServerSideEncryption = sse;
    const kmsKey = header(req, 'x-amz-server-side-encryption-aws-kms-key-id');
    if (kmsKey !== undefined) input.SSEKMSKeyId = kmsKey;
  }
  return input;
}

function userMetadata(req: S3Request): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) {
      meta[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  return meta;
}

/**
 * The uploaded bytes. Streaming uploads arrive `aws-chunked` (the SDK's flexible checksums send
 * `<hex-size>[;chunk-signature=..]\r\n<data>\r\n ... 0\r\n<trailers>\r\n\r\n`), plain ones as-is.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export function decodeUploadBody(req: S3Request): Buffer {
  const encoding = header(req, 'content-encoding') ?? '';
  const sha = header(req, 'x-amz-content-sha256') ?? '';
  if (
    !encoding
      .split(',')
      .map((s) => s.trim())
      .includes('aws-chunked') &&
    !sha.startsWith('STREAMING-')
  ) {
    return req.body;
  }
  const parts: Buffer[] = [];
  let pos = 0;
  const body = req.body;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) {
      throw new AwsFakeError(400, 'IncompleteBody', 'aws-chunked body ended before the final chunk');
    }
    const size = parseInt(body.subarray(pos, eol).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size)) {
      throw new AwsFakeError(400, 'InvalidRequest', 'malformed aws-chunked chunk header');
    }
    pos = eol + 2;
    if (size === 0) {
      break;
    }
    parts.push(body.subarray(pos, pos + size));
    pos += size + 2;
  }
  const decoded = Buffer.concat(parts);
  const declared = header(req, 'x-amz-decoded-content-length');
  if (declared !== undefined && Number(declared) !== decoded.length) {
    throw new AwsFakeError(400, 'IncompleteBody', `decoded ${decoded.length} bytes, header says ${declared}`);
  }
  return decoded;
}

/**
 * Serializes a plain object as an S3 XML document: `toXml('ServerSideEncryptionConfiguration',
 * { Rule: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] })`. Arrays
 * become repeated elements (S3's flattened lists), `Date` becomes ISO 8601, `undefined` is skipped.
 * The root element gets the S3 namespace.
 */
export function toXml(root: string, value: unknown): string {
  return `${XML_HEADER}${xmlElement(root, value, ` xmlns="${S3_NS}"`)}`;
}

function xmlElement(name: string, value: unknown, attrs = ''): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => xmlElement(name, v)).join('');
  if (value instanceof Date) return `<${name}${attrs}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => xmlElement(k, v))
      .join('');
    return `<${name}${attrs}>${inner}</${name}>`;
  }
  return `<${name}${attrs}>${xmlEscape(String(value))}</${name}>`;
}

/** Escapes text for an XML element. */
export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

function requireBucket(store: S3Store, req: S3Request): string {
  const bucket = req.bucket ?? '';
  if (!store.hasBucket(bucket)) {
    throw new AwsFakeError(404, 'NoSuchBucket', 'The specified bucket does not exist', {
      BucketName: bucket,
    });
  }
  return bucket;
}

/**
 * The object a GetObject/HeadObject names: the current one, or the `versionId` asked for. S3
 * answers an unknown version `NoSuchVersion` (404) in a versioned bucket; in an unversioned one
 * only the version id `null` exists.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
function objectOf(store: S3Store, bucket: string, req: S3Request): S3Object {
  const key = req.key ?? '';
  const versionId = req.query.get('versionId');
  if (versionId !== null && versionId !== 'null' && store.isVersioned(bucket)) {
    const v = store.getObjectVersion(bucket, key, versionId);
    if (v === undefined) {
      throw new AwsFakeError(404, 'NoSuchVersion', 'The specified version does not exist.', {
        Key: key,
        VersionId: versionId,
      });
    }
    return v;
  }
  if (versionId !== null && versionId !== 'null') {
    throw new AwsFakeError(400, 'InvalidArgument', 'Invalid version id specified');
  }
  const obj = store.getObject(bucket, key);
  if (obj === undefined) {
    throw new AwsFakeError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
  }
  return obj;
}

function objectHeaders(obj: S3Object, requestId: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': obj.contentType,
    'content-length': String(obj.body.length),
    etag: obj.etag,
    'last-modified': obj.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-request-id': requestId,
  };
  for (const [k, v] of Object.entries(obj.metadata)) {
    headers[`x-amz-meta-${k}`] = v;
  }
  if (obj.versionId !== undefined) headers['x-amz-version-id'] = obj.versionId;
  return headers;
}

const LIST_TOKEN_PREFIX = 'aws-fake-s3-';

/**
 * Serves the built-in S3 operations from the store: ListObjectsV2, GetObject, HeadObject,
 * PutObject, DeleteObject, HeadBucket, CreateBucket, ListBuckets. Anything else returns
 * `undefined` so the caller answers `UnknownOperationException`.
 */
export function s3Builtin(
  store: S3Store,
  operation: string,
  req: S3Request,
  requestId: string,
): RawResponse | undefined {
  switch (operation) {
    case 'ListObjectsV2':
      return listObjectsV2(store, req, requestId);
    case 'GetObject':
    case 'HeadObject': {
      const bucket = requireBucket(store, req);
      const obj = objectOf(store, bucket, req);
      const headers = objectHeaders(obj, requestId);
      // S3 returns the stored checksum only when asked (x-amz-checksum-mode: ENABLED).
      if (header(req, 'x-amz-checksum-mode') === 'ENABLED' && obj.checksumSha256 !== undefined) {
        headers['x-amz-checksum-sha256'] = obj.checksumSha256;
        headers['x-amz-checksum-type'] = obj.checksumSha256.includes('-') ? 'COMPOSITE' : 'FULL_OBJECT';
      }
      if (operation === 'HeadObject') {
        return { status: 200, headers };
      }
      return { status: 200, headers, body: obj.body };
    }
    case 'PutObject': {
      const bucket = requireBucket(store, req);
      const meta = userMetadata(req);
      const obj = store.putObject(bucket, req.key ?? '', decodeUploadBody(req), {
        contentType: header(req, 'content-type'),
        metadata: meta,
      });
      return {
        status: 200,
        headers: {
          etag: obj.etag,
          'x-amz-request-id': requestId,
          'content-length': '0',
          ...(obj.versionId !== undefined ? { 'x-amz-version-id': obj.versionId } : {}),
        },
      };
    }
    case 'DeleteObject': {
      const bucket = requireBucket(store, req);
      store.deleteObject(bucket, req.key ?? '');
      return { status: 204, headers: { 'x-amz-request-id': requestId } };
    }
    case 'HeadBucket':
      requireBucket(store, req);
      return { status: 200, headers: { 'x-amz-request-id': requestId, 'x-amz-bucket-region': 'eu-west-1' } };
    case 'CreateBucket':
      store.createBucket(req.bucket ?? '');
      return {
        status: 200,
        headers: { location: `/${req.bucket ?? ''}`, 'x-amz-request-id': requestId, 'content-length': '0' },
      };
    case 'ListBuckets': {
      const buckets = store
        .bucketNames()
        .map((b) => `<Bucket>${el('Name', b)}${el('CreationDate', new Date(0).toISOString())}</Bucket>`)
        .join('');
      return xml(
        requestId,
        `<ListAllMyBucketsResult xmlns="${S3_NS}"><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
      );
    }
    default:
      return undefined;
  }
}

function xml(requestId: string, body: string): RawResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: XML_HEADER + body,
  };
}

function listObjectsV2(store: S3Store, req: S3Request, requestId: string): RawResponse {
  const bucket = requireBucket(store, req);
  const prefix = req.query.get('prefix') ?? '';
  const delimiter = req.query.get('delimiter') ?? '';
  const startAfter = req.query.get('start-after') ?? undefined;
  const token = req.query.get('continuation-token') ?? undefined;
  const maxKeysRaw = req.query.get('max-keys');
  const maxKeys = maxKeysRaw === null ? 1000 : Math.min(1000, Number(maxKeysRaw));
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw new AwsFakeError(
      400,
      'InvalidArgument',
      `max-keys must be a non-negative integer (got ${maxKeysRaw ?? ''})`,
    );
  }
  let after = startAfter;
  if (token !== undefined) {
    if (!token.startsWith(LIST_TOKEN_PREFIX)) {
      throw new AwsFakeError(400, 'InvalidArgument', 'The continuation token provided is incorrect');
    }
    after = Buffer.from(token.slice(LIST_TOKEN_PREFIX.length), 'base64url').toString('utf8');
  }
  // Collapse keys under the delimiter into common prefixes, then page over the merged, ordered list.
  const entries: { key: string; prefix: boolean }[] = [];
  const seen = new Set<string>();
  for (const key of store.keys(bucket)) {
    if (!key.startsWith(prefix)) continue;
    if (delimiter !== '') {
      const idx = key.indexOf(delimiter, prefix.length);
      if (idx >= 0) {
        const cp = key.slice(0, idx + delimiter.length);
        if (!seen.has(cp)) {
          seen.add(cp);
          entries.push({ key: cp, prefix: true });
        }
        continue;
      }
    }
    entries.push({ key, prefix: false });
  }
  const remaining = entries.filter((e) => after === undefined || compareKeys(e.key, after) > 0);
  const page = remaining.slice(0, maxKeys);
  const truncated = remaining.length > page.length;
  const last = page.length > 0 ? page[page.length - 1].key : undefined;
  const nextToken =
    truncated && last !== undefined
      ? LIST_TOKEN_PREFIX + Buffer.from(last, 'utf8').toString('base64url')
      : undefined;
  const contents = page
    .filter((e) => !e.prefix)
    .map((e) => {
      const obj = store.getObject(bucket, e.key);
      return `<Contents>${el('Key', e.key)}${el('LastModified', obj?.lastModified.toISOString())}${el('ETag', obj?.etag)}${el('Size', obj?.body.length)}${el('StorageClass', 'STANDARD')}</Contents>`;
    })
    .join('');
  const prefixes = page
    .filter((e) => e.prefix)
    .map((e) => `<CommonPrefixes>${el('Prefix', e.key)}</CommonPrefixes>`)
    .join('');
  const body =
    `<ListBucketResult xmlns="${S3_NS}">` +
    el('Name', bucket) +
    el('Prefix', prefix) +
    (delimiter !== '' ? el('Delimiter', delimiter) : '') +
    el('MaxKeys', maxKeys) +
    el('KeyCount', page.length) +
    el('IsTruncated', truncated) +
    el('ContinuationToken', token) +
    el('NextContinuationToken', nextToken) +
    el('StartAfter', startAfter) +
    contents +
    prefixes +
    `</ListBucketResult>`;
  return xml(requestId, body);
}

/**
 * An S3 error response: `<Error><Code>..</Code><Message>..</Message></Error>`; HEAD responses
 * carry no body, so the SDK names the error from the status (404 becomes `NotFound`).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
export function s3Error(err: AwsFakeError, requestId: string, method: string): RawResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
  };
  if (method === 'HEAD') {
    return { status: err.status, headers };
  }
  const extra = Object.entries(err.fields)
    .map(([k, v]) => el(k, v === undefined || v === null ? undefined : String(v)))
    .join('');
  return {
    status: err.status,
    headers,
    body: `${XML_HEADER}<Error>${el('Code', err.code)}${el('Message', err.message)}${extra}${el('RequestId', requestId)}</Error>`,
  };
}
