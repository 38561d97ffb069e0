/**
 * Shared helpers for the MLOps rules: reading resolved L1 properties that may hold CloudFormation
 * intrinsics, rebuilding strings from `Fn::Join` / `Fn::Sub`, and parsing pipeline definitions.
 * Each concern lives in its own file under `rule-helpers/`; rules import them from here.
 *
 * A rule that needs a literal and finds an intrinsic it cannot judge (a `Fn::If`, a parameter)
 * throws {@link UnresolvableError}; cdk-nag then reports the rule's own id with "Rule threw an
 * error during validation", so the resource is reported, never silently passed.
 */
export * from './rule-helpers/intrinsics';
export * from './rule-helpers/properties';
export * from './rule-helpers/strings';
export * from './rule-helpers/tags';
export * from './rule-helpers/images';
export * from './rule-helpers/pipelines';
export * from './rule-helpers/instance-storage';
export * from './rule-helpers/processing';
export * from './rule-helpers/evaluation';
export * from './rule-helpers/serving';
