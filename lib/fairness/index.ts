/**
 * Bias statistics (SageMaker Clarify's pre- and post-training metrics, and proxy detection), free of
 * AWS SDK and CDK imports so the CLI, a pipeline step and a monitor share one implementation. See
 * README.md in this folder for the formulas and the edge cases.
 */
export * from './analysis';
export * from './association';
export * from './errors';
export * from './metrics';
export * from './read';
export * from './report';
export * from './spec';
