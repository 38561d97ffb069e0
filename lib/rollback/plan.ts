// The rollback plan: which earlier approved model package to serve again, with the image, the
// artifact and the feature-contract version it was registered with. Read-only; SDK v3 only.
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  paginateListModelPackages,
  type DescribeModelPackageCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { classifyError, type NotReadReason } from '../lineage/errors';
import { LINEAGE_METADATA_KEYS } from '../lineage/metadata-keys';

/** The SDK clients a plan reads with. */
export interface RollbackClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
}

/** Every IAM action a rollback plan may call (documented in the command's usage and README). */
export const ROLLBACK_IAM_ACTIONS = [
  'sagemaker:ListModelPackages',
  'sagemaker:DescribeModelPackage',
  's3:GetObject',
] as const;

/** What the plan is asked for. */
export interface RollbackRequest {
  /** The model package group. */
  readonly group: string;
  /** The version served now; the plan goes back from it. @default the newest approved version */
  readonly from?: number;
  /** The version to go back to. @default the newest approved version below `from` */
  readonly to?: number;
  /** The served model's name in the platform config (`servedModels[].name`). */
  readonly served?: string;
  /** The platform's model artifact bucket: checks whether the target's artifact is promoted. */
  readonly artifactBucket?: string;
  /** The feature contract the serving stack uses now, `<name>@<version>`. */
  readonly contract?: string;
}

/**
 * How one step of the plan stands: ready, to do (with the command), not checked (an option was
 * not given, so nothing was read for it), or blocking.
 */
export type StepStatus = 'ready' | 'todo' | 'not-checked' | 'blocked';

/** One step of the plan. */
export interface RollbackStep {
  readonly step: 'target' | 'image' | 'artifact' | 'feature-contract' | 'config' | 'deploy';
  readonly status: StepStatus;
  /** What the step found, or what is in the way. */
  readonly detail: string;
  /** The command or config to apply, when there is one. */
  readonly action?: string;
  /** Why a link was not read (the lineage command's reasons). */
  readonly reason?: NotReadReason;
}

/** The target package as registered. */
export interface RollbackTarget {
  readonly arn: string;
  readonly version: number;
  readonly imageDigest?: string;
  readonly image?: string;
  readonly modelDataUrl?: string;
  readonly featureContract?: string;
  readonly instanceTypes: readonly string[];
  readonly contentTypes: readonly string[];
}

/** The whole plan. */
export interface RollbackPlan {
  readonly group: string;
  /** Approved versions, newest first. */
  readonly approved: readonly number[];
  readonly from?: number;
  readonly target?: RollbackTarget;
  readonly steps: readonly RollbackStep[];
  /** Access errors, one line each (they make the exit code 2). */
  readonly errors: readonly string[];
}

const DIGEST_IN_URI = /@(sha256:[0-9a-f]{64})$/;

/** Raised when the plan cannot be made at all (the group cannot be listed). */
export class RollbackAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RollbackAbort';
  }
}

/**
 * Reads the approved versions of the group and the target's registration, and checks the artifact
 * and the feature contract. Only approved versions are candidates: a rejected version may have
 * been retired for a reason (its legal holds released, its data erased).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListModelPackages.html
 */
