// The `compliant-mlops/contracts` entry: FeatureContract without aws-cdk-lib. Ingestion code (a
// Lambda that checks each record before `PutRecord`) imports the contract from here, so its bundle
// holds the contract and zod's mini build (under 1 MB unminified) instead of aws-cdk-lib (tens of
// MB). The construct side, SecureFeatureGroup, takes the very same FeatureContract from the root
// entry: both entries re-export the one list of constructs/feature-store/feature-contract.ts.
export * from './feature-store/feature-contract';
// What FeatureContract.define throws, so ingestion code can tell a bad declaration apart.
export { PropsValidationError } from './core/problems';
export type { PropsProblem } from './core/problems';
