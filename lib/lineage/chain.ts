import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribeTrainingJobCommand,
  type ContainerDefinition,
  type DescribeModelPackageCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { classifyError, type NotReadReason } from './errors';
import { DATASET_MANIFEST_KEY, parseDatasetManifest, TRAINING_JOB_KEY, type DatasetObject } from './manifest';
import { LINEAGE_METADATA_KEYS } from './metadata-keys';

/** The kinds of link, in chain order. */
export type LinkKind =
  | 'endpoint'
  | 'endpoint-config'
  | 'model'
  | 'model-package'
  | 'training-job'
  | 'dataset-manifest'
  | 'dataset-object';

/**
 * `read`: described and consistent. `not-read`: could not be read (see `reason`).
 * `not-approved`: a model package whose ModelApprovalStatus is not `Approved`.
 * `inconsistent`: read, but it contradicts the link before it (a training job whose model
 * artifacts are not the deployed model data; a manifest listing objects outside the training
 * job's S3 inputs, or whose bytes do not have the sha-256 the package recorded; a dataset object
 * whose version, size or sha-256 is not the manifest's).
 */
export type LinkStatus = 'read' | 'not-read' | 'not-approved' | 'inconsistent';

/** A fact's value, JSON-serializable. */
export type FactValue = string | number | boolean | readonly string[] | Readonly<Record<string, string>>;

/** One link of the chain from an endpoint to its training data. */
export interface LineageLink {
  readonly kind: LinkKind;
  /** Name, ARN or S3 URI of the resource. */
  readonly name: string;
  /** `<kind> <name>` of the link this one was reached from. */
  readonly parent?: string;
  readonly status: LinkStatus;
  /** For `not-read`. */
  readonly reason?: NotReadReason;
  /** Why the status is not `read`, one line. */
  readonly detail?: string;
  /** Which field named this link (e.g. `MetadataProperties.GeneratedBy`). */
  readonly via?: string;
  /** What was read, for the report. */
  readonly facts: Readonly<Record<string, FactValue>>;
}

/** The chain of one endpoint. */
export interface LineageChain {
  readonly endpointName: string;
  readonly links: readonly LineageLink[];
}

/** The clients {@link readLineage} uses (read-only calls only). */
export interface LineageClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
}

/**
 * The IAM actions the lineage command needs, one per SDK call it makes.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
export const LINEAGE_IAM_ACTIONS = [
  'sagemaker:DescribeEndpoint',
  'sagemaker:DescribeEndpointConfig',
  'sagemaker:DescribeModel',
  'sagemaker:DescribeModelPackage',
  'sagemaker:DescribeTrainingJob',
  's3:GetObject',
  // HeadObject (and, with --verify-hashes, GetObject) of a dataset object's recorded version:
  // "to return a different version, use the versionId subresource ... you need the
  // s3:GetObjectVersion permission" (API_HeadObject.html).
  's3:GetObjectVersion',
  's3:ListBucket',
] as const;

/** Options of {@link readLineage}. */
export interface ReadLineageOptions {
  /**
   * Reads and hashes every dataset object version whose sha-256 S3 cannot tell (no full-object
   * SHA-256 checksum stored with it); otherwise those are reported as not verifiable without
   * reading.
   * @default false
   */
  readonly verifyHashes?: boolean;
}

/** The ARN form of a training job, as SageMaker Pipelines write it into GeneratedBy. */
const TRAINING_JOB_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:training-job\/([A-Za-z0-9-]{1,63})$/;
/** A training job name (CreateTrainingJob's pattern). */
const TRAINING_JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/**
 * SageMaker writes a training job's model to `<S3OutputPath>/<TrainingJobName>/output/model.tar.gz`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-training-algo-output.html
 */
const MODEL_DATA_OF_JOB = /\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})\/output\/model\.tar\.gz$/;

/** Splits `s3://bucket/key`. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/.exec(uri);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/**
 * Where the training job of a model package is recorded, in order of trust:
 * 1. `MetadataProperties.GeneratedBy` holding a training job ARN (what SageMaker Pipelines and the
 *    SageMaker Python SDK record for a model registered from a training step);
 * 2. `CustomerMetadataProperties["lineage:training-job"]` (name or ARN), for packages registered
 *    by other tools;
 * 3. the training job name in the model data URL (`.../<job>/output/model.tar.gz`).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MetadataProperties.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
 */
