import { resolve } from 'node:path';
// Type imports only of the SDK side: the clients load when a run starts, so `rightsize --help`
// and usage errors answer in node's start-up time.
import type { AuditFailOn } from '../../audit/audit';
import { AuditAbort } from '../../audit/errors';
import type { RightsizeClientFactory } from '../../rightsize/rightsize';
import {
  isRightsizeCheckName,
  RIGHTSIZE_CHECKS,
  RIGHTSIZE_DEFAULTS as D,
  RightsizeCheckName,
} from '../../rightsize/rules';
import { REPORT_FORMATS, writeReport as renderReport } from '../../report/writers';
import { CliIO, Command, EXIT, UsageError } from '../command';
import { parseCommandArgs } from '../args';
import { resolveFormat, resolveRegion, writeReport } from '../command-options';

const FAIL_ON: readonly AuditFailOn[] = ['error', 'warning', 'none'];

const USAGE = `usage: compliant-mlops rightsize [options]

Read-only right-sizing and retirement candidates of the SageMaker endpoints and training jobs of
one account and region, priced with the AWS Price List (on-demand, USD, 730 h a month).
  rightsizing  in-service endpoint variants and training jobs of the window: p50/p90/p99 of
               CPUUtilization, MemoryUtilization, GPUUtilization, GPUMemoryUtilization and
               DiskUtilization (CPU and GPU divided by the instance's vCPUs and GPUs); recommends
               fewer instances (never below 2 for a variant that has 2) or a smaller type of the
               same family that keeps every p99 under --target-utilization, with the estimated
               monthly saving. Too few data points (a day of 5-minute points; 10 per training
               metric) or a type without listed capacity: "not evaluated" with the reason.
  retirement   endpoints with fewer than --low-traffic invocations over the window, endpoints
               serving a model created more than --stale-days ago, model package groups without a
               version in --stale-days, drift and model-quality alarms (ML/Drift, ML/ModelQuality,
               Model Monitor namespaces, *-max-psi, *-drifted-share) in ALARM longer than
               --alarm-days; each with the monthly cost of the endpoint.
Needs sagemaker:List*/Describe* of endpoints, endpoint configs, training jobs, models and model package groups,
cloudwatch:GetMetricData, cloudwatch:DescribeAlarms and pricing:GetProducts (the exact list is
RIGHTSIZE_IAM_ACTIONS in lib/rightsize/permissions.ts). A price the Price List does not have is
"price unknown", never 0.

options:
  --region R               region to read (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --pricing-region R       Price List endpoint: us-east-1 | eu-central-1 | ap-south-1 | cn-northwest-1
                           (default: the nearest to --region)
  --profile P              profile of the shared AWS config/credentials files
  --checks a,b             ${RIGHTSIZE_CHECKS.join(', ')} (default: both)
  --window-days N          days of utilisation, traffic and training jobs, 1-455 (default: ${D.windowDays})
  --target-utilization P   highest p99 percent of capacity a recommendation leaves, 10-95 (default: ${D.targetUtilizationPercent})
  --families a,b           instance families a smaller type may be chosen in, e.g. m5,c5,g5 (default: any)
  --low-traffic N          invocations over the window below which an endpoint is a candidate (default: ${D.lowTrafficInvocations})
  --stale-days N           days after which a served model or a package group is not updated (default: ${D.staleModelDays})
  --alarm-days N           days a drift or quality alarm may stay in ALARM (default: ${D.alarmDays})
  --price-cache FILE       keep Price List prices in FILE (JSON) across runs (default: none)
  --price-cache-ttl H      hours a cached price stays valid, 1-720 (default: 24)
  --format F               text | json | sarif | junit | markdown (default: text)
  --output FILE            write the report to FILE instead of stdout
  --fail-on L              error | warning | none: the lowest level that fails (default: none)
  --concurrency N          requests in flight at once, 1-16 (default: 4)

exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage error, missing credentials, no
answer from AWS, or a check that could not run or read everything (e.g. prices access denied)
`;

/** Options of {@link createRightsizeCommand}. */
export interface RightsizeCommandOptions {
  /**
   * Builds the SDK clients; tests point them at a loopback fake.
   * @default - SDK v3 clients with the default endpoint resolution and credential chain
   */
  readonly clientFactory?: RightsizeClientFactory;
  /**
   * The command's clock.
   * @default - the time the command runs
   */
  readonly now?: () => Date;
}

const SUMMARY =
  'right-sizing and retirement candidates of SageMaker endpoints and training jobs, priced from the AWS Price List';

/** `compliant-mlops rightsize`, with injectable clients and clock. */
export function createRightsizeCommand(options: RightsizeCommandOptions = {}): Command {
  return {
    name: 'rightsize',
    summary: SUMMARY,
    usage: USAGE,
    run: async (args, io) => runRightsizeCommand(args, io, options),
  };
}

/** The `rightsize` command with real AWS clients. */
export const rightsizeCommand: Command = createRightsizeCommand();

