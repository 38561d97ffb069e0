import { paginateGetMetricData, paginateListMetrics } from '@aws-sdk/client-cloudwatch';
import { DescribeKeyCommand, GetKeyRotationStatusCommand, KeyMetadata } from '@aws-sdk/client-kms';
import {
  paginateListModelPackageGroups,
  paginateListModelPackages,
  paginateListMonitoringSchedules,
  ProductionVariantSummary,
} from '@aws-sdk/client-sagemaker';
import { DIMENSIONS, METRIC_NAMESPACE, METRICS } from '../handlers/drift-monitor/contract';
import { Finding, RuleInfo } from '../report/finding';
import { AuditClients } from './clients';
import { isAccessDenied, isFatal, messageOf } from './errors';
import { LastAccessedPolling, sageMakerAccessOfUsers } from './iam-users';
import { SageMakerInventory } from './inventory';
import { Limiter, mapLimited } from './limit';
import { judgeShapes, LIVE_RULES, LiveRuleGroup } from './live-rules';
import { AUDIT_RULE_IDS as R, AuditCheckName, auditRule } from './rules';

/** What a check reads and where it reports. */
export interface CheckContext {
  readonly clients: AuditClients;
  readonly inventory: SageMakerInventory;
  readonly limit: Limiter;
  /** The audit's clock: idle windows and training lookback end here. */
  readonly now: Date;
  /** Days of the idle-endpoint window and the training-job lookback. */
  readonly lookbackDays: number;
  /** `Finding.stack`: where the resources are, e.g. `eu-west-1`. */
  readonly location: string;
  /** Days after which a granted, unused SageMaker permission of an IAM user is stale. */
  readonly staleSageMakerDays: number;
  /** How IAM's last-accessed report jobs are polled. */
  readonly lastAccessedPolling: LastAccessedPolling;
}

/** The findings of one check, plus what it could not read (it still reports the rest). */
export interface CheckOutcome {
  readonly findings: Finding[];
  /** One line per part the check could not complete, e.g. a key it may not describe. */
  readonly problems: string[];
  /**
   * Descriptors of rules the check reported that AUDIT_RULES does not list (the packs' rules).
   * @default - none
   */
  readonly rules?: RuleInfo[];
}

/** One check group. */
export type AuditCheck = (ctx: CheckContext) => Promise<CheckOutcome>;

/** Hours in an average month (365 × 24 / 12), the unit of the idle-endpoint cost estimate. */
export const HOURS_PER_MONTH = 730;

interface Resource {
  readonly name: string;
  readonly type: string;
}

function finding(
  ctx: CheckContext,
  ruleId: string,
  resource: Resource,
  message: string,
  granular?: string,
): Finding {
  const rule = auditRule(ruleId);
  return {
    ruleId,
    findingId: granular ? `${ruleId}[${granular}]` : ruleId,
    granular,
    level: rule.level,
    pack: rule.pack,
    message,
    explanation: rule.explanation,
    stack: ctx.location,
    logicalId: resource.name,
    resourceType: resource.type,
  };
}

const ok = (findings: Finding[], problems: string[] = []): CheckOutcome => ({ findings, problems });

/**
 * A check group judged by the synth-time rules: its resources are described, mapped onto their
 * CloudFormation properties and checked by the same rules as synth and `compliant-mlops check`
 * (see {@link LIVE_RULES}). Findings carry the rule ids of the packs, on the live ARN.
 */
function liveRuleCheck(group: LiveRuleGroup): AuditCheck {
  return async (ctx) => {
    const shapes = await LIVE_RULES[group].describe(ctx.inventory);
    const outcome = judgeShapes(group, shapes, ctx.location);
    return { findings: outcome.findings, problems: outcome.problems, rules: outcome.rules };
  };
}

/** Endpoint configurations: volume key, data capture and its key, variant count, async output key. */
export const checkEndpointConfigs: AuditCheck = liveRuleCheck('endpoint-configs');

