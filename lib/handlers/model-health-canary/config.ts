import { ConfigError, type Env } from '../shared/env';
import {
  CONFIG_ENV,
  SIGNING_SERVICES,
  type CanaryConfig,
  type DependencyConfig,
  type FeatureStoreCheckConfig,
  type FieldType,
  type InferenceCheckConfig,
} from './contract';

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

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(field: string, v: unknown): string {
  if (typeof v !== 'string' || v === '') fail(field, 'is not a name', v, 'a non-empty string');
  return v;
}

function inferenceOf(v: unknown): InferenceCheckConfig | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) return fail('inference', 'is not an object', v, 'the golden request settings');
  const maxLatencyMs = v.maxLatencyMs;
  if (typeof maxLatencyMs !== 'number' || maxLatencyMs <= 0)
    fail('inference.maxLatencyMs', 'is not a positive number', maxLatencyMs, 'milliseconds > 0');
  const signingService = SIGNING_SERVICES.find((service) => service === v.signingService);
  if (signingService === undefined)
    fail(
      'inference.signingService',
      'is not a signing service',
      v.signingService,
      SIGNING_SERVICES.join(', '),
    );
  if (typeof v.signed !== 'boolean') fail('inference.signed', 'is not a boolean', v.signed, 'true or false');
  const fields = v.expectedFields ?? {};
  if (!isObject(fields))
    fail('inference.expectedFields', 'is not an object', fields, 'dotted paths and json types');
  const expectedFields: Record<string, FieldType> = {};
  for (const [k, t] of Object.entries(fields)) {
    const type = FIELD_TYPES.find((known) => known === t);
    if (type === undefined)
      fail(`inference.expectedFields.${k}`, 'is not a json type', t, FIELD_TYPES.join(', '));
    expectedFields[k] = type;
  }
  return {
    url: httpsUrl('inference.url', v.url),
    body: v.body,
    expectedFields,
    maxLatencyMs,
    signed: v.signed,
    signingService,
  };
}

function featureStoreOf(v: unknown): FeatureStoreCheckConfig | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || typeof v.featureGroupName !== 'string' || typeof v.recordIdentifier !== 'string')
    return fail(
      'featureStore',
      'lacks a feature group or record identifier',
      v,
      'featureGroupName and recordIdentifier',
    );
  const features = v.expectedFeatures ?? [];
  if (!Array.isArray(features) || !features.every((f): f is string => typeof f === 'string'))
    fail('featureStore.expectedFeatures', 'is not a list of names', features, 'feature names');
  return {
    featureGroupName: v.featureGroupName,
    recordIdentifier: v.recordIdentifier,
    expectedFeatures: features,
  };
}

function dependenciesOf(v: unknown): DependencyConfig[] {
  const deps = v ?? [];
  if (!Array.isArray(deps)) fail('dependencies', 'is not a list', deps, 'a list of { name, url }');
  return deps.map((d: unknown, i) => {
    if (!isObject(d)) return fail(`dependencies.${i}`, 'is not an object', d, '{ name, url }');
    return { name: text(`dependencies.${i}.name`, d.name), url: httpsUrl(`dependencies.${i}.url`, d.url) };
  });
}

/**
 * Reads the canary's configuration, written by the `ModelHealthCheck` construct as JSON in
 * {@link CONFIG_ENV}. A malformed one throws a {@link ConfigError}: a deployment error, reported
 * before any request is sent.
 */
export function parseConfig(env: Env): CanaryConfig {
  const raw = env[CONFIG_ENV];
  if (raw === undefined || raw === '') fail('(config)', 'is not set', raw, 'the json the construct writes');
  let c: unknown;
  try {
    c = JSON.parse(raw);
  } catch {
    return fail('(config)', 'is not json', raw.slice(0, 40), 'the json the construct writes');
  }
  if (!isObject(c)) return fail('(config)', 'is not an object', c, 'the json the construct writes');
  const timeoutMs = c.timeoutMs;
  if (typeof timeoutMs !== 'number' || timeoutMs < 100 || timeoutMs > 60_000)
    fail('timeoutMs', 'is out of range', timeoutMs, '100 to 60000');
  return {
    healthCheck: text('healthCheck', c.healthCheck),
    timeoutMs,
    inference: inferenceOf(c.inference),
    featureStore: featureStoreOf(c.featureStore),
    dependencies: dependenciesOf(c.dependencies),
  };
}
