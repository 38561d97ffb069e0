// The public entry point of compliant-mlops: the constructs, their props and interfaces, the
// constants a caller configures them with, and the policy packs. Named lists, not `export *`, where
// a module also holds what the constructs share among themselves (props validation, key-policy
// statements, tag bookkeeping, handler lookup): those are internals, free to change in any release.
// etc/compliant-mlops.api.md pins the result (`npm run api:check`).
export { PropsValidationError } from './core/problems';
export type { PropsProblem } from './core/problems';
export {
  acknowledge,
  acknowledgeControl,
  acknowledgmentsOf,
  CONTROLS,
  PACK_PREFIXES,
} from './core/acknowledge';
export type { AcknowledgmentOptions, AcknowledgmentRecord, ControlName, PackName } from './core/acknowledge';
export { DEFAULT_REQUIRED_TAGS, RequiredTags } from './core/tags';
export type { RequiredTagsOptions } from './core/tags';
export * from './core/scoped-role';
export { SecureFunction } from './core/secure-function';
export type { SecureFunctionProps } from './core/secure-function';
export { DOMAIN_SERVICE_USES, EncryptionKeys, KEY_DOMAINS } from './encryption/encryption-keys';
export type { EncryptionKeysProps, KeyDomain } from './encryption/encryption-keys';
export { KEY_SERVICE_USES } from './encryption/service-access';
export type { KeyServiceUse } from './encryption/service-access';
export { SecureBucket } from './storage/secure-bucket';
export type {
  ISecureBucket,
  ObjectLockOptions,
  SecureBucketAttributes,
  SecureBucketProps,
  SseS3ServiceWrite,
} from './storage/secure-bucket';
export * from './storage/tiered-dataset-bucket';
export { AlertTopic } from './monitoring/alert-topic';
export type { AlertTopicProps, IAlertDestination } from './monitoring/alert-topic';
export { ALERT_SEVERITIES, alarmNameFor, PAGING_DELIVERY_POLICY } from './monitoring/alert-integrations';
export type {
  AlertIntegrationProps,
  AlertNotifyOptions,
  AlertResponsePlan,
  AlertSeverity,
  AlertSlackChannel,
  AlertTeamsChannel,
} from './monitoring/alert-integrations';
export { ModelHealthCheck } from './monitoring/model-health-check';
export type {
  FeatureStoreProbe,
  HealthCheckDependency,
  IHealthCheckedApi,
  IHealthCheckedEndpoint,
  IHealthCheckedFeatureGroup,
  ModelHealthCheckProps,
} from './monitoring/model-health-check';
export { DriftMonitor } from './monitoring/drift-monitor';
export { ModelQualityMonitor } from './monitoring/model-quality-monitor';
export type {
  ModelQualityBaseline,
  ModelQualityFairnessAlarm,
  ModelQualityPackageBaseline,
  ModelQualityMetricName,
  ModelQualityMetricOptions,
  ModelQualityMonitoredEndpoint,
  ModelQualityMonitorProps,
} from './monitoring/model-quality-monitor';
export type {
  DriftMonitorProps,
  DriftMonitoredEndpoint,
  DriftMetricOptions,
} from './monitoring/drift-monitor';
export * from './serving';
export * from './feature-store';
export * from './training';
export * from './cost/cost-guardrails';
export {
  AutoShutdown,
  DEFAULT_OFF_HOURS,
  LAST_ACTIVITY_TAG,
  METRIC_NAMESPACE,
  studioIdleSettings,
} from './cost/auto-shutdown';
export type {
  AutoShutdownProps,
  AutoShutdownTarget,
  OffHoursSchedule,
  StudioAppType,
} from './cost/auto-shutdown';
export * from './audit';
export * from '../lib/policy';
// The report model and writers belong to the checker: `compliant-mlops/check` (lib/check/api.ts)
// exports them with the checker API. An app composing constructs never needs them.
