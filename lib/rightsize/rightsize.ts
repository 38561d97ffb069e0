import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PricingClient } from '@aws-sdk/client-pricing';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DEFAULT_AUDIT_REQUEST_TIMEOUT_MS } from '../audit/clients';
import { AuditAbort, isAccessDenied, isCredentialsProblem, isUnreachable, messageOf } from '../audit/errors';
import { SageMakerInventory } from '../audit/inventory';
import { createLimiter } from '../audit/limit';
import { toolVersion } from '../check/version';
import { boundedHttpOptions } from '../handlers/shared/http';
import { Finding, InputError, Report } from '../report/finding';
import { Context, DAY_MS, EndpointData } from './context';
import { FilePriceCache, PriceBook, pricingRegionFor } from './pricing';
import { retirement } from './retirement';
import { rightsizing } from './rightsizing';
import { RIGHTSIZE_CHECKS, RIGHTSIZE_DEFAULTS, RIGHTSIZE_RULES, RightsizeCheckName } from './rules';

export { isQualityAlarm, QUALITY_ALARM_NAMESPACES } from './retirement';

/** The read-only clients `rightsize` uses. */
export interface RightsizeClients {
  readonly sagemaker: SageMakerClient;
  readonly cloudwatch: CloudWatchClient;
  /** Price List Query API: a client of one of PRICING_API_REGIONS. */
  readonly pricing: PricingClient;
}

/** Where and as whom it runs. */
export interface RightsizeClientOptions {
  /** The region to read. */
  readonly region: string;
  /**
   * The region of the Price List endpoint.
   * @default - pricingRegionFor(region)
   */
  readonly pricingRegion?: string;
  /**
   * A profile of the shared config and credentials files.
   * @default - the SDK's default credential chain
   */
  readonly profile?: string;
  /**
   * Milliseconds each request may take before it fails with a `TimeoutError` (then retried).
   * @default 20000
   */
  readonly requestTimeoutMs?: number;
}

/** Builds the clients; tests pass one pointing at a loopback fake. */
export type RightsizeClientFactory = (options: RightsizeClientOptions) => RightsizeClients;

/** The production factory: SDK v3 clients with bounded timeouts and 6 attempts per request. */
export const createRightsizeClients: RightsizeClientFactory = (options) => {
  const base = {
    maxAttempts: 6,
    requestHandler: boundedHttpOptions(options.requestTimeoutMs ?? DEFAULT_AUDIT_REQUEST_TIMEOUT_MS),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  };
  return {
    sagemaker: new SageMakerClient({ ...base, region: options.region }),
    cloudwatch: new CloudWatchClient({ ...base, region: options.region }),
    pricing: new PricingClient({
      ...base,
      region: options.pricingRegion ?? pricingRegionFor(options.region),
    }),
  };
};

/** Options of {@link runRightsize}. */
export interface RightsizeOptions extends RightsizeClientOptions {
  /** @default - all of RIGHTSIZE_CHECKS */
  readonly checks?: readonly RightsizeCheckName[];
  /** Days of utilisation, traffic and training jobs read. @default 14 */
  readonly windowDays?: number;
  /** Highest p99 utilisation (percent of capacity) a recommendation may leave. @default 70 */
  readonly targetUtilizationPercent?: number;
  /**
   * Instance families a smaller type may be recommended in (`m5`, `g5`).
   * @default - every family
   */
  readonly allowedFamilies?: readonly string[];
  /** An endpoint with fewer invocations than this over the window is a retirement candidate. @default 100 */
  readonly lowTrafficInvocations?: number;
  /** Days after which a served model, or a package group without a new version, is not updated. @default 180 */
  readonly staleModelDays?: number;
  /** Days a drift or quality alarm may stay in ALARM. @default 7 */
  readonly alarmDays?: number;
  /** Requests in flight at once. @default 4 */
  readonly concurrency?: number;
  /**
   * A JSON file that keeps Price List prices across runs.
   * @default - none: every run asks the Price List
   */
  readonly priceCacheFile?: string;
  /** Hours a cached price stays valid. @default 24 */
  readonly priceCacheTtlHours?: number;
  /** @default createRightsizeClients */
  readonly clientFactory?: RightsizeClientFactory;
  /** @default - now */
  readonly now?: Date;
}