/** Models: network isolation, VPC (subnets and security groups), image digest and registry. */
export const checkModels: AuditCheck = liveRuleCheck('models');

/** Notebook instances: root access, IMDSv2, lifecycle configuration, VPC, key, direct internet. */
export const checkNotebooks: AuditCheck = liveRuleCheck('notebooks');

/** Studio domains: VPC-only, idle shutdown, key. */
export const checkDomains: AuditCheck = liveRuleCheck('domains');

/** Endpoints in service for the whole window with no invocations in it: retirement candidates. */
export const checkIdleEndpoints: AuditCheck = async (ctx) => {
  const windowStart = new Date(ctx.now.getTime() - ctx.lookbackDays * 86_400_000);
  const candidates = (await ctx.inventory.endpoints()).filter(
    (e) => !e.CreationTime || e.CreationTime <= windowStart,
  );
  const problems: string[] = [];
  const results = await mapLimited(ctx.limit, candidates, async (e) => {
    const name = e.EndpointName ?? '?';
    const variants = e.ProductionVariants ?? [];
    const instances = variants.reduce((n, v) => n + instanceCount(v), 0);
    if (instances === 0) return undefined; // serverless: billed per request, nothing idles
    const invocations = await sumInvocations(ctx, name, variants, windowStart);
    if (invocations > 0) return undefined;
    const types = await instanceTypes(ctx, e.EndpointConfigName, problems);
    const hours = instances * HOURS_PER_MONTH;
    const what = types
      ? ` (${instances} × ${types})`
      : ` (${instances} instance${instances === 1 ? '' : 's'})`;
    return finding(
      ctx,
      R.endpointIdle,
      { name, type: 'AWS::SageMaker::Endpoint' },
      `No invocations in ${ctx.lookbackDays} days; ${hours} instance-hours a month${what}.`,
    );
  });
  return ok(
    results.filter((f): f is Finding => f !== undefined),
    problems,
  );
};

/**
 * In-service endpoints with neither a SageMaker monitoring schedule in `Scheduled` status
 * (ListMonitoringSchedules filtered by EndpointName) nor this library's DriftMonitor reporting for
 * them. Prowler's sagemaker_models_monitor_enabled only asks for one scheduled monitor per region;
 * this asks for one per endpoint. The DriftMonitor is a scheduled Lambda, not a monitoring schedule:
 * it is recognised by what it does, its per-endpoint `AnalysisRuns` heartbeat in `ML/Drift`
 * (ListMetrics only lists metrics with data in the last two weeks, so a monitor that stopped
 * running does not count).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html
 */
export const checkEndpointMonitoring: AuditCheck = async (ctx) => {
  const problems: string[] = [];
  const results = await mapLimited(ctx.limit, await ctx.inventory.endpoints(), async (e) => {
    const name = e.EndpointName ?? '?';
    try {
      if (await hasScheduledMonitor(ctx, name)) return undefined;
      if (await hasDriftHeartbeat(ctx, name)) return undefined;
    } catch (err) {
      if (isFatal(err)) throw err;
      problems.push(`monitoring of endpoint ${name} not read (${messageOf(err)})`);
      return undefined;
    }
    return finding(
      ctx,
      R.endpointUnmonitored,
      { name: e.EndpointArn ?? name, type: 'AWS::SageMaker::Endpoint' },
      `Endpoint ${name}: no monitoring schedule in Scheduled status and no drift monitor heartbeat (${METRIC_NAMESPACE} ${METRICS.analysisRuns}) in the last two weeks.`,
    );
  });
  return ok(
    results.filter((f): f is Finding => f !== undefined),
    problems,
  );
};

async function hasScheduledMonitor(ctx: CheckContext, endpoint: string): Promise<boolean> {
  const pages = paginateListMonitoringSchedules(
    { client: ctx.clients.sagemaker },
    { EndpointName: endpoint },
  );
  for await (const page of pages) {
    if ((page.MonitoringScheduleSummaries ?? []).some((m) => m.MonitoringScheduleStatus === 'Scheduled')) {
      return true;
    }
  }
  return false;
}

