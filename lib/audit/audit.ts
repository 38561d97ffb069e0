import { toolVersion } from '../check/version';
import { Finding, FindingLevel, InputError, Report, RuleInfo } from '../report/finding';
import { AUDIT_CHECK_FUNCTIONS, CheckContext } from './checks';
import {
  AuditClientFactory,
  AuditClientOptions,
  createAuditClients,
  DEFAULT_AUDIT_REQUEST_TIMEOUT_MS,
  destroyClients,
} from './clients';
import { AuditAbort, isAccessDenied, isCredentialsProblem, isUnreachable, messageOf } from './errors';
import {
  DEFAULT_LAST_ACCESSED_POLLING,
  DEFAULT_STALE_SAGEMAKER_DAYS,
  LastAccessedPolling,
} from './iam-users';
import { SageMakerInventory } from './inventory';
import { createLimiter } from './limit';
import { LIVE_RULES, LiveRuleGroup, liveRuleDescriptors } from './live-rules';
import { AUDIT_CHECKS, AUDIT_RULES, AuditCheckName } from './rules';

/** Options of {@link runAudit}. */
export interface AuditOptions extends AuditClientOptions {
  /**
   * The check groups to run.
   * @default - all of AUDIT_CHECKS
   */
  readonly checks?: readonly AuditCheckName[];
  /**
   * Requests in flight at once (describes, metric queries).
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Builds the clients; tests pass one that points at a loopback fake.
   * @default createAuditClients
   */
  readonly clientFactory?: AuditClientFactory;
  /**
   * The audit's clock.
   * @default - now
   */
  readonly now?: Date;
  /**
   * Days of the idle-endpoint window and the training-job lookback.
   * @default 30
   */
  readonly lookbackDays?: number;
  /**
   * Days after which an IAM user's granted, unused SageMaker permissions are stale (check
   * `iam-users`; Prowler's `max_unused_sagemaker_access_days`).
   * @default 90
   */
  readonly staleSageMakerDays?: number;
  /**
   * How IAM's service-last-accessed report jobs are polled; a job still running after
   * `maxPolls` reads leaves its user not checked.
   * @default - every 2000 ms, at most 30 reads
   */
  readonly lastAccessedPolling?: LastAccessedPolling;
  /**
   * Called once per check that could not run or ran only in part, with a one-line message.
   * @default - none
   */
  readonly onProblem?: (line: string) => void;
}

/**
 * Runs read-only checks against the SageMaker resources and the KMS keys of one account and
 * region, and returns a report in the shared model. A check that is denied access is reported in
 * `errors` and the others still run; missing or rejected credentials, and a service that does
 * not answer (timeouts after the SDK's retries), stop the audit with one {@link AuditAbort}.
 */
export async function runAudit(options: AuditOptions): Promise<Report> {
  const checks = options.checks ?? AUDIT_CHECKS;
  const clients = (options.clientFactory ?? createAuditClients)(options);
  const location = options.profile ? `${options.region} (profile ${options.profile})` : options.region;
  const limit = createLimiter(options.concurrency ?? 4);
  const now = options.now ?? new Date();
  const lookbackDays = options.lookbackDays ?? 30;
  const ctx: CheckContext = {
    clients,
    inventory: new SageMakerInventory(clients.sagemaker, limit, now, lookbackDays),
    limit,
    now,
    lookbackDays,
    location,
    staleSageMakerDays: options.staleSageMakerDays ?? DEFAULT_STALE_SAGEMAKER_DAYS,
    lastAccessedPolling: options.lastAccessedPolling ?? DEFAULT_LAST_ACCESSED_POLLING,
  };
  const findings: Finding[] = [];
  const errors: InputError[] = [];
  const reported = new Map<string, RuleInfo>();
  const problem = (check: AuditCheckName, message: string): void => {
    errors.push({ input: `check ${check}`, message, pack: check });
    options.onProblem?.(`check ${check}: ${message}`);
  };
  try {
    // In the fixed order of AUDIT_CHECKS, one at a time: each check's describes already run in
    // parallel, and shared lists are fetched by the first check that needs them.
    for (const name of AUDIT_CHECKS.filter((c) => checks.includes(c))) {
      try {
        const outcome = await AUDIT_CHECK_FUNCTIONS[name](ctx);
        findings.push(...outcome.findings);
        for (const r of outcome.rules ?? []) if (!reported.has(r.id)) reported.set(r.id, r);
        for (const p of outcome.problems) problem(name, `incomplete: ${p}`);
      } catch (err) {
        if (isCredentialsProblem(err)) {
          throw new AuditAbort(
            `no usable AWS credentials for region ${options.region}${options.profile ? ` and profile ${options.profile}` : ''} (${messageOf(err)}); set AWS_PROFILE, pass --profile, or configure credentials`,
          );
        }
        if (isUnreachable(err)) {
          const seconds = (options.requestTimeoutMs ?? DEFAULT_AUDIT_REQUEST_TIMEOUT_MS) / 1000;
          throw new AuditAbort(
            `no answer from AWS in region ${options.region} within ${seconds} s per request (${messageOf(err)}); check the network path to the service endpoints (proxy, firewall, VPC endpoints)`,
          );
        }
        problem(
          name,
          isAccessDenied(err)
            ? `access denied, not checked (${messageOf(err)})`
            : `failed, not checked (${messageOf(err)})`,
        );
      }
    }
  } finally {
    destroyClients(clients);
  }
  const packs = AUDIT_CHECKS.filter((c) => checks.includes(c));
  return {
    tool: { name: 'compliant-mlops', version: toolVersion(), command: 'audit' },
    findings,
    rules: auditRules(packs, reported),
    inputs: [location],
    errors,
    packs,
  };
}

/**
 * The rule descriptors of a run: the audit's own rules and the MLOps rules of the groups that ran,
 * listed whether or not they fired, plus any other pack rule that reported (AwsSolutions-SM*).
 */
function auditRules(packs: readonly AuditCheckName[], reported: ReadonlyMap<string, RuleInfo>): RuleInfo[] {
  const out = new Map<string, RuleInfo>();
  for (const r of AUDIT_RULES) if ((packs as readonly string[]).includes(r.pack)) out.set(r.id, r);
  for (const p of packs) {
    if (!(p in LIVE_RULES)) continue;
    for (const r of liveRuleDescriptors(p as LiveRuleGroup)) out.set(r.id, r);
  }
  for (const [id, r] of reported) if (!out.has(id)) out.set(id, r);
  return [...out.values()];
}

/** When a run fails: findings at or above this level. */
export type AuditFailOn = 'error' | 'warning' | 'none';

const FAILING: Readonly<Record<AuditFailOn, readonly FindingLevel[]>> = {
  error: ['error'],
  warning: ['error', 'warning'],
  none: [],
};

/**
 * The exit code of an audit, as the checker's: 2 when a check could not run (the audit is
 * incomplete), 1 when a finding is at or above `failOn`, else 0.
 */
export function auditExitCode(report: Report, failOn: AuditFailOn): 0 | 1 | 2 {
  if (report.errors.length > 0) return 2;
  return report.findings.some((f) => !f.acknowledgment && FAILING[failOn].includes(f.level)) ? 1 : 0;
}
