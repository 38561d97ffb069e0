export * from './defaults';
export * from './model-image-repository';
export * from './model-registry';
export * from './spot-training-pipeline';
export * from './spot-training-pipeline-props';
export type {
  ArgumentValue,
  GetFunction,
  JoinFunction,
  JsonGetFunction,
  MetricComparison,
  ParameterDefinition,
  PipelineDefinition,
  PropertyFileDefinition,
  StepDefinition,
} from './pipeline-definition';
/** Render helpers for pipeline definitions (`get`, `param`, `join`, `jsonGet`, ...). */
export * as pipelineDefinition from './pipeline-definition';
/** IAM action lists of the training constructs. */
export * as trainingPerms from './perms';