async function hasDriftHeartbeat(ctx: CheckContext, endpoint: string): Promise<boolean> {
  const pages = paginateListMetrics(
    { client: ctx.clients.cloudwatch },
    {
      Namespace: METRIC_NAMESPACE,
      MetricName: METRICS.analysisRuns,
      Dimensions: [{ Name: DIMENSIONS.endpointName, Value: endpoint }],
    },
  );
  for await (const page of pages) if ((page.Metrics ?? []).length > 0) return true;
  return false;
}

/**
 * Prowler's sagemaker_models_registry_in_use: the region has a model package group and an approved
 * (versioned) model package. One region-level finding, located on the region's registry, and only
 * when the region serves an endpoint: a region with nothing deployed has nothing to register.
 */
export const checkModelRegistry: AuditCheck = async (ctx) => {
  if ((await ctx.inventory.endpoints()).length === 0) return ok([]);
  const client = ctx.clients.sagemaker;
  const where = { name: `model-registry/${ctx.location}`, type: 'AWS::SageMaker::ModelPackageGroup' };
  // Paged to the first hit: a filtered page may be empty and still carry a NextToken.
  const anyOf = async <P>(pages: AsyncIterable<P>, pick: (p: P) => readonly unknown[] | undefined) => {
    for await (const page of pages) if ((pick(page) ?? []).length > 0) return true;
    return false;
  };
  if (!(await anyOf(paginateListModelPackageGroups({ client }, {}), (p) => p.ModelPackageGroupSummaryList))) {
    return ok([finding(ctx, R.modelRegistryUnused, where, `No model package group in ${ctx.location}.`)]);
  }
  const approved = paginateListModelPackages(
    { client },
    { ModelApprovalStatus: 'Approved', ModelPackageType: 'Versioned' },
  );
  if (!(await anyOf(approved, (p) => p.ModelPackageSummaryList))) {
    return ok([
      finding(
        ctx,
        R.modelRegistryUnused,
        where,
        `Model package groups exist in ${ctx.location} but no model package is approved.`,
      ),
    ]);
  }
  return ok([]);
};

function instanceCount(v: ProductionVariantSummary): number {
  if (v.CurrentServerlessConfig) return 0;
  return v.CurrentInstanceCount ?? v.DesiredInstanceCount ?? 0;
}

async function sumInvocations(
  ctx: CheckContext,
  endpoint: string,
  variants: ProductionVariantSummary[],
  start: Date,
): Promise<number> {
  const queries = variants.map((v, i) => ({
    Id: `v${i}`,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/SageMaker',
        MetricName: 'Invocations',
        Dimensions: [
          { Name: 'EndpointName', Value: endpoint },
          { Name: 'VariantName', Value: v.VariantName ?? '' },
        ],
      },
      Period: 86_400,
      Stat: 'Sum',
    },
  }));
  let total = 0;
  const pages = paginateGetMetricData(
    { client: ctx.clients.cloudwatch },
    { MetricDataQueries: queries, StartTime: start, EndTime: ctx.now },
  );
  for await (const page of pages) {
    for (const r of page.MetricDataResults ?? []) for (const v of r.Values ?? []) total += v;
  }
  return total;
}

async function instanceTypes(
  ctx: CheckContext,
  configName: string | undefined,
  problems: string[],
): Promise<string | undefined> {
  if (!configName) return undefined;
  try {
    const ec = await ctx.inventory.endpointConfig(configName);
    const types = (ec.ProductionVariants ?? [])
      .map((v) => v.InstanceType)
      .filter((t): t is NonNullable<typeof t> => t !== undefined);
    return types.length > 0 ? [...new Set(types)].join(', ') : undefined;
  } catch (err) {
    if (isFatal(err)) throw err;
    problems.push(`endpoint config ${configName}: ${messageOf(err)}`);
    return undefined;
  }
}

