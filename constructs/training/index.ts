// Public API of the training constructs: the constructs, their props and interfaces, and the
// constants a caller configures or reads them with. The props schema, the instance-family and
// retry helpers, the pipeline-definition render helpers and the IAM action lists stay internal.
export {
  CHECKPOINT_LOCAL_PATH,
  DEFAULT_EVALUATION_INSTANCE_TYPE,
  DEFAULT_MAX_RUNTIME,
  DEFAULT_TRAINING_INSTANCE_FAMILIES,
  DEFAULT_TRAINING_INSTANCE_TYPE,
  MAX_TRAINING_DURATION,
} from './defaults';
export * from './model-documentation';
export * from './model-image-repository';
export * from './model-registry';
export * from './review-gate';
export * from './model-data-legal-hold';
export * from './spot-training-pipeline';
// Types only: the module's values are the props schema and the image-uri check the construct uses.
export type {
  EvaluationOptions,
  ModelRiskRating,
  RegistrationGateOptions,
  SpotTrainingPipelineProps,
  TrainingMetricDefinition,
} from './spot-training-pipeline-props';
export type { BiasCheckOptions } from './spot-training-pipeline-bias';
export type { FairnessCheckOptions } from './spot-training-pipeline-fairness';
export { FAIRNESS_STEP_NAMES } from './spot-training-pipeline-fairness';
export type { PostTrainingMetric } from '../../lib/fairness/metrics';
export type {
  DataProvenanceOptions,
  LineageFeatureContract,
  LineageFunctions,
  LineageOptions,
} from './spot-training-pipeline-lineage';
export { LINEAGE_STEP_NAMES } from './spot-training-pipeline-lineage';
export type { PreTrainingMetric } from '../../lib/fairness/metrics';
export type {
  ArgumentValue,
  GetFunction,
  JoinFunction,
  JsonGetFunction,
  LambdaOutputDefinition,
  MetricComparison,
  ParameterDefinition,
  PipelineDefinition,
  PropertyFileDefinition,
  StepDefinition,
} from './pipeline-definition';
