import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  PutObjectLegalHoldCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  paginateListModelPackages,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { parseDatasetManifest, type DatasetManifest } from '../../lineage/manifest';
import { parseEvent } from '../review-gate/review';
import type { Logger } from '../shared/log';
import type { LegalHoldConfig } from './config';
import { DIMENSIONS, HELD_STATUS, LINEAGE_KEYS, METRIC_NAMESPACE, METRICS } from './contract';
import { digestProblem, holdTargets, manifestRef, releasable, versionKey, type ObjectVersion } from './holds';

/** The clients the handler calls. */
export interface LegalHoldClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly cloudwatch: CloudWatchClient;
}

/** What the handler did with one event. */
export type HoldOutcome =
  /** The event could not be read; nothing was called but the metric. */
  | 'malformed'
  /** A package of another group: nothing was called. */
  | 'other-group'
  /** The package names no dataset manifest: logged and counted when it is approved. */
  | 'no-manifest'
  /** The manifest is outside the manifest prefix, missing, invalid or does not match its digest. */
  | 'manifest-refused'
  /** The package is approved: its object versions are held (those that can be). */
  | 'held'
  /** The package is not approved: holds no other approved package needs are released. */
  | 'released'
  /** The package is not approved, but what the other approved packages reference is unknown: nothing released. */
  | 'release-deferred';

/** The result of one invocation, logged and returned. */
export interface HoldResult {
  readonly outcome: HoldOutcome;
  readonly modelPackageArn?: string;
  /** Object versions set to ON by this invocation. */
  readonly placed?: number;
  /** Object versions set to OFF by this invocation. */
  readonly released?: number;
  /** Object versions left held because another approved package references them. */
  readonly kept?: number;
  /** What could not be held (or read), one line each. */
  readonly problems?: readonly string[];
}

/** Options of one run. */
export interface RunOptions {
  readonly log: Logger;
  /**
   * Legal-hold requests in flight at once.
   * @default 8
   */
  readonly concurrency?: number;
}

/** A manifest larger than this is refused rather than read into the function's memory. */
export const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

/**
 * Handles one model package state change of the guarded group. The decision is made on the
 * package's current state from DescribeModelPackage, never on the event's, so a redelivered or
 * out-of-order event does the right thing:
 * - approved: every object version of its dataset manifest gets a legal hold (`ON`);
 * - not approved (rejected — retired — or set back to pending): the holds of its object versions
 *   that no other approved package of the group references are released (`OFF`).
 *
 * Setting a legal hold to the status it already has changes nothing, so the handler is idempotent.
 * An object version that cannot be held (another bucket, no version id, gone, denied) is reported
 * and counted in `HoldFailures`, not retried; SDK errors (throttling beyond the retries, 5xx) are
 * thrown, so Lambda retries the event and then keeps it in the dead-letter queue.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-legal-holds
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLegalHold.html
 */