export function trainingJobReference(sources: {
  generatedBy?: string;
  customer?: Readonly<Record<string, string>>;
  modelDataUrl?: string;
}): { name: string; via: string } | undefined {
  const g = sources.generatedBy ? TRAINING_JOB_ARN.exec(sources.generatedBy) : null;
  if (g) return { name: g[1], via: 'MetadataProperties.GeneratedBy' };
  const c = sources.customer?.[TRAINING_JOB_KEY];
  if (c !== undefined) {
    const arn = TRAINING_JOB_ARN.exec(c);
    if (arn) return { name: arn[1], via: `CustomerMetadataProperties.${TRAINING_JOB_KEY}` };
    if (TRAINING_JOB_NAME.test(c)) return { name: c, via: `CustomerMetadataProperties.${TRAINING_JOB_KEY}` };
  }
  const d = sources.modelDataUrl ? MODEL_DATA_OF_JOB.exec(sources.modelDataUrl) : null;
  if (d) return { name: d[1], via: 'ModelDataUrl' };
  return undefined;
}

/** Every `S3Uri` under ModelMetrics (statistics, constraints and reports), by path. */
function metricReports(metrics: unknown, path = 'ModelMetrics'): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof metrics !== 'object' || metrics === null) return out;
  for (const [k, v] of Object.entries(metrics)) {
    if (k === 'S3Uri' && typeof v === 'string') out[path] = v;
    else Object.assign(out, metricReports(v, `${path}.${k}`));
  }
  return out;
}

function clean(record: Record<string, FactValue | undefined>): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}

type Described<T> = { ok: true; value: T } | { ok: false; reason: NotReadReason; message: string };

async function attempt<T>(call: () => Promise<T>): Promise<Described<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (e) {
    return { ok: false, ...classifyError(e) };
  }
}

/**
 * Reads the chain of one endpoint: endpoint → endpoint config (variants) → models (containers,
 * image digests) → model packages (approval, metadata, metric reports) → training jobs (input
 * channels, image, hyperparameters) → dataset manifests. Read-only. Every link that cannot be
 * read is in the result as `not-read` with its reason; nothing is dropped. Describes are made once
 * per resource even when several variants share it.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpointConfig.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModel.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeTrainingJob.html
 * @throws LineageAbort when credentials are missing or AWS does not answer
 */
