export { FEATURE_TYPES, FeatureContract, RecordValidationError } from './feature-contract';
export type {
  ContractChange,
  ContractComparison,
  ContractFeature,
  DataClassification,
  FeatureContractSpec,
  FeatureDefinition,
  FeatureSpec,
  FeatureType,
  ParsedRecord,
  PiiClass,
  PutRecordInput,
  PutRecordTargets,
  RecordParseResult,
  RecordProblem,
  VersionBump,
} from './feature-contract';
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
export {
  ABSOLUTE_MAX_ACCESS_WINDOW,
  DEFAULT_FRESHNESS_WINDOW,
  DEFAULT_MAX_ACCESS_WINDOW,
  RESERVED_FEATURE_NAMES,
} from './defaults';
