export * from './mlops-checks';
export * from './rule';
export * from './rules';
export * from './packs';
