import { QUALITY_METRIC_NAMES, type ProblemType, type QualityMetricName } from '../../model-quality';
import type { PackageBaselineSettings } from './baseline';
import { ConfigError, envNumber, envPrefix, envRequired, envRetry, type Env } from '../shared/env';
import { parseQualityFacets } from '../../model-quality/fairness';
import { METRICS as BIAS_METRICS } from '../../fairness/metrics';
import { DEFAULT_VARIANT_NAME, ENV, QUALITY_DEFAULTS, type FairnessSettings } from './contract';

export { ConfigError } from '../shared/env';

/** The settings of one run, read from the environment the construct sets. */
export interface QualityConfig {
  readonly endpointName: string;
  readonly variantName: string;
  /** Bucket SageMaker data capture writes to. */
  readonly captureBucket: string;
  /** The endpoint config's capture prefix; objects live under `<prefix><endpoint>/<variant>/yyyy/mm/dd/hh/`. */
  readonly capturePrefix: string;
  readonly groundTruthBucket: string;
  /** Empty or ending in `/`; labels live under `<prefix>yyyy/mm/dd/hh/` (the hour they were written). */
  readonly groundTruthPrefix: string;
  readonly problemType: ProblemType;
  readonly positiveLabel: string;
  readonly classificationOutput: 'probability' | 'label';
  readonly probabilityThreshold: number;
  /** Ground truth written in the last `windowMinutes` is evaluated. */
  readonly windowMinutes: number;
  /** Captures are read from `maxLabelDelayMinutes` before the window's start to its end. */
  readonly maxLabelDelayMinutes: number;
  /** Fewer joined pairs publish no quality metric. */
  readonly minSamples: number;
  readonly maxPendingLabels: number;
  /** Attempts per API request (throttling and 5xx are retried with backoff by the SDK). */
  readonly maxAttempts: number;
  /** Milliseconds each API request may take before it fails with a `TimeoutError` and is retried. */
  readonly requestTimeoutMs: number;
  /** Post-training fairness per facet; absent: none. */
  readonly fairness?: FairnessSettings;
  /** The registered baseline to read per run; absent: the construct's static thresholds. */
  readonly packageBaseline?: PackageBaselineSettings;
}

/** Reads `QUALITY_PACKAGE_BASELINE`. */
function packageBaseline(env: Env): PackageBaselineSettings | undefined {
  const raw = env[ENV.packageBaseline];
  if (raw === undefined || raw === '') return undefined;
  const bad = (problem: string): never => {
    throw new ConfigError(
      `${ENV.packageBaseline}: ${problem} (got ${JSON.stringify(raw)}; expected {"modelPackageArn": "arn:…:model-package/<group>/<version>", "statisticsBucket": "bucket", "statisticsPrefix": "prefix/", "metrics": ["auc"]})`,
    );
  };
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return bad('is not JSON');
  }
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (
    typeof o.modelPackageArn !== 'string' ||
    !/^arn:[^:]+:sagemaker:[^:]*:\d{12}:model-package\/.+\/\d+$/.test(o.modelPackageArn)
  )
    return bad('modelPackageArn is not a model package version ARN');
  if (typeof o.statisticsBucket !== 'string' || o.statisticsBucket === '')
    return bad('statisticsBucket is not a bucket');
  if (
    typeof o.statisticsPrefix !== 'string' ||
    (o.statisticsPrefix !== '' && !o.statisticsPrefix.endsWith('/'))
  )
    return bad('statisticsPrefix is not a prefix ending in "/"');
  const known = QUALITY_METRIC_NAMES as readonly string[];
  if (!stringArray(o.metrics) || o.metrics.length === 0 || o.metrics.some((m) => !known.includes(m)))
    return bad(`metrics is not a non-empty list of ${known.join(', ')}`);
  return {
    modelPackageArn: o.modelPackageArn,
    statisticsBucket: o.statisticsBucket,
    statisticsPrefix: o.statisticsPrefix,
    metrics: o.metrics as QualityMetricName[],
  };
}

const POST_TRAINING = BIAS_METRICS.filter((m) => m.stage === 'postTraining').map((m) => m.metric as string);

function stringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '');
}

/** Reads `QUALITY_FAIRNESS`: facets (each with a condition, one per column) and known metric names. */
function fairness(env: Env): FairnessSettings | undefined {
  const raw = env[ENV.fairness];
  if (raw === undefined || raw === '') return undefined;
  const bad = (problem: string): never => {
    throw new ConfigError(
      `${ENV.fairness}: ${problem} (got ${JSON.stringify(raw)}; expected {"facets": ["column=value"], "metrics": ["DPPL"], "group"?: "column", "requestColumns"?: ["column"]})`,
    );
  };
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return bad('is not JSON');
  }
  if (typeof v !== 'object' || v === null) return bad('is not an object');
  const o = v as Record<string, unknown>;
  if (!stringArray(o.facets) || o.facets.length === 0)
    return bad('facets is not a non-empty list of strings');
  try {
    parseQualityFacets(o.facets);
  } catch (e) {
    return bad(e instanceof Error ? e.message : String(e));
  }
  if (!stringArray(o.metrics) || o.metrics.some((m) => !POST_TRAINING.includes(m)))
    return bad(`metrics is not a list of ${POST_TRAINING.join(', ')}`);
  if (o.group !== undefined && (typeof o.group !== 'string' || o.group === ''))
    return bad('group is not a column');
  if (o.requestColumns !== undefined && !stringArray(o.requestColumns))
    return bad('requestColumns is not a list of column names');
  return {
    facets: o.facets,
    metrics: o.metrics,
    ...(o.group !== undefined ? { group: o.group as string } : {}),
    ...(o.requestColumns !== undefined ? { requestColumns: o.requestColumns as string[] } : {}),
  };
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback?: T): T {
  const v = env[name] || fallback;
  if (v === undefined || !(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(
      `${name}: is not supported (got ${JSON.stringify(env[name] ?? null)}; expected one of ${allowed.join(', ')})`,
    );
  }
  return v as T;
}

/** Reads and checks the run settings. */
export function parseConfig(env: Env): QualityConfig {
  const fairnessSettings = fairness(env);
  const baselineSettings = packageBaseline(env);
  return {
    endpointName: envRequired(env, ENV.endpointName),
    variantName: env[ENV.variantName] || DEFAULT_VARIANT_NAME,
    captureBucket: envRequired(env, ENV.captureBucket),
    capturePrefix: envPrefix(env, ENV.capturePrefix, { emptyAllowed: true, fallback: '' }),
    groundTruthBucket: env[ENV.groundTruthBucket] || envRequired(env, ENV.captureBucket),
    groundTruthPrefix: envPrefix(env, ENV.groundTruthPrefix, { emptyAllowed: true }),
    problemType: oneOf(env, ENV.problemType, [
      'binaryClassification',
      'multiclassClassification',
      'regression',
    ]),
    positiveLabel: env[ENV.positiveLabel] || QUALITY_DEFAULTS.positiveLabel,
    classificationOutput: oneOf(env, ENV.classificationOutput, ['probability', 'label'], 'probability'),
    probabilityThreshold: envNumber(
      env,
      ENV.probabilityThreshold,
      QUALITY_DEFAULTS.probabilityThreshold,
      0,
      1,
    ),
    windowMinutes: envNumber(env, ENV.windowMinutes, 60, 1, 7 * 24 * 60, { integer: true }),
    maxLabelDelayMinutes: envNumber(
      env,
      ENV.maxLabelDelayMinutes,
      QUALITY_DEFAULTS.maxLabelDelayMinutes,
      0,
      30 * 24 * 60,
      { integer: true },
    ),
    minSamples: envNumber(env, ENV.minSamples, QUALITY_DEFAULTS.minSamples, 1, 10_000_000, { integer: true }),
    maxPendingLabels: envNumber(env, ENV.maxPendingLabels, QUALITY_DEFAULTS.maxPendingLabels, 1, 10_000_000, {
      integer: true,
    }),
    ...envRetry(env, ENV),
    ...(fairnessSettings ? { fairness: fairnessSettings } : {}),
    ...(baselineSettings ? { packageBaseline: baselineSettings } : {}),
  };
}