/**
 * Training jobs of the lookback window: managed spot and what it saved (audit-only), plus the
 * pipeline training rules of synth and `check` on each job (isolation, VPC, keys, inter-container
 * encryption, pinned image, spot checkpoints).
 */
export const checkTrainingJobs: AuditCheck = async (ctx) => {
  const out: Finding[] = [];
  for (const j of await ctx.inventory.trainingJobs()) {
    const r = { name: j.TrainingJobName ?? '?', type: 'AWS::SageMaker::TrainingJob' };
    if (j.EnableManagedSpotTraining !== true) {
      out.push(finding(ctx, R.trainingSpot, r, 'Ran on on-demand capacity (managed spot training off).'));
      continue;
    }
    const training = j.TrainingTimeInSeconds ?? 0;
    const billable = j.BillableTimeInSeconds;
    if (training > 0 && billable !== undefined) {
      const saved = spotSavings(training, billable);
      out.push(
        finding(
          ctx,
          R.trainingSavings,
          r,
          `Managed spot saved ${Math.round(saved * 100)}% (billable ${billable} s of ${training} s).`,
        ),
      );
    }
  }
  const live = await liveRuleCheck('training-jobs')(ctx);
  return { findings: [...out, ...live.findings], problems: live.problems, rules: live.rules };
};

/** Spot savings of a training job: `1 - billable / training`, clamped to [0, 1]. */
export function spotSavings(trainingSeconds: number, billableSeconds: number): number {
  if (trainingSeconds <= 0) return 0;
  return Math.min(1, Math.max(0, 1 - billableSeconds / trainingSeconds));
}

/** A KMS key reference found on a SageMaker resource. */
interface KeyUse {
  readonly ref: string;
  readonly user: string;
}

/**
 * Customer-managed keys referenced by SageMaker resources (endpoint configs, notebooks, domains,
 * training jobs): rotation on, not pending deletion, usable. AWS managed keys rotate on their own
 * and are skipped.
 */
