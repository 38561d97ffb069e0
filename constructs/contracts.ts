// The `compliant-mlops/contracts` entry: FeatureContract without aws-cdk-lib. Ingestion code (a
// Lambda that checks each record before `PutRecord`) imports the contract from here, so its bundle
// holds the contract and zod (well under 1 MB) instead of aws-cdk-lib (tens of MB). The construct
// side, SecureFeatureGroup, takes the very same FeatureContract from the root entry.
export { FEATURE_TYPES, FeatureContract, RecordValidationError } from './feature-store/feature-contract';
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
} from './feature-store/feature-contract';
export { RESERVED_FEATURE_NAMES } from './feature-store/naming';
// What FeatureContract.define throws, so ingestion code can tell a bad declaration apart.
export { PropsValidationError } from './core/problems';
export type { PropsProblem } from './core/problems';
