/**
 * Names shared by the model-health canary script and the `ModelHealthCheck` construct: the metric
 * namespace, metric and dimension names, the environment variable and the configuration shape the
 * construct writes into it. No aws-cdk-lib here (runtime code).
 */

/** CloudWatch namespace of the per-check metrics. */
export const METRIC_NAMESPACE = 'ML/ModelHealth';

/** Namespace CloudWatch Synthetics publishes each canary's own metrics (SuccessPercent, Duration) to. */
export const SYNTHETICS_NAMESPACE = 'CloudWatchSynthetics';

/** Metric names, per check (dimensions HealthCheck + Check). */
export const METRICS = {
  /** 1 when the check passed, 0 when it failed. */
  checkSucceeded: 'CheckSucceeded',
  /** Milliseconds the check's request took (until the response, or the failure). */
  checkLatency: 'CheckLatency',
} as const;

/** Dimension names. */
export const DIMENSIONS = { healthCheck: 'HealthCheck', check: 'Check' } as const;

/** The environment variable that carries {@link CanaryConfig} as JSON. */
export const CONFIG_ENV = 'MODEL_HEALTH_CONFIG';

/** Check name of the golden inference request. */
export const INFERENCE_CHECK = 'inference';
/** Check name of the feature-store probe. */
export const FEATURE_STORE_CHECK = 'feature-store';
/** Check name of a dependency: `dependency-<name>`. */
export function dependencyCheck(name: string): string {
  return `dependency-${name}`;
}

/** JSON types a response field can be required to have. */
export type FieldType = 'array' | 'boolean' | 'number' | 'object' | 'string';

/**
 * The SigV4 service a golden request is signed for: `execute-api` for an IAM-authorised API
 * Gateway method, `sagemaker` (the signing name of the SageMaker runtime) for a direct
 * `InvokeEndpoint`.
 */
export type SigningService = 'execute-api' | 'sagemaker';

/** Signing services the script accepts. */
export const SIGNING_SERVICES: readonly SigningService[] = ['execute-api', 'sagemaker'];

/** The golden request sent through the inference API, or straight to the endpoint. */
export interface InferenceCheckConfig {
  /**
   * Full URL of the request: `https://<api>/<stage>/<path>`, or the SageMaker runtime's
   * `https://runtime.sagemaker.<region>.amazonaws.com/endpoints/<name>/invocations`.
   */
  readonly url: string;
  /** The JSON body sent with `POST`. */
  readonly body: unknown;
  /** Dotted paths of the response JSON and the type each must have (`{ "predictions": "array" }`). */
  readonly expectedFields: Readonly<Record<string, FieldType>>;
  /** Slower than this fails the check, in milliseconds. */
  readonly maxLatencyMs: number;
  /** Sign the request with SigV4 (the API's IAM authorisation, or InvokeEndpoint's). */
  readonly signed: boolean;
  /** The service the signature is for. */
  readonly signingService: SigningService;
}

/** A record of the online feature store that must be readable. */
export interface FeatureStoreCheckConfig {
  readonly featureGroupName: string;
  readonly recordIdentifier: string;
  /** Features the record must carry. */
  readonly expectedFeatures: readonly string[];
}

/** An external dependency: an HTTPS URL, or a VPC endpoint DNS name probed at `https://<name>/`. */
export interface DependencyConfig {
  readonly name: string;
  readonly url: string;
}

/** What the construct writes into {@link CONFIG_ENV}. */
export interface CanaryConfig {
  /** The health check's name: the `HealthCheck` dimension of every metric. */
  readonly healthCheck: string;
  /** Milliseconds before any single request is abandoned. */
  readonly timeoutMs: number;
  readonly inference?: InferenceCheckConfig;
  readonly featureStore?: FeatureStoreCheckConfig;
  readonly dependencies: readonly DependencyConfig[];
}