export async function handleStateChange(
  clients: LegalHoldClients,
  config: LegalHoldConfig,
  event: unknown,
  opts: RunOptions,
): Promise<HoldResult> {
  const parsed = parseEvent(event);
  if (parsed.kind === 'malformed') {
    opts.log.error('malformed event', { reason: parsed.reason });
    await putMetrics(clients.cloudwatch, config, { [METRICS.holdFailures]: 1 });
    return { outcome: 'malformed', problems: [parsed.reason] };
  }
  const arn = parsed.change.modelPackageArn;
  // The ARN names the group in lowercase; both must be the guarded group.
  const group = config.groupName.toLowerCase();
  if (parsed.change.modelPackageGroupName.toLowerCase() !== group || arn.split('/')[1] !== group) {
    opts.log.info('ignored: another group', { modelPackageArn: arn });
    return { outcome: 'other-group', modelPackageArn: arn };
  }

  const current = await clients.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  const approved = current.ModelApprovalStatus === HELD_STATUS;
  const loaded = await loadTargets(clients.s3, config, current.CustomerMetadataProperties);
  if (loaded.kind === 'none') {
    if (approved) {
      opts.log.warn('approved without a dataset manifest: nothing to hold', {
        modelPackageArn: arn,
        key: LINEAGE_KEYS.datasetManifest,
      });
      await putMetrics(clients.cloudwatch, config, { [METRICS.approvedWithoutManifest]: 1 });
    }
    return { outcome: 'no-manifest', modelPackageArn: arn };
  }
  if (loaded.kind === 'refused') {
    // A refused manifest held nothing at approval, so there is nothing to release either.
    if (approved) {
      opts.log.error('manifest refused: nothing held', { modelPackageArn: arn, problems: loaded.problems });
      await putMetrics(clients.cloudwatch, config, { [METRICS.holdFailures]: loaded.problems.length });
    }
    return { outcome: 'manifest-refused', modelPackageArn: arn, problems: loaded.problems };
  }

  if (approved) {
    const problems = [...loaded.targets.problems];
    let placed = 0;
    await forEachLimited(loaded.targets.versions, opts.concurrency ?? 8, async (v) => {
      const problem = await setHold(clients.s3, config, v, 'ON');
      if (problem === undefined) placed++;
      else problems.push(problem);
    });
    const result = { outcome: 'held', modelPackageArn: arn, placed, problems } as const;
    logResult(opts.log, 'legal holds placed', result);
    await putMetrics(clients.cloudwatch, config, {
      [METRICS.holdsPlaced]: placed,
      [METRICS.holdFailures]: problems.length,
    });
    return result;
  }

  const referenced = await referencedByApproved(clients, config, arn);
  if (referenced.kind === 'unknown') {
    opts.log.error('release deferred: an approved package has an unreadable manifest', {
      modelPackageArn: arn,
      problems: referenced.problems,
    });
    await putMetrics(clients.cloudwatch, config, { [METRICS.holdFailures]: referenced.problems.length });
    return { outcome: 'release-deferred', modelPackageArn: arn, problems: referenced.problems };
  }
  const { release, kept } = releasable(loaded.targets.versions, referenced.versions);
  const problems: string[] = [];
  const releasedVersions: ObjectVersion[] = [];
  await forEachLimited(release, opts.concurrency ?? 8, async (v) => {
    const status = await holdStatus(clients.s3, config, v);
    if (status === 'ON') {
      const problem = await setHold(clients.s3, config, v, 'OFF');
      if (problem === undefined) releasedVersions.push(v);
      else problems.push(problem);
    } else if (status !== 'OFF') {
      problems.push(status.problem);
    }
  });
  // A version approved while this release ran may reference what was just released: put those
  // holds back, so the race between two state changes never leaves an approved model unprotected.
  let restored = 0;
  if (releasedVersions.length > 0) {
    const again = await referencedByApproved(clients, config, arn);
    const back =
      again.kind === 'known'
        ? releasedVersions.filter((v) => again.versions.has(versionKey(v)))
        : releasedVersions;
    for (const v of back) {
      const problem = await setHold(clients.s3, config, v, 'ON');
      if (problem === undefined) restored++;
      else problems.push(problem);
    }
  }
  const released = releasedVersions.length - restored;
  const result = {
    outcome: 'released',
    modelPackageArn: arn,
    released,
    kept: kept.length + restored,
    problems,
  } as const;
  logResult(opts.log, 'legal holds released', result);
  await putMetrics(clients.cloudwatch, config, {
    [METRICS.holdsReleased]: released,
    [METRICS.holdFailures]: problems.length,
  });
  return result;
}

type LoadedTargets =
  | { readonly kind: 'none' }
  | { readonly kind: 'refused'; readonly problems: readonly string[] }
  | { readonly kind: 'targets'; readonly targets: ReturnType<typeof holdTargets> };

/** A package's manifest, read and checked, as the object versions it names. */
async function loadTargets(
  s3: S3Client,
  config: LegalHoldConfig,
  metadata: Record<string, string> | undefined,
): Promise<LoadedTargets> {
  const ref = manifestRef(metadata, config);
  if (ref.kind === 'none') return ref;
  if (ref.kind === 'refused') return { kind: 'refused', problems: [ref.problem] };
  const read = await readManifest(s3, config.manifestBucket, ref.key, ref.sha256);
  if (!read.ok) return { kind: 'refused', problems: read.problems };
  return { kind: 'targets', targets: holdTargets(read.manifest, metadata, config) };
}

async function readManifest(
  s3: S3Client,
  bucket: string,
  key: string,
  sha256: string | undefined,
): Promise<{ ok: true; manifest: DatasetManifest } | { ok: false; problems: string[] }> {
  const where = `s3://${bucket}/${key}`;
  let bytes: Uint8Array;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if ((out.ContentLength ?? 0) > MAX_MANIFEST_BYTES) {
      return {
        ok: false,
        problems: [`${where}: is ${out.ContentLength} bytes, more than the ${MAX_MANIFEST_BYTES} read`],
      };
    }
    bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (e) {
    const status = httpStatus(e);
    if (status === 404 || status === 403) {
      return {
        ok: false,
        problems: [`${where}: the manifest ${status === 404 ? 'does not exist' : 'may not be read'}`],
      };
    }
    throw e;
  }
  const digest = digestProblem(bytes, sha256);
  if (digest !== undefined) return { ok: false, problems: [`${where}: ${digest}`] };
  const parsed = parseDatasetManifest(Buffer.from(bytes).toString('utf8'));
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => `${where}: ${p}`) };
  return { ok: true, manifest: parsed.manifest };
}

