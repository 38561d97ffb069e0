import {
  DEFAULT_ENVIRONMENT_TAG_KEY,
  DEFAULT_EXEMPTION_TAG_KEY,
  DEFAULT_PRODUCTION_VALUES,
  DEFAULT_STUDIO_APP_TYPES,
  ENV,
  Target,
  TARGETS,
} from './contract';
import { ConfigError, envInt, envRetry, type Env } from '../shared/env';

export { ConfigError } from '../shared/env';

/** What one run does. */
export type Mode = 'idle-sweep' | 'off-hours';

/** The settings of one run, from the environment and the event. */
export interface SweepConfig {
  /** `idle-sweep` acts on idle resources; `off-hours` stops every non-exempt notebook and Studio app. */
  readonly mode: Mode;
  /** Report what would be done and change nothing. */
  readonly dryRun: boolean;
  /** At most this many resources are changed (or, in a dry run, would be) per run. */
  readonly maxActionsPerRun: number;
  /** Notebooks and Studio apps idle longer than this are stopped / deleted. */
  readonly idleThresholdMinutes: number;
  /** Non-prod endpoints without invocations for this long are deleted. */
  readonly endpointIdleThresholdMinutes: number;
  /** Studio apps older than this are deleted whatever their activity. */
  readonly studioMaxAppAgeMinutes: number;
  /** A resource whose tag with this key is `true` is never touched. */
  readonly exemptionTagKey: string;
  /** Tag key naming an endpoint's environment; endpoints without it are never touched. */
  readonly environmentTagKey: string;
  /** Environment values (lowercase) that mark production; such endpoints are never touched. */
  readonly productionValues: readonly string[];
  /** Which kinds of resources the run looks at. */
  readonly targets: readonly Target[];
  /** Studio app types the run may delete. */
  readonly studioAppTypes: readonly string[];
  /** Attempts per API request (throttling and 5xx are retried with backoff by the SDK). */
  readonly maxAttempts: number;
  /**
   * Milliseconds each API request may take (connection, answer, silence on the socket) before it
   * fails with a `TimeoutError` and is retried: an endpoint that never answers cannot hang the run.
   */
  readonly requestTimeoutMs: number;
  /** How many resources are examined at once. */
  readonly concurrency: number;
}

function list(env: Env, name: string, fallback: readonly string[]): string[] {
  const raw = env[name];
  if (raw === undefined) return [...fallback];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function bool(raw: unknown, name: string, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new ConfigError(`${name}: is not a boolean (got ${JSON.stringify(raw)}; expected "true" or "false")`);
}

/**
 * Reads the run settings. The event carries the mode (`{"mode":"off-hours"}`) and may turn a dry
 * run on (`{"dryRun":true}`) but never off: only the deployed configuration can arm the handler.
 * Dry run is on unless the environment says `false`.
 */
export function parseConfig(env: Env, event: unknown): SweepConfig {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const mode = e.mode ?? 'idle-sweep';
  if (mode !== 'idle-sweep' && mode !== 'off-hours') {
    throw new ConfigError(
      `event.mode: is not an allowed value (got ${JSON.stringify(mode)}; expected "idle-sweep" or "off-hours")`,
    );
  }
  const envDryRun = bool(env[ENV.dryRun], ENV.dryRun, true);
  const eventDryRun = bool(e.dryRun, 'event.dryRun', false);
  const targets = list(env, ENV.targets, TARGETS);
  const unknown = targets.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${ENV.targets}: has unknown targets (got ${JSON.stringify(unknown)}; expected ${TARGETS.join(', ')})`,
    );
  }
  const exemptionTagKey = env[ENV.exemptionTagKey] || DEFAULT_EXEMPTION_TAG_KEY;
  const environmentTagKey = env[ENV.environmentTagKey] || DEFAULT_ENVIRONMENT_TAG_KEY;
  const productionValues = list(env, ENV.productionValues, DEFAULT_PRODUCTION_VALUES).map((v) =>
    v.toLowerCase(),
  );
  if (productionValues.length === 0) {
    throw new ConfigError(`${ENV.productionValues}: is empty (got ""; expected at least one value)`);
  }
  return {
    mode,
    dryRun: envDryRun || eventDryRun,
    maxActionsPerRun: envInt(env, ENV.maxActionsPerRun, 10, 0, 1000),
    idleThresholdMinutes: envInt(env, ENV.idleThresholdMinutes, 120, 5, 7 * 24 * 60),
    endpointIdleThresholdMinutes: envInt(env, ENV.endpointIdleThresholdMinutes, 24 * 60, 60, 14 * 24 * 60),
    studioMaxAppAgeMinutes: envInt(env, ENV.studioMaxAppAgeMinutes, 12 * 60, 5, 30 * 24 * 60),
    exemptionTagKey,
    environmentTagKey,
    productionValues,
    targets: targets as Target[],
    studioAppTypes: list(env, ENV.studioAppTypes, DEFAULT_STUDIO_APP_TYPES),
    ...envRetry(env, ENV),
    concurrency: envInt(env, ENV.concurrency, 8, 1, 64),
  };
}
