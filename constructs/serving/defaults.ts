import { Duration, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Hardened defaults of the serving constructs, as pure values and functions, so the README, the
 * constructs and the tests read the same numbers.
 */

/** The deployment environments the serving constructs know; `prod` demands high availability. */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/** A deployment environment. */
export type ServingEnvironment = (typeof ENVIRONMENTS)[number];

/**
 * The longest a SageMaker real-time endpoint lets one invocation run before it answers 408
 * (a service limit, not configurable).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-test-endpoints.html
 */
export const SAGEMAKER_REALTIME_INVOCATION_TIMEOUT = Duration.seconds(60);

/** Instance type of a production variant when none is given. */
export const DEFAULT_INSTANCE_TYPE = 'ml.m5.large';

/** Instances per production variant: two, so SageMaker spreads them across Availability Zones. */
export const DEFAULT_INSTANCE_COUNT = 2;

/** The fewest instances a `prod` variant may start with. */
export const PROD_MIN_INSTANCE_COUNT = 2;

/**
 * Largest canary, as a share of the fleet: past half, a canary is no longer a canary, and
 * SageMaker refuses it (`CanarySize` at most 50 % of the variant's instances).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html
 */
export const MAX_CANARY_PERCENT = 50;

/**
 * The linear step sizes SageMaker accepts, percent of the variant's instances ("each linear step
 * should only be between 10-50% of the green fleet's capacity").
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-linear.html
 */
export const LINEAR_STEP_PERCENT_RANGE = { min: 10, max: 50 } as const;

/**
 * The rolling batch sizes SageMaker accepts, percent of the variant's instances
 * (`MaximumBatchSize` "between 5% to 50% of the variant's total instance count").
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RollingUpdatePolicy.html
 */
export const ROLLING_BATCH_PERCENT_RANGE = { min: 5, max: 50 } as const;

/**
 * The fewest instances Application Auto Scaling may keep on a production variant: at least 1
 * (only endpoints that host inference components scale to zero).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-policy.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html
 */
export const MIN_SCALABLE_CAPACITY = 1;

/** The documentation pages the guardrail and scaling validation errors cite. */
export const GUARDRAIL_DOCS = {
  canary: 'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html',
  linear: 'https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-linear.html',
  rolling: 'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RollingUpdatePolicy.html',
  scalingCapacity: 'https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-policy.html',
  scalingUpdate: 'https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html',
} as const;

/** Canary share of capacity when none is given. */
export const DEFAULT_CANARY_PERCENT = 10;

/** Linear step share of capacity when none is given. */
export const DEFAULT_LINEAR_STEP_PERCENT = 25;

/** Rolling batch share of capacity when none is given. */
export const DEFAULT_ROLLING_BATCH_PERCENT = 25;

/** How long each traffic step bakes before the next one (alarms are watched meanwhile). */
export const DEFAULT_TRAFFIC_WAIT = Duration.minutes(5);

/** How long the old fleet is kept after all traffic moved, so a late alarm can still roll back. */
export const DEFAULT_TERMINATION_WAIT = Duration.minutes(10);

/** Target of the target-tracking policy: invocations per instance per minute. */
export const DEFAULT_INVOCATIONS_PER_INSTANCE = 100;

/** Share of requests (and responses) that data capture records. */
export const DEFAULT_CAPTURE_SAMPLING_PERCENT = 100;

/** Content types recorded as CSV by data capture. */
export const DEFAULT_CAPTURE_CSV_CONTENT_TYPES = ['text/csv'];

/** Content types recorded as JSON by data capture. */
export const DEFAULT_CAPTURE_JSON_CONTENT_TYPES = ['application/json'];

/** ModelLatency p99 above which the latency alarm fires (and rolls a deployment back). */
export const DEFAULT_LATENCY_P99_THRESHOLD = Duration.seconds(1);

/** Utilization (percent) above which the CPU, GPU and disk alarms fire. */
export const DEFAULT_UTILIZATION_THRESHOLD_PERCENT = 80;

/** 5XX or 4XX responses per minute above which the error alarms fire. */
export const DEFAULT_ERROR_THRESHOLD = 5;

/** The API Gateway stage every InferenceApi deploys. */
export const DEFAULT_STAGE_NAME = 'v1';

/** Steady-state requests per second of the API (stage and method). */
export const DEFAULT_RATE_LIMIT = 50;

/** Burst of requests the API absorbs above the rate. */
export const DEFAULT_BURST_LIMIT = 100;

/** Requests per day a client (API key) may make; caps how fast a model can be extracted. */
export const DEFAULT_QUOTA_PER_DAY = 100_000;

/** Requests per five minutes from one IP address before WAF blocks it. */
export const DEFAULT_WAF_RATE_LIMIT = 1_000;

/** Largest request body, in bytes. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

/** The largest body AWS WAF can inspect for API Gateway (its `KB_64` inspection limit). */
export const WAF_MAX_BODY_INSPECTION_BYTES = 64 * 1024;

/** The API Gateway REST payload limit (a hard service limit). */
export const APIGW_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** Integration timeout when none is given: the default REST API quota. */
export const DEFAULT_INTEGRATION_TIMEOUT = Duration.seconds(29);

/** GPU instance families, whose GPU utilization gets its own alarm. */
const GPU_FAMILIES = /^ml\.(g\d|p\d|inf|trn)/;

/** Whether an instance type has GPUs (or Inferentia/Trainium accelerators). */
export function isGpuInstanceType(instanceType: string): boolean {
  return GPU_FAMILIES.test(instanceType);
}

/**
 * A SageMaker-valid name derived from a construct's path: lowercase (endpoint ARNs are lowercase),
 * alphanumerics and hyphens, at most `maxLength` characters, ending with a short hash of the full
 * path so two constructs never collide.
 */
export function physicalNameFor(scope: IConstruct, maxLength = 63): string {
  const stack = Stack.of(scope);
  const path = scope.node.path;
  const readable = [
    stack.stackName,
    ...scope.node.scopes.slice(stack.node.scopes.length).map((s) => s.node.id),
  ]
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const hash = shortHash(path);
  const head = readable.slice(0, maxLength - hash.length - 1).replace(/-+$/g, '');
  return `${head}-${hash}`;
}

/** An 8-hex-digit FNV-1a hash: stable across runs and platforms, no crypto needed. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