export const checkKeys: AuditCheck = async (ctx) => {
  const problems: string[] = [];
  const uses: KeyUse[] = [];
  const sources: [string, () => Promise<KeyUse[]>][] = [
    [
      'endpoint configs',
      async () =>
        (await ctx.inventory.endpointConfigs()).flatMap((ec) =>
          [ec.KmsKeyId, ec.DataCaptureConfig?.KmsKeyId, ec.AsyncInferenceConfig?.OutputConfig?.KmsKeyId]
            .filter(isKeyRef)
            .map((ref) => ({ ref, user: `endpoint config ${ec.EndpointConfigName}` })),
        ),
    ],
    [
      'notebook instances',
      async () =>
        (await ctx.inventory.notebooks())
          .filter((n) => isKeyRef(n.KmsKeyId))
          .map((n) => ({ ref: n.KmsKeyId!, user: `notebook ${n.NotebookInstanceName}` })),
    ],
    [
      'domains',
      async () =>
        (await ctx.inventory.domains())
          .filter((d) => isKeyRef(d.KmsKeyId))
          .map((d) => ({ ref: d.KmsKeyId!, user: `domain ${d.DomainName ?? d.DomainId}` })),
    ],
    [
      'training jobs',
      async () =>
        (await ctx.inventory.trainingJobs()).flatMap((j) =>
          [j.OutputDataConfig?.KmsKeyId, j.ResourceConfig?.VolumeKmsKeyId]
            .filter(isKeyRef)
            .map((ref) => ({ ref, user: `training job ${j.TrainingJobName}` })),
        ),
    ],
  ];
  for (const [label, read] of sources) {
    try {
      uses.push(...(await read()));
    } catch (err) {
      if (isFatal(err)) throw err;
      problems.push(`${label} not read (${isAccessDenied(err) ? 'access denied: ' : ''}${messageOf(err)})`);
    }
  }

  const refs = [...new Set(uses.map((u) => u.ref))];
  const described = await mapLimited(ctx.limit, refs, async (ref) => {
    try {
      const res = await ctx.clients.kms.send(new DescribeKeyCommand({ KeyId: ref }));
      return { ref, meta: res.KeyMetadata };
    } catch (err) {
      if (isFatal(err)) throw err;
      if (errorName(err) === 'NotFoundException') return { ref, meta: undefined, missing: true };
      problems.push(`key ${ref} not described (${messageOf(err)})`);
      return { ref, meta: undefined };
    }
  });

  // Several references (alias, id, ARN) may name one key: report each key once.
  const byArn = new Map<string, { meta: KeyMetadata; users: Set<string> }>();
  const out: Finding[] = [];
  for (const d of described) {
    const users = uses.filter((u) => u.ref === d.ref).map((u) => u.user);
    if ('missing' in d && d.missing) {
      out.push(
        finding(
          ctx,
          R.keyUnusable,
          { name: d.ref, type: 'AWS::KMS::Key' },
          `The key does not exist; used by ${users.join(', ')}.`,
        ),
      );
      continue;
    }
    if (!d.meta?.Arn || d.meta.KeyManager === 'AWS') continue;
    const entry = byArn.get(d.meta.Arn) ?? { meta: d.meta, users: new Set<string>() };
    users.forEach((u) => entry.users.add(u));
    byArn.set(d.meta.Arn, entry);
  }

  const keyFindings = await mapLimited(ctx.limit, [...byArn.entries()], async ([arn, { meta, users }]) => {
    const r = { name: arn, type: 'AWS::KMS::Key' };
    const usedBy = `used by ${[...users].sort().join(', ')}`;
    const state = meta.KeyState;
    if (state === 'PendingDeletion' || state === 'PendingReplicaDeletion') {
      const when = meta.DeletionDate ? ` on ${meta.DeletionDate.toISOString().slice(0, 10)}` : '';
      return [finding(ctx, R.keyPendingDeletion, r, `Scheduled for deletion${when}; ${usedBy}.`)];
    }
    // States in which SageMaker cannot use the key for anything: nothing it encrypts can start.
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
    if (state === 'Disabled') return [finding(ctx, R.keyUnusable, r, `The key is disabled; ${usedBy}.`)];
    if (state === 'PendingImport') {
      return [finding(ctx, R.keyUnusable, r, `The key has no key material yet (PendingImport); ${usedBy}.`)];
    }
    if (state === 'Unavailable') {
      return [
        finding(
          ctx,
          R.keyUnusable,
          r,
          `The key is unavailable (Unavailable: its custom key store is disconnected); ${usedBy}.`,
        ),
      ];
    }
    // Automatic rotation exists only for symmetric keys with KMS-generated material.
    if (meta.KeySpec !== 'SYMMETRIC_DEFAULT' || meta.Origin !== 'AWS_KMS') return [];
    try {
      const rotation = await ctx.clients.kms.send(new GetKeyRotationStatusCommand({ KeyId: arn }));
      return rotation.KeyRotationEnabled
        ? []
        : [finding(ctx, R.keyRotation, r, `Automatic rotation is off; ${usedBy}.`)];
    } catch (err) {
      if (isFatal(err)) throw err;
      problems.push(`rotation of ${arn} not read (${messageOf(err)})`);
      return [];
    }
  });
  out.push(...keyFindings.flat());
  return ok(out, problems);
};

function isKeyRef(value: string | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}

function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string'
    ? (err as { name: string }).name
    : '';
}

/**
 * Prowler's iam_user_access_not_stale_to_sagemaker, per account: IAM users whose policies allow
 * SageMaker actions (IAM's service-last-accessed report lists the `sagemaker` namespace) and who
 * never used them, or not within `staleSageMakerDays`. Users without SageMaker permissions are not
 * reported. A user whose report job fails or does not finish within the polling bound is listed as
 * not checked (the audit exits 2), never passed.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html
 */
