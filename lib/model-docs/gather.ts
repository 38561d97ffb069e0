import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { classifyError } from '../lineage/errors';
import {
  UNRECORDED_FAIRNESS,
  type ContractFacts,
  type FairnessSummary,
  type ModelDocumentationInput,
  type PackageFacts,
  type QualityMetric,
  type ReportStatus,
} from './input';
import { LINEAGE_KEYS, REVIEW_RECORD_KEYS } from './keys';
import { parseQualityStatistics, ReportFormatError, summarizeBiasReport } from './reports';

/** The clients {@link gatherModelDocumentation} uses (read-only calls). */
export interface ModelDocClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
}

/** Where reports may be read from: an object outside is documented as not read. */
export interface ReportLocation {
  readonly bucket: string;
  /** Key prefixes, each ending in `/` (or `''` for the whole bucket). */
  readonly prefixes: readonly string[];
}

/** Options of {@link gatherModelDocumentation}. */
export interface GatherOptions {
  /** What the feature contract and the registry declare. @default - nothing: "not recorded" */
  readonly contract?: ContractFacts;
  /** Runbook links. @default - none: "not recorded" */
  readonly runbooks?: readonly { readonly title: string; readonly url: string }[];
  /**
   * Where reports may be read. The handler's role may read these prefixes only; the CLI reads
   * wherever the package points.
   * @default - anywhere
   */
  readonly reportLocations?: readonly ReportLocation[];
  /** Largest report read, in bytes. @default 5 MiB */
  readonly maxReportBytes?: number;
}

const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/([^/]+)\/(\d+)$/;

/** Splits a versioned model package ARN; undefined when it is not one. */
export function parseModelPackageArn(arn: string): { groupName: string; version: number } | undefined {
  const m = PACKAGE_ARN.exec(arn);
  return m ? { groupName: m[1], version: Number(m[2]) } : undefined;
}

function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(uri);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/** Thrown when the package itself cannot be read: nothing can be documented. */
export class PackageNotReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageNotReadError';
  }
}

/** The package's facts from DescribeModelPackage. */
export function packageFacts(arn: string, p: DescribeModelPackageCommandOutput): PackageFacts {
  const parsed = parseModelPackageArn(p.ModelPackageArn ?? arn);
  const containers = p.InferenceSpecification?.Containers ?? [];
  const createdBy = p.CreatedBy?.UserProfileName ?? p.CreatedBy?.IamIdentity?.Arn;
  return {
    arn: p.ModelPackageArn ?? arn,
    groupName: p.ModelPackageGroupName ?? parsed?.groupName ?? '',
    version: p.ModelPackageVersion ?? parsed?.version ?? 0,
    approvalStatus: p.ModelApprovalStatus ?? 'PendingManualApproval',
    ...(p.ApprovalDescription ? { approvalDescription: p.ApprovalDescription } : {}),
    ...(p.ModelPackageDescription ? { description: p.ModelPackageDescription } : {}),
    ...(p.CreationTime ? { createdAt: new Date(p.CreationTime).toISOString() } : {}),
    ...(createdBy ? { createdBy } : {}),
    images: containers.map((c) => c.Image ?? '').filter((i) => i !== ''),
    modelDataUrls: containers.map((c) => c.ModelDataUrl ?? '').filter((u) => u !== ''),
    ...(p.ModelMetrics?.ModelQuality?.Statistics?.S3Uri
      ? { qualityStatisticsUri: p.ModelMetrics.ModelQuality.Statistics.S3Uri }
      : {}),
    metadata: { ...(p.CustomerMetadataProperties ?? {}) },
  };
}

type Read = { ok: true; uri: string; text: string } | { ok: false; status: ReportStatus };