export async function planRollback(c: RollbackClients, r: RollbackRequest): Promise<RollbackPlan> {
  const listed = await approvedVersions(c.sagemaker, r.group);
  const approved = listed.map((l) => l.version);
  const errors: string[] = [];
  const steps: RollbackStep[] = [];
  const from = r.from ?? approved[0];
  if (r.from !== undefined && !approved.includes(r.from)) {
    steps.push({
      step: 'target',
      status: 'blocked',
      detail: `version ${r.from} of ${r.group} is not approved (approved: ${list(approved)})`,
    });
    return { group: r.group, approved, from, steps, errors };
  }
  const version = r.to ?? approved.find((v) => from !== undefined && v < from);
  if (version === undefined || !approved.includes(version)) {
    const detail =
      r.to !== undefined
        ? `version ${r.to} of ${r.group} is not approved (approved: ${list(approved)})`
        : `no approved version of ${r.group} before ${from ?? '(none approved)'} (approved: ${list(approved)})`;
    steps.push({ step: 'target', status: 'blocked', detail });
    return { group: r.group, approved, from, steps, errors };
  }
  if (from !== undefined && version === from) {
    steps.push({ step: 'target', status: 'blocked', detail: `version ${version} is the one served now` });
    return { group: r.group, approved, from, steps, errors };
  }

  let described: DescribeModelPackageCommandOutput;
  // The ARN the listing returned, so the describe call names exactly what was listed.
  const arn = listed.find((l) => l.version === version)?.arn;
  try {
    described = await c.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  } catch (e) {
    const { reason, message } = classifyError(e);
    if (reason === 'access denied')
      errors.push(`model-package ${r.group}/${version}: access denied (${message})`);
    steps.push({ step: 'target', status: 'blocked', detail: message, reason });
    return { group: r.group, approved, from, steps, errors };
  }
  const target = targetOf(described, version);
  steps.push({
    step: 'target',
    status: 'ready',
    detail: `${r.group} version ${version} (approved), replacing ${from === undefined ? 'nothing' : `version ${from}`}`,
  });
  steps.push(
    target.imageDigest
      ? { step: 'image', status: 'ready', detail: `${target.image ?? '(image)'} at ${target.imageDigest}` }
      : {
          step: 'image',
          status: 'blocked',
          detail: `the package names no image digest (image ${target.image ?? 'not recorded'}): a tag cannot be served`,
        },
  );
  steps.push(await artifactStep(c.s3, r, target, errors));
  steps.push(contractStep(r.contract, target.featureContract));
  if (r.served !== undefined && target.imageDigest) {
    const entry = { name: r.served, imageDigest: target.imageDigest, modelVersion: String(version) };
    steps.push({
      step: 'config',
      status: 'todo',
      detail: `servedModels entry of ${r.served}; a new endpoint configuration rolls out blue/green with the alarms' auto-rollback`,
      action: JSON.stringify(entry),
    });
    steps.push({
      step: 'deploy',
      status: 'todo',
      detail:
        'deploys only the serving stack: the model and endpoint configuration are replaced, the endpoint is updated in place',
      action: `npx cdk deploy <prefix>-serving-${r.served} -c config=<your config.json>`,
    });
  } else {
    steps.push(
      r.served === undefined
        ? {
            step: 'config',
            status: 'not-checked',
            detail: 'pass --served <name> to get the servedModels entry',
          }
        : {
            step: 'config',
            status: 'blocked',
            detail: 'no image digest: no servedModels entry can be given',
          },
    );
  }
  return { group: r.group, approved, from, target, steps, errors };
}

/** Approved versions of the group (with their ARNs), newest first, over every page. */
async function approvedVersions(
  sm: SageMakerClient,
  group: string,
): Promise<{ version: number; arn: string }[]> {
  const versions: { version: number; arn: string }[] = [];
  try {
    for await (const page of paginateListModelPackages(
      { client: sm },
      { ModelPackageGroupName: group, ModelApprovalStatus: 'Approved', MaxResults: 100 },
    )) {
      for (const s of page.ModelPackageSummaryList ?? []) {
        if (typeof s.ModelPackageVersion === 'number' && s.ModelPackageArn) {
          versions.push({ version: s.ModelPackageVersion, arn: s.ModelPackageArn });
        }
      }
    }
  } catch (e) {
    const { message } = classifyError(e);
    throw new RollbackAbort(`cannot list the approved versions of ${group} (${message})`);
  }
  return versions.sort((x, y) => y.version - x.version);
}

