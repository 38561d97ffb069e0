import { ConfigError, type Env } from '../shared/env';
import { CONFIG_ENV, SIGNING_SERVICES, type CanaryConfig, type FieldType } from './contract';

const FIELD_TYPES: readonly FieldType[] = ['array', 'boolean', 'number', 'object', 'string'];

function fail(field: string, problem: string, got: unknown, expected: string): never {
  throw new ConfigError(
    `${CONFIG_ENV}: ${field}: ${problem} (got ${JSON.stringify(got)}; expected ${expected})`,
  );
}

function httpsUrl(field: string, v: unknown): string {
  if (typeof v !== 'string') fail(field, 'is not a string', v, 'an https url');
  try {
    if (new URL(v).protocol === 'https:') return v;
  } catch {
    // reported below
  }
  return fail(field, 'is not an https url', v, 'https://<host>/<path>');
}

/**
 * Reads the canary's configuration, written by the `ModelHealthCheck` construct as JSON in
 * {@link CONFIG_ENV}. A malformed one throws a {@link ConfigError}: a deployment error, reported
 * before any request is sent.
 */
export function parseConfig(env: Env): CanaryConfig {
  const raw = env[CONFIG_ENV];
  if (raw === undefined || raw === '') fail('(config)', 'is not set', raw, 'the json the construct writes');
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return fail('(config)', 'is not json', raw.slice(0, 40), 'the json the construct writes');
  }
  if (typeof c.healthCheck !== 'string' || c.healthCheck === '')
    fail('healthCheck', 'is not a name', c.healthCheck, 'a non-empty string');
  if (typeof c.timeoutMs !== 'number' || c.timeoutMs < 100 || c.timeoutMs > 60_000)
    fail('timeoutMs', 'is out of range', c.timeoutMs, '100 to 60000');
  const inf = c.inference as Record<string, unknown> | undefined;
  if (inf !== undefined) {
    httpsUrl('inference.url', inf.url);
    if (typeof inf.maxLatencyMs !== 'number' || inf.maxLatencyMs <= 0)
      fail('inference.maxLatencyMs', 'is not a positive number', inf.maxLatencyMs, 'milliseconds > 0');
    if (!SIGNING_SERVICES.includes(inf.signingService as never))
      fail(
        'inference.signingService',
        'is not a signing service',
        inf.signingService,
        SIGNING_SERVICES.join(', '),
      );
    const fields = inf.expectedFields as Record<string, unknown> | undefined;
    for (const [k, t] of Object.entries(fields ?? {}))
      if (!FIELD_TYPES.includes(t as FieldType))
        fail(`inference.expectedFields.${k}`, 'is not a json type', t, FIELD_TYPES.join(', '));
  }
  const fs = c.featureStore as Record<string, unknown> | undefined;
  if (
    fs !== undefined &&
    (typeof fs.featureGroupName !== 'string' || typeof fs.recordIdentifier !== 'string')
  )
    fail(
      'featureStore',
      'lacks a feature group or record identifier',
      fs,
      'featureGroupName and recordIdentifier',
    );
  const deps = (c.dependencies ?? []) as unknown[];
  if (!Array.isArray(deps)) fail('dependencies', 'is not a list', deps, 'a list of { name, url }');
  deps.forEach((d, i) => httpsUrl(`dependencies.${i}.url`, (d as Record<string, unknown>).url));
  return {
    healthCheck: c.healthCheck as string,
    timeoutMs: c.timeoutMs as number,
    inference: inf === undefined ? undefined : (inf as unknown as CanaryConfig['inference']),
    featureStore:
      fs === undefined
        ? undefined
        : {
            ...(fs as unknown as NonNullable<CanaryConfig['featureStore']>),
            expectedFeatures: (fs.expectedFeatures ?? []) as string[],
          },
    dependencies: deps as CanaryConfig['dependencies'],
  };
}
