export * from './check';
export * from './inputs';
export * from './acknowledgments';
export * from './cfn-yaml';
export * from './errors';
export * from './rule-catalog';
export * from './version';