const OPTIONS = {
  region: { type: 'string' },
  'pricing-region': { type: 'string' },
  profile: { type: 'string' },
  checks: { type: 'string' },
  'window-days': { type: 'string' },
  'target-utilization': { type: 'string' },
  families: { type: 'string' },
  'low-traffic': { type: 'string' },
  'stale-days': { type: 'string' },
  'alarm-days': { type: 'string' },
  'price-cache': { type: 'string' },
  'price-cache-ttl': { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  concurrency: { type: 'string' },
} as const;

const PRICING_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1', 'cn-northwest-1'];

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `rightsize: --${name}: ${JSON.stringify(raw)} is not an integer from ${min} to ${max}`,
    );
  }
  return n;
}

async function runRightsizeCommand(
  args: readonly string[],
  io: CliIO,
  options: RightsizeCommandOptions,
): Promise<number> {
  const { values } = parseCommandArgs('rightsize', args, OPTIONS, false);
  const region = resolveRegion('rightsize', values.region, io);
  const pricingRegion = values['pricing-region'];
  // The Price List Query API answers only in these regions:
  // https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html
  if (pricingRegion !== undefined && !PRICING_REGIONS.includes(pricingRegion)) {
    throw new UsageError(
      `rightsize: --pricing-region: ${JSON.stringify(pricingRegion)} has no Price List endpoint (expected one of ${PRICING_REGIONS.join(', ')})`,
    );
  }
  const format = resolveFormat('rightsize', values.format, REPORT_FORMATS);
  const failOn = (values['fail-on'] ?? 'none') as AuditFailOn;
  if (!FAIL_ON.includes(failOn)) {
    throw new UsageError(
      `rightsize: --fail-on: unknown level ${JSON.stringify(failOn)} (expected one of ${FAIL_ON.join(', ')})`,
    );
  }
  let checks: RightsizeCheckName[] | undefined;
  if (values.checks !== undefined) {
    const named = values.checks
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    const unknown = named.filter((c) => !isRightsizeCheckName(c));
    if (named.length === 0 || unknown.length > 0) {
      throw new UsageError(
        `rightsize: --checks: ${named.length === 0 ? 'no check named' : `unknown check ${unknown.map((u) => JSON.stringify(u)).join(', ')}`} (expected a comma-separated list of ${RIGHTSIZE_CHECKS.join(', ')})`,
      );
    }
    checks = named.filter(isRightsizeCheckName);
  }
  let families: string[] | undefined;
  if (values.families !== undefined) {
    families = values.families
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const bad = families.filter((f) => !/^[a-z][a-z0-9-]*$/.test(f));
    if (families.length === 0 || bad.length > 0) {
      throw new UsageError(
        `rightsize: --families: ${JSON.stringify(values.families)} is not a list of instance families (expected e.g. m5,c5,g5)`,
      );
    }
  }
  // CloudWatch keeps hourly points for 455 days:
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
  const windowDays = integer('window-days', values['window-days'], D.windowDays, 1, 455);
  const target = integer(
    'target-utilization',
    values['target-utilization'],
    D.targetUtilizationPercent,
    10,
    95,
  );
  const lowTraffic = integer('low-traffic', values['low-traffic'], D.lowTrafficInvocations, 0, 1_000_000_000);
  const staleDays = integer('stale-days', values['stale-days'], D.staleModelDays, 1, 3650);
  const alarmDays = integer('alarm-days', values['alarm-days'], D.alarmDays, 1, 3650);
  const concurrency = integer('concurrency', values.concurrency, 4, 1, 16);
  const cacheTtl = integer('price-cache-ttl', values['price-cache-ttl'], 24, 1, 720);
  if (values.profile !== undefined && !/^[A-Za-z0-9._+=,@-]+$/.test(values.profile)) {
    throw new UsageError(`rightsize: --profile: ${JSON.stringify(values.profile)} is not a profile name`);
  }

  const { runRightsize } = await import('../../rightsize/rightsize.js');
  let report;
  try {
    report = await runRightsize({
      region,
      pricingRegion,
      profile: values.profile,
      checks,
      windowDays,
      targetUtilizationPercent: target,
      allowedFamilies: families,
      lowTrafficInvocations: lowTraffic,
      staleModelDays: staleDays,
      alarmDays,
      concurrency,
      priceCacheFile:
        values['price-cache'] === undefined ? undefined : resolve(io.cwd, values['price-cache']),
      priceCacheTtlHours: cacheTtl,
      clientFactory: options.clientFactory,
      now: options.now?.(),
    });
  } catch (e) {
    if (e instanceof AuditAbort) throw new UsageError(`rightsize: ${e.message}`);
    throw e;
  }
  for (const error of report.errors)
    io.stderr(`compliant-mlops: rightsize: ${error.input}: ${error.message}\n`);
  const color = format === 'text' && values.output === undefined && io.isTTY && !io.env.NO_COLOR;
  const text = renderReport(report, format, { color });
  writeReport('rightsize', io, values.output, text);
  const { auditExitCode } = await import('../../audit/audit.js');
  const code = auditExitCode(report, failOn);
  return code === 2 ? EXIT.usage : code === 1 ? EXIT.findings : EXIT.ok;
}