async function readReport(s3: S3Client, uri: string | undefined, options: GatherOptions): Promise<Read> {
  if (uri === undefined || uri.trim() === '') return { ok: false, status: { state: 'not-recorded' } };
  const loc = parseS3Uri(uri);
  if (!loc) return { ok: false, status: { state: 'not-read', uri, reason: 'not an s3://bucket/key uri' } };
  if (loc.key.split('/').some((part) => part === '..' || part === '.')) {
    return { ok: false, status: { state: 'not-read', uri, reason: 'a relative path segment' } };
  }
  const allowed =
    options.reportLocations === undefined ||
    options.reportLocations.some(
      (l) => l.bucket === loc.bucket && l.prefixes.some((p) => loc.key.startsWith(p)),
    );
  if (!allowed) {
    return { ok: false, status: { state: 'not-read', uri, reason: 'outside the reports location' } };
  }
  const max = options.maxReportBytes ?? 5 * 1024 * 1024;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
    if ((out.ContentLength ?? 0) > max) {
      out.Body?.transformToWebStream?.()
        .cancel()
        .catch(() => undefined);
      return { ok: false, status: { state: 'not-read', uri, reason: `larger than ${max} bytes` } };
    }
    const text = (await out.Body?.transformToString('utf-8')) ?? '';
    return { ok: true, uri, text };
  } catch (e) {
    const c = classifyError(e);
    // Throttling and server errors after the SDK's retries: fail, so the event is retried,
    // rather than document a report as unreadable because S3 was busy.
    if (c.reason === 'error') throw e;
    return { ok: false, status: { state: 'not-read', uri, reason: c.reason } };
  }
}

async function fairnessOf(
  s3: S3Client,
  uri: string | undefined,
  stage: 'preTraining' | 'postTraining',
  options: GatherOptions,
): Promise<FairnessSummary> {
  const r = await readReport(s3, uri, options);
  if (!r.ok) return { ...UNRECORDED_FAIRNESS, status: r.status };
  try {
    return summarizeBiasReport(r.text, r.uri, stage);
  } catch (e) {
    if (!(e instanceof ReportFormatError)) throw e;
    return { ...UNRECORDED_FAIRNESS, status: { state: 'not-read', uri: r.uri, reason: e.message } };
  }
}

/**
 * Gathers the documentation input of one model version: DescribeModelPackage, then GetObject of
 * the quality statistics (`ModelMetrics.ModelQuality.Statistics`, else `lineage:evaluation-report`),
 * the pre-training bias report (`lineage:bias-report`, else the reviewer's `review:bias-report`)
 * and the post-training fairness report (`lineage:fairness-report`). A report that is missing,
 * denied, outside the allowed locations or malformed is documented as such, never dropped.
 *
 * @throws PackageNotReadError when the package cannot be described (missing or denied)
 * @throws the SDK error when AWS keeps failing after retries (throttling, 5xx)
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
 */
export async function gatherModelDocumentation(
  clients: ModelDocClients,
  modelPackageArn: string,
  options: GatherOptions = {},
): Promise<ModelDocumentationInput> {
  let described: DescribeModelPackageCommandOutput;
  try {
    described = await clients.sagemaker.send(
      new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn }),
    );
  } catch (e) {
    const c = classifyError(e);
    if (c.reason === 'error') throw e;
    throw new PackageNotReadError(`${modelPackageArn}: ${c.reason} (${c.message})`);
  }
  const modelPackage = packageFacts(modelPackageArn, described);
  const meta = modelPackage.metadata;

  const qualityUri = modelPackage.qualityStatisticsUri ?? meta[LINEAGE_KEYS.evaluationReport];
  const qr = await readReport(clients.s3, qualityUri, options);
  let quality: { status: ReportStatus; metrics: QualityMetric[] };
  if (!qr.ok) quality = { status: qr.status, metrics: [] };
  else {
    try {
      quality = { status: { state: 'read', uri: qr.uri }, metrics: parseQualityStatistics(qr.text) };
    } catch (e) {
      if (!(e instanceof ReportFormatError)) throw e;
      quality = { status: { state: 'not-read', uri: qr.uri, reason: e.message }, metrics: [] };
    }
  }
  const bias = await fairnessOf(
    clients.s3,
    meta[LINEAGE_KEYS.biasReport] ?? meta[REVIEW_RECORD_KEYS.biasReport],
    'preTraining',
    options,
  );
  const fairness = await fairnessOf(clients.s3, meta[LINEAGE_KEYS.fairnessReport], 'postTraining', options);
  return {
    contract: options.contract ?? {},
    modelPackage,
    quality,
    bias,
    fairness,
    ...(options.runbooks?.length ? { runbooks: options.runbooks } : {}),
  };
}
