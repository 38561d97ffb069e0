import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import {
  dependencyCheck,
  DIMENSIONS,
  FEATURE_STORE_CHECK,
  INFERENCE_CHECK,
  METRICS,
  type CanaryConfig,
  type FieldType,
  type SigningService,
} from './contract';

/** One HTTP request of a check. */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly body?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sign with SigV4. */
  readonly signed: boolean;
  /**
   * The service a signed request is signed for.
   * @default 'execute-api'
   */
  readonly signingService?: SigningService;
  readonly timeoutMs: number;
}

/** Its answer. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** What the checks call: HTTP and the feature-store runtime, injected so tests need neither. */
export interface CheckDeps {
  /** Sends a request; rejects on a network error or timeout. */
  readonly http: (request: HttpRequest) => Promise<HttpResponse>;
  /** GetRecord: the record's feature names, or `undefined` when there is no such record. */
  readonly getRecord: (featureGroupName: string, recordIdentifier: string) => Promise<string[] | undefined>;
  /** Milliseconds of a monotonic clock. @default performance.now */
  readonly clock?: () => number;
}

/** The outcome of one check. */
export interface CheckResult {
  readonly check: string;
  readonly ok: boolean;
  readonly latencyMs: number;
  /** Why it failed, for the canary log and its failure reason. */
  readonly reason?: string;
}

/** The type a JSON value has, in the terms of {@link FieldType}. */
function jsonType(v: unknown): FieldType | 'null' | 'undefined' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'object' || t === 'string' || t === 'number' || t === 'boolean' ? t : 'undefined';
}

/** The value at a dotted path (`a.b.0`). */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => {
    if (v === null || typeof v !== 'object') return undefined;
    return (v as Record<string, unknown>)[k];
  }, value);
}

/**
 * Problems of a response body against the expected fields: not JSON, or a field missing or of
 * another type. Empty when the shape matches.
 */
export function shapeProblems(body: string, expected: Readonly<Record<string, FieldType>>): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return ['response is not JSON'];
  }
  return Object.entries(expected).flatMap(([path, type]) => {
    const got = jsonType(at(parsed, path));
    return got === type ? [] : [`${path}: expected ${type}, got ${got}`];
  });
}

async function timed<T>(
  clock: () => number,
  run: () => Promise<T>,
): Promise<{ value?: T; error?: unknown; ms: number }> {
  const start = clock();
  try {
    const value = await run();
    return { value, ms: Math.round(clock() - start) };
  } catch (error) {
    return { error, ms: Math.round(clock() - start) };
  }
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * Runs every check of the configuration, concurrently, and never throws: each failure is a
 * result, so one broken dependency does not hide the state of the others.
 */
export async function runChecks(config: CanaryConfig, deps: CheckDeps): Promise<CheckResult[]> {
  const clock = deps.clock ?? (() => performance.now());
  const checks: Promise<CheckResult>[] = [];
  const inference = config.inference;
  if (inference) {
    checks.push(
      (async () => {
        const r = await timed(clock, () =>
          deps.http({
            url: inference.url,
            method: 'POST',
            body: JSON.stringify(inference.body),
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            signed: inference.signed,
            signingService: inference.signingService,
            timeoutMs: config.timeoutMs,
          }),
        );
        const base = { check: INFERENCE_CHECK, latencyMs: r.ms };
        if (r.error !== undefined || r.value === undefined)
          return { ...base, ok: false, reason: message(r.error) };
        if (r.value.status !== 200)
          return { ...base, ok: false, reason: `status ${r.value.status}: ${r.value.body.slice(0, 200)}` };
        const problems = shapeProblems(r.value.body, inference.expectedFields);
        if (problems.length > 0) return { ...base, ok: false, reason: problems.join('; ') };
        if (r.ms > inference.maxLatencyMs)
          return { ...base, ok: false, reason: `latency ${r.ms} ms above ${inference.maxLatencyMs} ms` };
        return { ...base, ok: true };
      })(),
    );
  }
  const fs = config.featureStore;
  if (fs) {
    checks.push(
      (async () => {
        const r = await timed(clock, () => deps.getRecord(fs.featureGroupName, fs.recordIdentifier));
        const base = { check: FEATURE_STORE_CHECK, latencyMs: r.ms };
        if (r.error !== undefined) return { ...base, ok: false, reason: message(r.error) };
        if (r.value === undefined)
          return {
            ...base,
            ok: false,
            reason: `record ${fs.recordIdentifier} not found in ${fs.featureGroupName}`,
          };
        const names = r.value;
        const missing = fs.expectedFeatures.filter((f) => !names.includes(f));
        if (missing.length > 0)
          return { ...base, ok: false, reason: `record lacks features ${missing.join(', ')}` };
        return { ...base, ok: true };
      })(),
    );
  }
  for (const dep of config.dependencies) {
    checks.push(
      (async () => {
        const r = await timed(clock, () =>
          deps.http({ url: dep.url, method: 'GET', headers: {}, signed: false, timeoutMs: config.timeoutMs }),
        );
        const base = { check: dependencyCheck(dep.name), latencyMs: r.ms };
        if (r.error !== undefined || r.value === undefined)
          return { ...base, ok: false, reason: message(r.error) };
        // Reachable is what the dependency check asks: a 4xx (an endpoint that wants
        // credentials) still answers; a 5xx means the dependency itself is failing.
        if (r.value.status >= 500) return { ...base, ok: false, reason: `status ${r.value.status}` };
        return { ...base, ok: true };
      })(),
    );
  }
  return Promise.all(checks);
}

/** The metrics of a run: CheckSucceeded (1/0) and CheckLatency per check. */
export function metricsOf(
  healthCheck: string,
  results: readonly CheckResult[],
  timestamp: Date,
): MetricDatum[] {
  return results.flatMap((r) => {
    const Dimensions = [
      { Name: DIMENSIONS.healthCheck, Value: healthCheck },
      { Name: DIMENSIONS.check, Value: r.check },
    ];
    return [
      {
        MetricName: METRICS.checkSucceeded,
        Dimensions,
        Timestamp: timestamp,
        Value: r.ok ? 1 : 0,
        Unit: 'None',
      },
      {
        MetricName: METRICS.checkLatency,
        Dimensions,
        Timestamp: timestamp,
        Value: r.latencyMs,
        Unit: 'Milliseconds',
      },
    ];
  });
}

/** Thrown at the end of a run with failed checks, so the canary run itself fails. */
export class HealthCheckFailed extends Error {
  constructor(public readonly failed: readonly CheckResult[]) {
    super(`failed checks: ${failed.map((f) => `${f.check} (${f.reason ?? 'failed'})`).join('; ')}`);
    this.name = 'HealthCheckFailed';
  }
}
