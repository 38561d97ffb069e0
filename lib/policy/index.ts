export * from './mlops-checks';
// The rule model is public (custom rules implement MLOpsRule); how the pack evaluates a rule is not.
export type { MLOpsRule, MLOpsRuleConfig } from './rule';
export * from './rules';
export * from './packs';
