// Type imports only of the auditor and its clients: the AWS SDK loads when an audit runs, so
// `audit --help` and usage errors answer in node's start-up time.
import type { AuditFailOn } from '../../audit/audit';
import type { AuditClientFactory } from '../../audit/clients';
import { AuditAbort } from '../../audit/errors';
import { AUDIT_CHECKS, AuditCheckName, isAuditCheckName } from '../../audit/rules';
import { REPORT_FORMATS, writeReport as renderReport } from '../../report/writers';
import { CliIO, Command, EXIT, UsageError } from '../command';
import { parseCommandArgs } from '../args';
import { resolveFormat, resolveRegion, writeReport } from '../command-options';

const FAIL_ON: readonly AuditFailOn[] = ['error', 'warning', 'none'];

const USAGE = `usage: compliant-mlops audit [options]

Read-only checks of the SageMaker resources and KMS keys deployed in one account and region:
key rotation and pending deletion, endpoint encryption and data capture, model isolation,
notebook and Studio hardening, idle endpoints (retirement candidates), endpoints without a
monitoring schedule or drift monitor, an unused model registry, spot savings of recent
training jobs, IAM users with stale SageMaker permissions and human review (Augmented AI) flow
definitions without a customer managed output key. Needs read access only (sagemaker:List*/Describe*,
kms:DescribeKey, kms:GetKeyRotationStatus, cloudwatch:GetMetricData, cloudwatch:ListMetrics,
iam:ListUsers, iam:GenerateServiceLastAccessedDetails, iam:GetServiceLastAccessedDetails; the exact
list is AUDIT_IAM_ACTIONS in lib/audit/permissions.ts).
Models, endpoint configs, notebooks and their lifecycle configs, Studio domains, images and image
versions, inference experiments and training jobs are judged by the rules of synth
and \`check\` (ids MLOps-*); a value the describe does not return is never
reported as a pass.

options:
  --region R             region to audit (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --profile P            profile of the shared AWS config/credentials files (default: the SDK's credential chain)
  --checks a,b           checks to run (default: all: ${AUDIT_CHECKS.join(', ')})
  --format F             text | json | sarif | junit | markdown (default: text)
  --output FILE          write the report to FILE instead of stdout
  --fail-on L            error | warning | none: the lowest level that fails (default: error)
  --concurrency N        requests in flight at once, 1-16 (default: 4)
  --stale-days N         check iam-users: days after which a granted, unused SageMaker permission
                         is stale, 1-400 (IAM tracks last access for 400 days; default: 90)
  --request-timeout S    seconds each request may take before it is retried, 0.1-300 (default: 20);
                         a service that still does not answer stops the audit
  --category NAME        SARIF runAutomationDetails.id prefix (default: compliant-mlops)

exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage error, missing credentials,
no answer from AWS, or a check that could not run (access denied: the other checks still run and are reported)
`;

/** Options of {@link createAuditCommand}. */
export interface AuditCommandOptions {
  /**
   * Builds the SDK clients; tests point them at a loopback fake.
   * @default - SDK v3 clients with the default endpoint resolution and credential chain
   */
  readonly clientFactory?: AuditClientFactory;
  /**
   * The audit's clock.
   * @default - the time the command runs
   */
  readonly now?: () => Date;
}

/** `compliant-mlops audit`, with injectable clients and clock. */
export function createAuditCommand(options: AuditCommandOptions = {}): Command {
  return {
    name: 'audit',
    summary: 'read-only audit of the SageMaker resources and KMS keys of a deployed account and region',
    usage: USAGE,
    run: async (args, io) => runAuditCommand(args, io, options),
  };
}

/** The `audit` command with real AWS clients. */
export const auditCommand: Command = createAuditCommand();

const OPTIONS = {
  region: { type: 'string' },
  profile: { type: 'string' },
  checks: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  concurrency: { type: 'string' },
  'stale-days': { type: 'string' },
  'request-timeout': { type: 'string' },
  category: { type: 'string' },
} as const;

async function runAuditCommand(
  args: readonly string[],
  io: CliIO,
  options: AuditCommandOptions,
): Promise<number> {
  const { values } = parseCommandArgs('audit', args, OPTIONS, false);
  const region = resolveRegion('audit', values.region, io);
  const format = resolveFormat('audit', values.format, REPORT_FORMATS);
  const failOn = (values['fail-on'] ?? 'error') as AuditFailOn;
  if (!FAIL_ON.includes(failOn)) {
    throw new UsageError(
      `audit: --fail-on: unknown level ${JSON.stringify(failOn)} (expected one of ${FAIL_ON.join(', ')})`,
    );
  }
  let checks: AuditCheckName[] | undefined;
  if (values.checks !== undefined) {
    const named = values.checks
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    const unknown = named.filter((c) => !isAuditCheckName(c));
    if (named.length === 0 || unknown.length > 0) {
      throw new UsageError(
        `audit: --checks: ${named.length === 0 ? 'no check named' : `unknown check ${unknown.map((u) => JSON.stringify(u)).join(', ')}`} (expected a comma-separated list of ${AUDIT_CHECKS.join(', ')})`,
      );
    }
    checks = named.filter(isAuditCheckName);
  }
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new UsageError(
      `audit: --concurrency: ${JSON.stringify(values.concurrency)} is not an integer from 1 to 16`,
    );
  }
  // IAM reports last access for the last 400 days; a longer threshold could never be judged:
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateServiceLastAccessedDetails.html
  const staleDays = values['stale-days'] === undefined ? 90 : Number(values['stale-days']);
  if (!Number.isInteger(staleDays) || staleDays < 1 || staleDays > 400) {
    throw new UsageError(
      `audit: --stale-days: ${JSON.stringify(values['stale-days'])} is not an integer from 1 to 400`,
    );
  }
  const timeoutSeconds = values['request-timeout'] === undefined ? 20 : Number(values['request-timeout']);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0.1 || timeoutSeconds > 300) {
    throw new UsageError(
      `audit: --request-timeout: ${JSON.stringify(values['request-timeout'])} is not a number of seconds from 0.1 to 300`,
    );
  }
  if (values.category !== undefined && !/^[A-Za-z0-9._-]+$/.test(values.category)) {
    throw new UsageError(
      `audit: --category: ${JSON.stringify(values.category)} is not a plain name (expected letters, digits, . _ -)`,
    );
  }
  if (values.profile !== undefined && !/^[A-Za-z0-9._+=,@-]+$/.test(values.profile)) {
    throw new UsageError(`audit: --profile: ${JSON.stringify(values.profile)} is not a profile name`);
  }

  let report;
  try {
    const { runAudit } = await import('../../audit/audit.js');
    report = await runAudit({
      region,
      profile: values.profile,
      checks,
      concurrency,
      staleSageMakerDays: staleDays,
      requestTimeoutMs: Math.round(timeoutSeconds * 1000),
      clientFactory: options.clientFactory,
      now: options.now?.(),
    });
  } catch (e) {
    if (e instanceof AuditAbort) throw new UsageError(`audit: ${e.message}`);
    throw e;
  }
  for (const error of report.errors) io.stderr(`compliant-mlops: audit: ${error.input}: ${error.message}\n`);
  const color = format === 'text' && values.output === undefined && io.isTTY && !io.env.NO_COLOR;
  const text = renderReport(report, format, { color, category: values.category });
  writeReport('audit', io, values.output, text);
  const { auditExitCode } = await import('../../audit/audit.js');
  const code = auditExitCode(report, failOn);
  return code === 2 ? EXIT.usage : code === 1 ? EXIT.findings : EXIT.ok;
}