/**
 * The object versions every approved package of the group (but `exclude`) references, or
 * `unknown` when one of them names a manifest that cannot be read: then nothing may be released.
 */
async function referencedByApproved(
  clients: LegalHoldClients,
  config: LegalHoldConfig,
  exclude: string,
): Promise<{ kind: 'known'; versions: Set<string> } | { kind: 'unknown'; problems: string[] }> {
  const versions = new Set<string>();
  const problems: string[] = [];
  const pages = paginateListModelPackages(
    { client: clients.sagemaker },
    { ModelPackageGroupName: config.groupName, ModelApprovalStatus: HELD_STATUS },
  );
  for await (const page of pages) {
    for (const summary of page.ModelPackageSummaryList ?? []) {
      const other = summary.ModelPackageArn;
      if (other === undefined || other === exclude) continue;
      const pkg = await clients.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: other }));
      if (pkg.ModelApprovalStatus !== HELD_STATUS) continue;
      const loaded = await loadTargets(clients.s3, config, pkg.CustomerMetadataProperties);
      if (loaded.kind === 'refused') problems.push(...loaded.problems.map((p) => `${other}: ${p}`));
      if (loaded.kind === 'targets') for (const v of loaded.targets.versions) versions.add(versionKey(v));
    }
  }
  return problems.length > 0 ? { kind: 'unknown', problems } : { kind: 'known', versions };
}

/** S3 error codes that concern one object version: reported, not retried. */
const OBJECT_ERRORS = new Set([
  'NoSuchKey',
  'NoSuchVersion',
  'InvalidArgument',
  'InvalidRequest',
  'AccessDenied',
]);

function objectProblem(e: unknown, v: ObjectVersion, what: string): string | undefined {
  const status = httpStatus(e);
  const name = (e as { name?: string }).name ?? '';
  if (status === 403 || status === 404 || OBJECT_ERRORS.has(name)) {
    return `${v.key} (version ${v.versionId}): ${what} failed: ${name || status} ${(e as Error).message ?? ''}`.trim();
  }
  return undefined;
}

/** Sets the legal hold of one object version; a problem string when S3 refused it for that version. */
async function setHold(
  s3: S3Client,
  config: LegalHoldConfig,
  v: ObjectVersion,
  status: 'ON' | 'OFF',
): Promise<string | undefined> {
  try {
    await s3.send(
      new PutObjectLegalHoldCommand({
        Bucket: config.datasetBucket,
        Key: v.key,
        VersionId: v.versionId,
        LegalHold: { Status: status },
      }),
    );
    return undefined;
  } catch (e) {
    const problem = objectProblem(e, v, `legal hold ${status}`);
    if (problem === undefined) throw e;
    return problem;
  }
}

/**
 * The legal hold status of one object version. S3 answers `NoSuchObjectLockConfiguration` for a
 * version that never had a hold, which is OFF.
 */
async function holdStatus(
  s3: S3Client,
  config: LegalHoldConfig,
  v: ObjectVersion,
): Promise<'ON' | 'OFF' | { problem: string }> {
  try {
    const out = await s3.send(
      new GetObjectLegalHoldCommand({ Bucket: config.datasetBucket, Key: v.key, VersionId: v.versionId }),
    );
    return out.LegalHold?.Status === 'ON' ? 'ON' : 'OFF';
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchObjectLockConfiguration') return 'OFF';
    const problem = objectProblem(e, v, 'reading the legal hold');
    if (problem === undefined) throw e;
    return { problem };
  }
}

/** A warning when something could not be held or released, else information. */
function logResult(log: Logger, message: string, result: HoldResult): void {
  if ((result.problems ?? []).length > 0) log.warn(message, { ...result });
  else log.info(message, { ...result });
}

function httpStatus(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

async function putMetrics(
  cloudwatch: CloudWatchClient,
  config: LegalHoldConfig,
  values: Record<string, number>,
): Promise<void> {
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: Object.entries(values).map(([name, value]) => ({
        MetricName: name,
        Value: value,
        Unit: 'Count',
        Dimensions: [{ Name: DIMENSIONS.modelPackageGroupName, Value: config.groupName }],
      })),
    }),
  );
}