/**
 * Right-sizing and retirement candidates of one account and region, read-only: SageMaker
 * endpoints, models, package groups and training jobs, CloudWatch utilisation and alarms, and
 * Price List prices. Returns the shared report model (text, json, sarif, junit, markdown).
 * Missing or rejected credentials and an unreachable service stop the run with an
 * {@link AuditAbort}; anything else that could not be read is an error of its group (exit 2).
 */
export async function runRightsize(options: RightsizeOptions): Promise<Report> {
  const checks = options.checks ?? RIGHTSIZE_CHECKS;
  const clients = (options.clientFactory ?? createRightsizeClients)(options);
  const now = options.now ?? new Date();
  const windowDays = options.windowDays ?? RIGHTSIZE_DEFAULTS.windowDays;
  const limit = createLimiter(options.concurrency ?? 4);
  const location = options.profile ? `${options.region} (profile ${options.profile})` : options.region;
  const errors: InputError[] = [];
  const findings: Finding[] = [];
  const groups = RIGHTSIZE_CHECKS.filter((c) => checks.includes(c));
  const cache = options.priceCacheFile
    ? new FilePriceCache(options.priceCacheFile, now, (options.priceCacheTtlHours ?? 24) * 3_600_000)
    : undefined;
  const ctxBase = {
    clients,
    inventory: new SageMakerInventory(clients.sagemaker, limit, now, windowDays),
    prices: new PriceBook(clients.pricing, options.region, cache),
    limit,
    now,
    windowStart: new Date(now.getTime() - windowDays * DAY_MS),
    location,
    o: {
      windowDays,
      targetUtilizationPercent:
        options.targetUtilizationPercent ?? RIGHTSIZE_DEFAULTS.targetUtilizationPercent,
      lowTrafficInvocations: options.lowTrafficInvocations ?? RIGHTSIZE_DEFAULTS.lowTrafficInvocations,
      staleModelDays: options.staleModelDays ?? RIGHTSIZE_DEFAULTS.staleModelDays,
      alarmDays: options.alarmDays ?? RIGHTSIZE_DEFAULTS.alarmDays,
      allowedFamilies: options.allowedFamilies,
    },
    endpointData: new Map<string, Promise<EndpointData>>(),
  };
  try {
    for (const group of groups) {
      const ctx: Context = { ...ctxBase, problems: [] };
      try {
        findings.push(...(await (group === 'rightsizing' ? rightsizing(ctx) : retirement(ctx))));
        for (const p of [...new Set(ctx.problems)]) {
          errors.push({ input: `check ${group}`, message: `incomplete: ${p}`, pack: group });
        }
      } catch (err) {
        if (isCredentialsProblem(err)) {
          throw new AuditAbort(
            `no usable AWS credentials for region ${options.region} (${messageOf(err)}); set AWS_PROFILE, pass --profile, or configure credentials`,
          );
        }
        if (isUnreachable(err)) {
          throw new AuditAbort(
            `no answer from AWS (${messageOf(err)}); check the network path to the service endpoints`,
          );
        }
        const what = isAccessDenied(err) ? 'access denied, not checked' : 'failed, not checked';
        errors.push({ input: `check ${group}`, message: `${what} (${messageOf(err)})`, pack: group });
      }
    }
    try {
      cache?.save();
    } catch (err) {
      errors.push({
        input: `price cache ${options.priceCacheFile}`,
        message: `not written (${messageOf(err)})`,
      });
    }
  } finally {
    clients.sagemaker.destroy();
    clients.cloudwatch.destroy();
    clients.pricing.destroy();
  }
  return {
    tool: { name: 'compliant-mlops', version: toolVersion(), command: 'rightsize' },
    findings,
    rules: RIGHTSIZE_RULES.filter((r) => (groups as readonly string[]).includes(r.pack)),
    inputs: [location],
    errors,
    packs: groups,
  };
}
