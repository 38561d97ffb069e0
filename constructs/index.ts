// The public entry point of compliant-mlops: constructs, the policy packs and the checker API.
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
// The checker behind `compliant-mlops check`, and the report model and writers it shares with `audit`.
export { checkPaths, exitCodeOf } from '../lib/check/check';
export type { CheckOptions, FailOn } from '../lib/check/check';
export { checkPathsInParallel } from '../lib/check/parallel';
export type { ParallelCheckOptions } from '../lib/check/parallel';
export { loadAcknowledgmentsFile } from '../lib/check/acknowledgments';
export * from '../lib/report';
