// The contract half: the list `compliant-mlops/contracts` (constructs/contracts.ts) exports too.
export * from './feature-contract';
export { RestrictedFeatureGroup, SecureFeatureGroup } from './secure-feature-group';
export type {
  FeatureGroupMetricOptions,
  FeatureStoreOperation,
  ISecureFeatureGroup,
  OfflineTableFormat,
  OnlineStorageType,
  SecureFeatureGroupAttributes,
  SecureFeatureGroupProps,
  ThroughputMode,
  TimeBoundAccessOptions,
} from './secure-feature-group';
export { ABSOLUTE_MAX_ACCESS_WINDOW, DEFAULT_FRESHNESS_WINDOW, DEFAULT_MAX_ACCESS_WINDOW } from './defaults';
