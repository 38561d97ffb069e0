// The public entry point of compliant-mlops: the constructs and the policy packs.
export * from './core/validate';
export * from './core/acknowledge';
export * from './core/tags';
export * from './core/scoped-role';
export * from './core/secure-function';
export * from './encryption/encryption-keys';
export * from './encryption/service-access';
export * from './storage/secure-bucket';
export * from './storage/tiered-dataset-bucket';
export * from './monitoring/alert-topic';
export { DriftMonitor, rateExpression } from './monitoring/drift-monitor';
export type {
  DriftMonitorProps,
  DriftMonitoredEndpoint,
  DriftMetricOptions,
} from './monitoring/drift-monitor';
export * from './serving';
export * from './feature-store';
export * from './training';
export * from './cost/cost-guardrails';
export * from './cost/auto-shutdown';
export * from './audit';
export * from '../lib/policy';
// The report model and writers belong to the checker: `compliant-mlops/check` (lib/check/api.ts)
// exports them with the checker API. An app composing constructs never needs them.