export async function readLineage(
  clients: LineageClients,
  endpointName: string,
  options: ReadLineageOptions = {},
): Promise<LineageChain> {
  const links: LineageLink[] = [];
  const { sagemaker, s3 } = clients;
  const notRead = (
    kind: LinkKind,
    name: string,
    parent: string | undefined,
    r: { reason: NotReadReason; message: string },
    via?: string,
  ): void => {
    links.push({
      kind,
      name,
      parent,
      status: 'not-read',
      reason: r.reason,
      detail: r.message,
      via,
      facts: {},
    });
  };

  const ep = await attempt(() => sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName })));
  if (!ep.ok) {
    notRead('endpoint', endpointName, undefined, ep);
    return { endpointName, links };
  }
  const endpoint = ep.value;
  // Digest of each image as SageMaker resolved it at deployment, per variant.
  const resolved = new Map<string, Map<string, string>>();
  for (const v of endpoint.ProductionVariants ?? []) {
    const m = new Map<string, string>();
    for (const d of v.DeployedImages ?? [])
      if (d.SpecifiedImage && d.ResolvedImage) m.set(d.SpecifiedImage, d.ResolvedImage);
    resolved.set(v.VariantName ?? '', m);
  }
  const configName = endpoint.EndpointConfigName ?? '';
  links.push({
    kind: 'endpoint',
    name: endpointName,
    status: 'read',
    facts: clean({ status: endpoint.EndpointStatus, endpointConfig: configName }),
  });
  const endpointId = `endpoint ${endpointName}`;

  const cfg = await attempt(() =>
    sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName })),
  );
  if (!cfg.ok) {
    notRead('endpoint-config', configName, endpointId, cfg, 'EndpointConfigName');
    return { endpointName, links };
  }
  const variants = cfg.value.ProductionVariants ?? [];
  links.push({
    kind: 'endpoint-config',
    name: configName,
    parent: endpointId,
    status: 'read',
    via: 'EndpointConfigName',
    facts: clean({
      variants: variants.map((v) => `${v.VariantName ?? '?'}: ${v.ModelName ?? '?'}`),
      dataCapture: cfg.value.DataCaptureConfig?.DestinationS3Uri,
    }),
  });
  const configId = `endpoint-config ${configName}`;

  const seenModels = new Set<string>();
  const seenPackages = new Set<string>();
  const seenJobs = new Map<string, readonly string[] | undefined>();
  for (const variant of variants) {
    const modelName = variant.ModelName ?? '';
    if (seenModels.has(modelName)) continue;
    seenModels.add(modelName);
    const md = await attempt(() => sagemaker.send(new DescribeModelCommand({ ModelName: modelName })));
    if (!md.ok) {
      notRead('model', modelName, configId, md, `ProductionVariants[${variant.VariantName}].ModelName`);
      continue;
    }
    const containers: ContainerDefinition[] = md.value.PrimaryContainer
      ? [md.value.PrimaryContainer]
      : (md.value.Containers ?? []);
    const digests = resolved.get(variant.VariantName ?? '') ?? new Map<string, string>();
    links.push({
      kind: 'model',
      name: modelName,
      parent: configId,
      status: 'read',
      via: `ProductionVariants[${variant.VariantName}].ModelName`,
      facts: clean({
        images: containers.map((c) => (c.Image ? (digests.get(c.Image) ?? c.Image) : '(from model package)')),
        modelData: containers.flatMap((c) => (c.ModelDataUrl ? [c.ModelDataUrl] : [])),
        networkIsolation: md.value.EnableNetworkIsolation ?? false,
      }),
    });
    const modelId = `model ${modelName}`;

    for (const [i, container] of containers.entries()) {
      const packageName = container.ModelPackageName;
      if (!packageName) {
        // Without a package there is no approval to check: the chain is broken here even when the
        // model data URL names a training job.
        notRead('model-package', `${modelName} container ${i}`, modelId, {
          reason: 'not recorded',
          message: 'the container has no ModelPackageName (not deployed from the model registry)',
        });
        await trainingJob(
          trainingJobReference({ modelDataUrl: container.ModelDataUrl }),
          modelId,
          container.ModelDataUrl,
        );
        continue;
      }
      if (seenPackages.has(packageName)) continue;
      seenPackages.add(packageName);
      const pk = await attempt(() =>
        sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: packageName })),
      );
      if (!pk.ok) {
        notRead('model-package', packageName, modelId, pk, `Containers[${i}].ModelPackageName`);
        continue;
      }
      const p = pk.value;
      const packageId = `model-package ${packageName}`;
      const approved = p.ModelApprovalStatus === 'Approved';
      const customer = p.CustomerMetadataProperties ?? {};
      const packageData = p.InferenceSpecification?.Containers?.find((c) => c.ModelDataUrl)?.ModelDataUrl;
      links.push({
        kind: 'model-package',
        name: packageName,
        parent: modelId,
        status: approved ? 'read' : 'not-approved',
        detail: approved
          ? undefined
          : `ModelApprovalStatus is ${p.ModelApprovalStatus ?? 'absent'} (expected Approved)`,
        via: `Containers[${i}].ModelPackageName`,
        facts: clean({
          approval: p.ModelApprovalStatus ?? 'absent',
          group: p.ModelPackageGroupName,
          version: p.ModelPackageVersion,
          images: (p.InferenceSpecification?.Containers ?? []).map((c) =>
            c.ImageDigest ? `${c.Image ?? '?'}@${c.ImageDigest}` : (c.Image ?? '?'),
          ),
          metadataProperties: metadataFacts(p),
          customerMetadata: Object.keys(customer).length ? customer : undefined,
          metricReports: Object.keys(metricReports(p.ModelMetrics)).length
            ? metricReports(p.ModelMetrics)
            : undefined,
        }),
      });
      const inputs = await trainingJob(
        trainingJobReference({
          generatedBy: p.MetadataProperties?.GeneratedBy,
          customer,
          modelDataUrl: packageData ?? container.ModelDataUrl,
        }),
        packageId,
        packageData ?? container.ModelDataUrl,
      );
      const manifestUri = customer[DATASET_MANIFEST_KEY];
      if (manifestUri !== undefined) await manifest(manifestUri, packageId, inputs, customer);
    }
  }
  return { endpointName, links };

  async function trainingJob(
    ref: { name: string; via: string } | undefined,
    parent: string,
    modelDataUrl: string | undefined,
  ): Promise<readonly string[] | undefined> {
    if (!ref) {
      notRead('training-job', '(unknown)', parent, {
        reason: 'not recorded',
        message: `no training job in MetadataProperties.GeneratedBy, CustomerMetadataProperties.${TRAINING_JOB_KEY} or the model data URL`,
      });
      return undefined;
    }
    if (seenJobs.has(ref.name)) return seenJobs.get(ref.name);
    seenJobs.set(ref.name, undefined);
    const tj = await attempt(() =>
      sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: ref.name })),
    );
    if (!tj.ok) {
      notRead('training-job', ref.name, parent, tj, ref.via);
      return undefined;
    }
    const t = tj.value;
    const s3Inputs = (t.InputDataConfig ?? []).flatMap((c) =>
      c.DataSource?.S3DataSource?.S3Uri ? [c.DataSource.S3DataSource.S3Uri] : [],
    );
    seenJobs.set(ref.name, s3Inputs);
    const artifacts = t.ModelArtifacts?.S3ModelArtifacts;
    const consistent = modelDataUrl === undefined || artifacts === undefined || artifacts === modelDataUrl;
    links.push({
      kind: 'training-job',
      name: ref.name,
      parent,
      status: consistent ? 'read' : 'inconsistent',
      detail: consistent
        ? undefined
        : `its model artifacts ${artifacts} are not the deployed model data ${modelDataUrl}`,
      via: ref.via,
      facts: clean({
        status: t.TrainingJobStatus,
        image: t.AlgorithmSpecification?.TrainingImage ?? t.AlgorithmSpecification?.AlgorithmName,
        inputs: (t.InputDataConfig ?? []).map(
          (c) =>
            `${c.ChannelName ?? '?'}: ${c.DataSource?.S3DataSource?.S3Uri ?? c.DataSource?.FileSystemDataSource?.DirectoryPath ?? '(not S3)'}`,
        ),
        hyperparameters:
          t.HyperParameters && Object.keys(t.HyperParameters).length ? t.HyperParameters : undefined,
        output: t.OutputDataConfig?.S3OutputPath,
        modelArtifacts: artifacts,
      }),
    });
    return s3Inputs;
  }

  /**
   * @param inputs the S3 input URIs of the package's training job, when it was read: every
   *   manifest object must lie under one of them (S3Prefix channels), else the manifest does not
   *   describe that job's data and the link is `inconsistent`
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_S3DataSource.html
   */
  async function manifest(
    uri: string,
    parent: string,
    inputs: readonly string[] | undefined,
    customer: Readonly<Record<string, string>>,
  ): Promise<void> {
    const via = `CustomerMetadataProperties.${DATASET_MANIFEST_KEY}`;
    const loc = parseS3Uri(uri);
    if (!loc || loc.key === '') {
      notRead(
        'dataset-manifest',
        uri,
        parent,
        { reason: 'invalid', message: 'not an s3://bucket/key uri' },
        via,
      );
      return;
    }
    const got = await attempt(async () => {
      const out = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
      return Buffer.from((await out.Body?.transformToByteArray()) ?? new Uint8Array());
    });
    if (!got.ok) {
      notRead('dataset-manifest', uri, parent, got, via);
      return;
    }
    const parsed = parseDatasetManifest(got.value.toString('utf8'));
    if (!parsed.ok) {
      notRead(
        'dataset-manifest',
        uri,
        parent,
        { reason: 'invalid', message: parsed.problems.join('; ') },
        via,
      );
      return;
    }
    const m = parsed.manifest;
    // Keys are relative to the dataset bucket the package names (the manifest lives with the
    // model artifacts); older manifests sat in the dataset bucket itself.
    const datasetBucket = customer[LINEAGE_METADATA_KEYS.datasetBucket] ?? loc.bucket;
    const objectUri = (o: DatasetObject): string =>
      o.key.startsWith('s3://') ? o.key : `s3://${datasetBucket}/${o.key}`;
    const outside =
      inputs === undefined || inputs.length === 0
        ? []
        : m.objects.map(objectUri).filter((o) => !inputs.some((i) => o.startsWith(i)));
    const recordedSha = customer[LINEAGE_METADATA_KEYS.datasetManifestSha256];
    const sha = createHash('sha256').update(got.value).digest('hex');
    const problems = [
      ...(outside.length
        ? [
            `${outside.length} object(s) not under the training job's inputs (${inputs?.join(', ')}): ${outside[0]}`,
          ]
        : []),
      ...(recordedSha !== undefined && recordedSha !== sha
        ? [
            `its sha256 ${sha} is not the ${LINEAGE_METADATA_KEYS.datasetManifestSha256} the package recorded (${recordedSha}): the manifest changed after registration`,
          ]
        : []),
    ];
    links.push({
      kind: 'dataset-manifest',
      name: uri,
      parent,
      status: problems.length ? 'inconsistent' : 'read',
      detail: problems.length ? problems.join('; ') : undefined,
      via,
      facts: clean({
        sha256:
          recordedSha === undefined
            ? `${sha} (not verified: the package records no ${LINEAGE_METADATA_KEYS.datasetManifestSha256})`
            : sha,
        datasetBucket,
        objects: m.objects.map(
          (o) => `${o.key}${o.versionId ? `?versionId=${o.versionId}` : ''} ${o.size} B sha256:${o.sha256}`,
        ),
        provenance: m.provenance.length
          ? m.provenance.map(
              (r) =>
                `${r.source} (${r.licence}, acquired ${r.acquisitionDate}, agreement ${r.agreementReference}, pii: ${r.piiClasses.length ? r.piiClasses.join(', ') : 'none'}, sha256:${r.checksum.value})`,
            )
          : undefined,
      }),
    });
    const manifestId = `dataset-manifest ${uri}`;
    for (const o of m.objects) await datasetObject(o, objectUri(o), manifestId);
  }

  /**
   * Checks one manifest object against S3: HeadObject of the recorded version (the current one
   * when the manifest records `null`), then its size, then its sha-256 from the full-object
   * SHA-256 checksum S3 stored with it (returned with ChecksumMode ENABLED), else by reading the
   * version when `verifyHashes` is set. A version is immutable, so a matching version id and
   * size with no checksum is reported as read with the hash not verified.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
   */
  async function datasetObject(o: DatasetObject, uri: string, parent: string): Promise<void> {
    const loc = parseS3Uri(uri);
    const name = `${uri}${o.versionId ? `?versionId=${o.versionId}` : ''}`;
    const via = 'manifest objects[]';
    if (!loc) {
      notRead(
        'dataset-object',
        name,
        parent,
        { reason: 'invalid', message: 'not an s3://bucket/key uri' },
        via,
      );
      return;
    }
    const target = { Bucket: loc.bucket, Key: loc.key, ...(o.versionId ? { VersionId: o.versionId } : {}) };
    const head = await attempt(() => s3.send(new HeadObjectCommand({ ...target, ChecksumMode: 'ENABLED' })));
    if (!head.ok) {
      notRead('dataset-object', name, parent, head, via);
      return;
    }
    const h = head.value;
    const push = (status: LinkStatus, detail: string | undefined, sha256: string): void => {
      links.push({
        kind: 'dataset-object',
        name,
        parent,
        status,
        detail,
        via,
        facts: clean({ size: h.ContentLength, versionId: h.VersionId, sha256 }),
      });
    };
    if (h.ContentLength !== undefined && h.ContentLength !== o.size) {
      push('inconsistent', `its size is ${h.ContentLength} B, the manifest says ${o.size} B`, 'not checked');
      return;
    }
    // A composite checksum (multipart upload, `<base64>-<parts>`) is not the object's sha-256.
    const stored =
      h.ChecksumSHA256 && h.ChecksumType !== 'COMPOSITE' && !h.ChecksumSHA256.includes('-')
        ? Buffer.from(h.ChecksumSHA256, 'base64').toString('hex')
        : undefined;
    if (stored !== undefined) {
      if (stored !== o.sha256)
        push('inconsistent', `S3's SHA-256 checksum ${stored} is not the manifest's ${o.sha256}`, stored);
      else push('read', undefined, `${stored} (S3 checksum)`);
      return;
    }
    if (!options.verifyHashes) {
      push(
        'read',
        undefined,
        'not verifiable without reading (no full-object SHA-256 checksum; pass --verify-hashes)',
      );
      return;
    }
    const read = await attempt(async () => {
      const out = await s3.send(new GetObjectCommand(target));
      const hash = createHash('sha256');
      for await (const chunk of (out.Body as AsyncIterable<Uint8Array> | undefined) ?? []) hash.update(chunk);
      return hash.digest('hex');
    });
    if (!read.ok) {
      notRead('dataset-object', name, parent, read, via);
      return;
    }
    if (read.value !== o.sha256)
      push('inconsistent', `its bytes hash to ${read.value}, the manifest says ${o.sha256}`, read.value);
    else push('read', undefined, `${read.value} (read and hashed)`);
  }
}

function metadataFacts(p: DescribeModelPackageCommandOutput): Record<string, string> | undefined {
  const m = p.MetadataProperties;
  if (!m) return undefined;
  const out: Record<string, string> = {};
  if (m.GeneratedBy) out.GeneratedBy = m.GeneratedBy;
  if (m.Repository) out.Repository = m.Repository;
  if (m.CommitId) out.CommitId = m.CommitId;
  if (m.ProjectId) out.ProjectId = m.ProjectId;
  return Object.keys(out).length ? out : undefined;
}