export const checkIamUsers: AuditCheck = async (ctx) => {
  const results = await sageMakerAccessOfUsers(
    ctx.clients.iam,
    ctx.limit,
    ctx.now,
    ctx.staleSageMakerDays,
    ctx.lastAccessedPolling,
  );
  const out: Finding[] = [];
  const problems: string[] = [];
  for (const r of results) {
    const name = r.user.UserName ?? r.user.Arn ?? '?';
    if ('problem' in r) {
      problems.push(`IAM user ${name}: not checked (${r.problem})`);
      continue;
    }
    const where = { name: r.user.Arn ?? name, type: 'AWS::IAM::User' };
    if (r.access.kind === 'never-used') {
      out.push(
        finding(
          ctx,
          R.iamUserStaleSageMaker,
          where,
          `IAM user ${name} has SageMaker permissions and never used them.`,
        ),
      );
    } else if (r.access.kind === 'stale') {
      out.push(
        finding(
          ctx,
          R.iamUserStaleSageMaker,
          where,
          `IAM user ${name} last used SageMaker ${r.access.days} days ago (threshold ${ctx.staleSageMakerDays} days).`,
        ),
      );
    }
  }
  return ok(out, problems);
};

/** True for an AWS managed key's alias (`alias/aws/sagemaker`), by name or alias ARN. */
export function isAwsManagedAlias(key: string): boolean {
  return /^(arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\//.test(key);
}

/**
 * Checkov's CKV_AWS_372, live: every Augmented AI flow definition writes its human review output
 * under a customer managed key (`OutputConfig.KmsKeyId` set, not an `alias/aws/*` AWS managed key).
 * CloudFormation has no flow definition resource type, so no template holds one and the rule runs
 * only here.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeFlowDefinition.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_FlowDefinitionOutputConfig.html
 */
export const checkFlowDefinitions: AuditCheck = async (ctx) => {
  const out: Finding[] = [];
  for (const f of await ctx.inventory.flowDefinitions()) {
    const name = f.FlowDefinitionName ?? '?';
    const where = { name: f.FlowDefinitionArn ?? name, type: 'AWS::SageMaker::FlowDefinition' };
    const key = f.OutputConfig?.KmsKeyId;
    if (typeof key !== 'string' || key.length === 0) {
      out.push(
        finding(
          ctx,
          R.flowDefinitionOutputKms,
          where,
          `Flow definition ${name}: OutputConfig.KmsKeyId is not set.`,
        ),
      );
    } else if (isAwsManagedAlias(key)) {
      out.push(
        finding(
          ctx,
          R.flowDefinitionOutputKms,
          where,
          `Flow definition ${name}: OutputConfig.KmsKeyId ${key} is an AWS managed key, not a customer managed key.`,
        ),
      );
    }
  }
  return ok(out);
};

/** Every check group, by name. */
export const AUDIT_CHECK_FUNCTIONS: Readonly<Record<AuditCheckName, AuditCheck>> = {
  'endpoint-configs': checkEndpointConfigs,
  models: checkModels,
  notebooks: checkNotebooks,
  domains: checkDomains,
  'idle-endpoints': checkIdleEndpoints,
  'endpoint-monitoring': checkEndpointMonitoring,
  'model-registry': checkModelRegistry,
  'training-jobs': checkTrainingJobs,
  keys: checkKeys,
  'lifecycle-configs': liveRuleCheck('lifecycle-configs'),
  'studio-lifecycle-configs': liveRuleCheck('studio-lifecycle-configs'),
  images: liveRuleCheck('images'),
  'app-image-configs': liveRuleCheck('app-image-configs'),
  'image-versions': liveRuleCheck('image-versions'),
  'inference-experiments': liveRuleCheck('inference-experiments'),
  'iam-users': checkIamUsers,
  'flow-definitions': checkFlowDefinitions,
};
