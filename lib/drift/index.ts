/**
 * Drift statistics and capture parsing, free of AWS SDK and CDK imports so the CLI and the drift
 * Lambda share one implementation. See README.md in this folder for the formulas.
 */
export * from './analysis';
export * from './baseline';
export * from './capture';
export * from './csv';
export * from './errors';
export * from './lines';
export * from './random';
export * from './stats';
export * from './values';
