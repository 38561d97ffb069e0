// Lineage and provenance of a deployed model (issue 18): CDK-free, read-only.
export * from './capture-search';
export * from './chain';
export * from './errors';
export * from './manifest';
export * from './metadata-keys';
export * from './report';
