/**
 * Names shared by the auto-shutdown handler and the `AutoShutdown` construct: tag keys, the metric
 * namespace and the environment variables the construct sets. No aws-cdk-lib here (runtime code).
 */

/** CloudWatch namespace of the run metrics (Acted, Skipped, Failed) and the notebook idle signal. */
export const METRIC_NAMESPACE = 'ML/AutoShutdown';

/**
 * Tag the notebook lifecycle-config idle check writes on its own notebook instance: the ISO 8601
 * UTC time of the last kernel or terminal activity (e.g. `2025-01-31T17:05:00Z`).
 */
export const LAST_ACTIVITY_TAG = 'auto-shutdown:last-activity';

/**
 * Prefix of the tag written on the endpoint config of a deleted endpoint, one per endpoint:
 * `auto-shutdown:deleted:<EndpointName>` = `<deleted at, ISO 8601> <number of tag chunks>`.
 * Keyed by the endpoint name because several endpoints may share one endpoint config.
 */
export const DELETED_TAG_PREFIX = 'auto-shutdown:deleted:';

/**
 * Prefix of the tags that carry a deleted endpoint's own tags, base64url-encoded JSON split into
 * chunks of at most 256 characters: `auto-shutdown:tags:<EndpointName>:0`, `:1`, ...
 */
export const ENDPOINT_TAGS_TAG_PREFIX = 'auto-shutdown:tags:';

/**
 * Former single-record format (one endpoint per config), still read by `restoreInput`:
 * the endpoint's name, its deletion time and `auto-shutdown:endpoint-tags-N` chunks.
 */
export const LEGACY_RESTORE_TAGS = {
  endpointName: 'auto-shutdown:deleted-endpoint',
  deletedAt: 'auto-shutdown:deleted-at',
  tagsPrefix: 'auto-shutdown:endpoint-tags-',
} as const;

/** Every tag key the handler writes starts with this (the role's AddTags is limited to it). */
export const HANDLER_TAG_PREFIX = 'auto-shutdown:';

/** The default exemption tag key; a resource carrying it with value `true` is never touched. */
export const DEFAULT_EXEMPTION_TAG_KEY = 'auto-shutdown:exempt';

/** The default tag key naming an endpoint's environment. */
export const DEFAULT_ENVIRONMENT_TAG_KEY = 'environment';

/** Environment values that mark production: such endpoints are never deleted. */
export const DEFAULT_PRODUCTION_VALUES: readonly string[] = ['prod', 'production'];

/** Studio app types swept by default. JupyterServer (the classic `default` app) only when configured. */
export const DEFAULT_STUDIO_APP_TYPES: readonly string[] = ['JupyterLab', 'CodeEditor', 'KernelGateway'];

/** What a sweep can look at. */
export const TARGETS = ['notebooks', 'studio', 'endpoints'] as const;

/** One kind of resource a sweep looks at. */
export type Target = (typeof TARGETS)[number];

/** Environment variables the handler reads; the construct sets them. */
export const ENV = {
  dryRun: 'AUTO_SHUTDOWN_DRY_RUN',
  maxActionsPerRun: 'AUTO_SHUTDOWN_MAX_ACTIONS',
  idleThresholdMinutes: 'AUTO_SHUTDOWN_IDLE_MINUTES',
  endpointIdleThresholdMinutes: 'AUTO_SHUTDOWN_ENDPOINT_IDLE_MINUTES',
  studioMaxAppAgeMinutes: 'AUTO_SHUTDOWN_STUDIO_MAX_AGE_MINUTES',
  exemptionTagKey: 'AUTO_SHUTDOWN_EXEMPTION_TAG_KEY',
  environmentTagKey: 'AUTO_SHUTDOWN_ENVIRONMENT_TAG_KEY',
  productionValues: 'AUTO_SHUTDOWN_PRODUCTION_VALUES',
  targets: 'AUTO_SHUTDOWN_TARGETS',
  studioAppTypes: 'AUTO_SHUTDOWN_STUDIO_APP_TYPES',
  maxAttempts: 'AUTO_SHUTDOWN_MAX_ATTEMPTS',
  requestTimeoutMs: 'AUTO_SHUTDOWN_REQUEST_TIMEOUT_MS',
  concurrency: 'AUTO_SHUTDOWN_CONCURRENCY',
} as const;
