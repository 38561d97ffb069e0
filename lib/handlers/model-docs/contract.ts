/**
 * Names shared by the model-docs handler and the `ModelDocumentation` construct: the metric
 * namespace, metric names and environment variables. No aws-cdk-lib here (runtime code).
 */

/** CloudWatch namespace of the handler's metrics. */
export const METRIC_NAMESPACE = 'ML/ModelDocumentation';

/** Metric names, each with the dimension `ModelPackageGroupName`. */
export const METRICS = {
  /** 1 per card created or updated, 0 per event that found the card current. */
  cardsWritten: 'CardsWritten',
  /** Per event: the reports the package names that could not be read (missing, denied, malformed, elsewhere). */
  reportsNotRead: 'ReportsNotRead',
  /** 1 per event whose version could not be documented (package missing or denied, card key differs). */
  documentationFailures: 'DocumentationFailures',
  /** 1 per event that is not a model package state change of the expected shape. */
  malformedEvents: 'MalformedEvents',
} as const;

/** Dimension names. */
export const DIMENSIONS = { modelPackageGroupName: 'ModelPackageGroupName' } as const;

/** The EventBridge detail type of model package state changes. */
export const DETAIL_TYPE = 'SageMaker Model Package State Change';

/** Environment variables the construct sets and the handler reads. */
export const ENV = {
  groupName: 'MODEL_DOCS_GROUP_NAME',
  cardKeyId: 'MODEL_DOCS_CARD_KEY_ID',
  reportsBucket: 'MODEL_DOCS_REPORTS_BUCKET',
  /** JSON array of key prefixes, each ending in `/`. */
  reportsPrefixes: 'MODEL_DOCS_REPORTS_PREFIXES',
  /** JSON of the contract facts (name, version, intendedUse, owner, riskTier, features). */
  contract: 'MODEL_DOCS_CONTRACT',
  /** JSON array of `{ title, url }`. */
  runbooks: 'MODEL_DOCS_RUNBOOKS',
  maxAttempts: 'MODEL_DOCS_MAX_ATTEMPTS',
  requestTimeoutMs: 'MODEL_DOCS_REQUEST_TIMEOUT_MS',
} as const;
