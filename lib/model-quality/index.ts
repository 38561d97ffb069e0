/**
 * Model quality monitoring without SageMaker Model Monitor: predictions from data capture joined
 * with ground-truth labels by inference id, and the quality metrics of each window. Free of AWS SDK
 * and CDK imports, so the Lambda handler, the benchmark and the CLI share it.
 */
export * from './fairness';
export * from './join';
export * from './metrics';
export * from './records';
