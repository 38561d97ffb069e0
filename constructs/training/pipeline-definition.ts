/**
 * Render helpers for SageMaker Pipeline definitions (the JSON that `PipelineDefinitionBody`
 * holds). Pure functions: they take resolved-or-token strings and return plain objects, so the
 * shapes are unit-testable and validated against the published definition schema in tests.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html
 */

/** A property reference evaluated by SageMaker at run time: `Parameters.X`, `Steps.X.Y`, `Execution.PipelineExecutionId`. */
export interface GetFunction {
  readonly Get: string;
}

/** String concatenation evaluated by SageMaker at run time. */
export interface JoinFunction {
  readonly 'Std:Join': { readonly On: string; readonly Values: readonly (string | GetFunction)[] };
}

/** A value read from a step's property file (a JSON file the step wrote). */
export interface JsonGetFunction {
  readonly 'Std:JsonGet': { readonly PropertyFile: GetFunction; readonly Path: string };
}

/** Any argument value of a definition. */
export type ArgumentValue = string | number | boolean | GetFunction | JoinFunction | JsonGetFunction;

/** One declared pipeline parameter. */
export interface ParameterDefinition {
  readonly Name: string;
  readonly Type: 'String' | 'Integer' | 'Float' | 'Boolean';
  readonly DefaultValue?: string | number | boolean;
}

/** One step, as the definition carries it (Arguments is the SageMaker API request). */
export interface StepDefinition {
  readonly Name: string;
  readonly Type: 'Training' | 'Processing' | 'Condition' | 'RegisterModel' | 'Fail' | 'Transform' | 'Lambda';
  readonly Description?: string;
  readonly DependsOn?: readonly string[];
  readonly RetryPolicies?: readonly object[];
  readonly PropertyFiles?: readonly PropertyFileDefinition[];
  /** Lambda steps: the function SageMaker invokes with `Arguments` as the event. */
  readonly FunctionArn?: string;
  /** Lambda steps: the keys of the function's result that later steps may read. */
  readonly OutputParameters?: readonly LambdaOutputDefinition[];
  readonly Arguments: Record<string, unknown>;
}

/** One output of a Lambda step: a key of the object the function returns, and its type. */
export interface LambdaOutputDefinition {
  readonly OutputName: string;
  readonly OutputType: 'String' | 'Integer' | 'Boolean' | 'Float';
}

/** A JSON file a Processing step writes, readable by later steps with `Std:JsonGet`. */
export interface PropertyFileDefinition {
  readonly PropertyFileName: string;
  readonly OutputName: string;
  readonly FilePath: string;
}

/** A whole pipeline definition. */
export interface PipelineDefinition {
  readonly Version: '2020-12-01';
  readonly Metadata: Record<string, string>;
  readonly Parameters: readonly ParameterDefinition[];
  readonly Steps: readonly StepDefinition[];
}

/** `{"Get": path}`. */
export function get(path: string): GetFunction {
  return { Get: path };
}

/** A reference to a pipeline parameter. */
export function param(name: string): GetFunction {
  return get(`Parameters.${name}`);
}

/** The current execution's id, unique per run: the key of per-execution prefixes. */
export const EXECUTION_ID: GetFunction = get('Execution.PipelineExecutionId');

/** `{"Std:Join": {"On": on, "Values": values}}`. */
export function join(values: readonly (string | GetFunction)[], on = ''): JoinFunction {
  return { 'Std:Join': { On: on, Values: values } };
}

/** A value read from a property file of an earlier step. */
export function jsonGet(stepName: string, propertyFileName: string, path: string): JsonGetFunction {
  return {
    'Std:JsonGet': { PropertyFile: get(`Steps.${stepName}.PropertyFiles.${propertyFileName}`), Path: path },
  };
}

/** The final value of a training metric (one of the step's metric definitions). */
export function finalMetric(trainingStepName: string, metricName: string): GetFunction {
  return get(`Steps.${trainingStepName}.FinalMetricDataList['${metricName}'].Value`);
}

/** The S3 URI of the model artifact a training step produced. */
export function modelArtifacts(trainingStepName: string): GetFunction {
  return get(`Steps.${trainingStepName}.ModelArtifacts.S3ModelArtifacts`);
}

/**
 * Serialises a definition for `PipelineDefinitionBody`. Tokens (bucket names, ARNs) stay inside
 * JSON strings, so the resolved template is an `Fn::Join` whose literal parts, with each
 * reference replaced by any string without quotes or backslashes, are valid JSON.
 */
export function renderDefinition(definition: PipelineDefinition): string {
  return JSON.stringify(definition);
}

/** The comparison a condition step applies: `<metric> <comparison> <threshold>`. */
export type MetricComparison = 'GreaterThanOrEqualTo' | 'GreaterThan' | 'LessThanOrEqualTo' | 'LessThan';

/** A condition step that runs `ifSteps` when the metric clears the threshold, else `elseSteps`. */
export function conditionStep(
  name: string,
  left: ArgumentValue,
  comparison: MetricComparison,
  threshold: number,
  ifSteps: readonly StepDefinition[],
  elseSteps: readonly StepDefinition[],
): StepDefinition {
  return {
    Name: name,
    Type: 'Condition',
    Arguments: {
      Conditions: [{ Type: comparison, LeftValue: left, RightValue: threshold }],
      IfSteps: ifSteps,
      ElseSteps: elseSteps,
    },
  };
}

/** A step that fails the execution with a message. */
export function failStep(name: string, message: string): StepDefinition {
  return { Name: name, Type: 'Fail', Arguments: { ErrorMessage: message } };
}

/**
 * A Lambda step: SageMaker invokes `functionArn` with `args` as the event and reads each declared
 * output from the returned object. The published definition schema allows no RetryPolicies on it.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda
 */
export function lambdaStep(
  name: string,
  description: string,
  functionArn: string,
  args: Record<string, ArgumentValue>,
  outputs: readonly LambdaOutputDefinition[],
): StepDefinition {
  return {
    Name: name,
    Type: 'Lambda',
    Description: description,
    FunctionArn: functionArn,
    Arguments: args,
    OutputParameters: outputs,
  };
}

/** An output parameter of an earlier Lambda step. */
export function lambdaOutput(stepName: string, outputName: string): GetFunction {
  return get(`Steps.${stepName}.OutputParameters['${outputName}']`);
}

/** A condition step that runs `ifSteps` when `left` equals `right`, else `elseSteps`. */
export function equalsStep(
  name: string,
  left: ArgumentValue,
  right: string | number | boolean,
  ifSteps: readonly StepDefinition[],
  elseSteps: readonly StepDefinition[],
): StepDefinition {
  return {
    Name: name,
    Type: 'Condition',
    Arguments: {
      Conditions: [{ Type: 'Equals', LeftValue: left, RightValue: right }],
      IfSteps: ifSteps,
      ElseSteps: elseSteps,
    },
  };
}