function targetOf(d: DescribeModelPackageCommandOutput, version: number): RollbackTarget {
  const container = d.InferenceSpecification?.Containers?.[0];
  const image = container?.Image;
  const imageDigest = container?.ImageDigest ?? (image ? DIGEST_IN_URI.exec(image)?.[1] : undefined);
  return {
    arn: d.ModelPackageArn ?? '',
    version,
    image,
    imageDigest,
    modelDataUrl: container?.ModelDataUrl,
    featureContract: d.CustomerMetadataProperties?.[LINEAGE_METADATA_KEYS.featureContract],
    instanceTypes: d.InferenceSpecification?.SupportedRealtimeInferenceInstanceTypes ?? [],
    contentTypes: d.InferenceSpecification?.SupportedContentTypes ?? [],
  };
}

/** Whether the target's artifact is at the key the serving stack reads, else how to put it there. */
async function artifactStep(
  s3: S3Client,
  r: RollbackRequest,
  t: RollbackTarget,
  errors: string[],
): Promise<RollbackStep> {
  if (r.served === undefined || r.artifactBucket === undefined) {
    return {
      step: 'artifact',
      status: 'not-checked',
      detail: 'pass --served and --artifact-bucket to check the served artifact key',
    };
  }
  const key = `models/${r.served}/${t.version}/model.tar.gz`;
  try {
    await s3.send(new HeadObjectCommand({ Bucket: r.artifactBucket, Key: key }));
    return { step: 'artifact', status: 'ready', detail: `s3://${r.artifactBucket}/${key} is in place` };
  } catch (e) {
    const { reason, message } = classifyError(e);
    if (reason === 'missing' && t.modelDataUrl) {
      return {
        step: 'artifact',
        status: 'todo',
        detail: `s3://${r.artifactBucket}/${key} is missing: promote the package's artifact`,
        action: `aws s3 cp "${t.modelDataUrl}" "s3://${r.artifactBucket}/${key}" --sse aws:kms --sse-kms-key-id "$MODELS_KEY"`,
      };
    }
    if (reason === 'access denied')
      errors.push(`s3://${r.artifactBucket}/${key}: access denied (${message})`);
    return {
      step: 'artifact',
      status: 'blocked',
      detail:
        reason === 'missing'
          ? `s3://${r.artifactBucket}/${key} is missing and the package names no artifact`
          : message,
      reason,
    };
  }
}

/**
 * The feature contract the target was registered with against the one served now: features of a
 * different major version are not compatible (FeatureContract's version rules), so the contract
 * version must go back with the model.
 */
function contractStep(current: string | undefined, registered: string | undefined): RollbackStep {
  if (registered === undefined) {
    return {
      step: 'feature-contract',
      status: current === undefined ? 'todo' : 'blocked',
      detail:
        'the package records no lineage:feature-contract: check by hand which contract version it was trained on',
      reason: 'not recorded',
    };
  }
  if (current === undefined) {
    return {
      step: 'feature-contract',
      status: 'todo',
      detail: `registered with ${registered}: serve that contract version (pass --contract to compare)`,
    };
  }
  const [rn, rv] = splitContract(registered);
  const [cn, cv] = splitContract(current);
  if (rn !== cn) {
    return {
      step: 'feature-contract',
      status: 'blocked',
      detail: `registered with contract ${registered}, the serving stack uses ${current}`,
    };
  }
  if (major(rv) !== major(cv)) {
    return {
      step: 'feature-contract',
      status: 'blocked',
      detail: `registered with ${registered}, served now ${current}: a major version apart, the request features differ; deploy contract ${rv} with the model`,
    };
  }
  return {
    step: 'feature-contract',
    status: 'ready',
    detail: `registered with ${registered}; ${current} is compatible (same major)`,
  };
}

function splitContract(s: string): [string, string] {
  const i = s.lastIndexOf('@');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function major(v: string): string {
  return v.split('.')[0] ?? v;
}

function list(versions: readonly number[]): string {
  return versions.length === 0 ? 'none' : versions.join(', ');
}

/** Exit codes: 0 no step blocked (ready, to do or not checked), 1 a step blocked, 2 access errors. */
export function rollbackExitCode(plan: RollbackPlan): 0 | 1 | 2 {
  if (plan.errors.length > 0) return 2;
  return plan.steps.some((s) => s.status === 'blocked') ? 1 : 0;
}
