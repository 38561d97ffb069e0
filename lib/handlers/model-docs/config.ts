import type { ContractFacts } from '../../model-docs/input';
import { ConfigError, envRequired, envRetry, type Env } from '../shared/env';
import { ENV } from './contract';

export { ConfigError } from '../shared/env';

/** The handler's settings, read from the environment the construct sets. */
export interface ModelDocsConfig {
  /** The model package group documented; events of other groups are ignored. */
  readonly groupName: string;
  /** The KMS key the cards are created with (`SecurityConfig.KmsKeyId`). */
  readonly cardKeyId: string;
  /** The bucket of the reports. */
  readonly reportsBucket: string;
  /** Key prefixes the reports may be read under, each ending in `/`. */
  readonly reportsPrefixes: readonly string[];
  /** What the feature contract and the registry declare. */
  readonly contract: ContractFacts;
  /** Runbook links. */
  readonly runbooks: readonly { readonly title: string; readonly url: string }[];
  /** Attempts per API request (throttling and 5xx are retried with backoff by the SDK). */
  readonly maxAttempts: number;
  /** Milliseconds each API request may take before it fails with a `TimeoutError` and is retried. */
  readonly requestTimeoutMs: number;
}

function json(env: Env, name: string, fallback: unknown): unknown {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name}: is not json (got ${JSON.stringify(raw.slice(0, 80))}; expected json)`);
  }
}

const STRING_FIELDS = ['name', 'version', 'intendedUse', 'owner', 'riskTier'] as const;

function contractOf(v: unknown): ContractFacts {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ConfigError(
      `${ENV.contract}: is not an object (got ${JSON.stringify(v)}; expected contract facts)`,
    );
  }
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of STRING_FIELDS) {
    if (o[f] === undefined) continue;
    if (typeof o[f] !== 'string')
      throw new ConfigError(
        `${ENV.contract}: ${f}: is not a string (got ${JSON.stringify(o[f])}; expected a string)`,
      );
    out[f] = o[f];
  }
  if (o.features !== undefined) {
    const ok =
      Array.isArray(o.features) &&
      o.features.every(
        (x: unknown) =>
          typeof x === 'object' &&
          x !== null &&
          ['name', 'type', 'pii'].every((k) => typeof (x as Record<string, unknown>)[k] === 'string'),
      );
    if (!ok)
      throw new ConfigError(
        `${ENV.contract}: features: is not a feature list (got ${JSON.stringify(o.features).slice(0, 80)}; expected [{ name, type, pii }])`,
      );
    out.features = o.features;
  }
  return out as ContractFacts;
}

/**
 * Reads the configuration.
 * @throws ConfigError when a variable is missing or malformed (a deployment error)
 */
export function parseConfig(env: Env): ModelDocsConfig {
  const prefixes = json(env, ENV.reportsPrefixes, []);
  if (
    !Array.isArray(prefixes) ||
    !prefixes.every((p) => typeof p === 'string' && p.endsWith('/') && !p.startsWith('/'))
  ) {
    throw new ConfigError(
      `${ENV.reportsPrefixes}: is not a list of key prefixes (got ${JSON.stringify(prefixes)}; expected ["prefix/", ...])`,
    );
  }
  const runbooks = json(env, ENV.runbooks, []);
  if (
    !Array.isArray(runbooks) ||
    !runbooks.every(
      (r: unknown) =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as Record<string, unknown>).title === 'string' &&
        typeof (r as Record<string, unknown>).url === 'string',
    )
  ) {
    throw new ConfigError(
      `${ENV.runbooks}: is not a list of runbooks (got ${JSON.stringify(runbooks).slice(0, 80)}; expected [{ title, url }])`,
    );
  }
  return {
    groupName: envRequired(env, ENV.groupName),
    cardKeyId: envRequired(env, ENV.cardKeyId),
    reportsBucket: envRequired(env, ENV.reportsBucket),
    reportsPrefixes: prefixes as string[],
    contract: contractOf(json(env, ENV.contract, {})),
    runbooks: runbooks as { title: string; url: string }[],
    ...envRetry(env, ENV),
  };
}
