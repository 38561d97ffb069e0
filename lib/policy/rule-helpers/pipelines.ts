import { CfnResource } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { isIntrinsic, isObject, JsonObject, PLACEHOLDER, short } from './intrinsics';
import { choiceCount, resolved } from './evaluation';
import { templateJson } from './strings';

// ---- Pipeline definitions ---------------------------------------------------------------------

/** What a pipeline's definition turned out to be. */
export type PipelineDefinitionResult =
  | { readonly kind: 'inline'; readonly definition: JsonObject }
  | { readonly kind: 's3' }
  | { readonly kind: 'unparseable'; readonly reason: string };

/** One step of a pipeline definition, with the name its findings use. */
export interface PipelineStep {
  readonly name: string;
  readonly type: string;
  readonly args: JsonObject;
  /** The whole step object (for fields beside `Arguments`, e.g. `RetryPolicies`). */
  readonly step: JsonObject;
}

const definitionCache = new WeakMap<
  CfnPipeline,
  { readonly source: unknown; readonly result: PipelineDefinitionResult }
>();

/**
 * Parses a pipeline's `PipelineDefinition`, once per node and property value (several rules read
 * it). `PipelineDefinitionBody` may be a string or an `Fn::Join`/`Fn::Sub` of JSON text around
 * references; the references become {@link PLACEHOLDER} strings.
 */
export function pipelineDefinitionOf(node: CfnPipeline): PipelineDefinitionResult {
  const source: unknown = node.pipelineDefinition;
  const hit = definitionCache.get(node);
  if (hit && hit.source === source) return hit.result;
  const result = parsePipelineDefinition(node, source);
  // A definition that depends on a condition or parameter differs per scenario: not cached.
  if (choiceCount() === 0) definitionCache.set(node, { source, result });
  return result;
}

function parsePipelineDefinition(node: CfnPipeline, source: unknown): PipelineDefinitionResult {
  const def = resolved(node, source);
  if (!isObject(def) || isIntrinsic(def)) {
    return { kind: 'unparseable', reason: `PipelineDefinition is ${short(def)}` };
  }
  if (def.PipelineDefinitionBody === undefined && def.PipelineDefinitionS3Location !== undefined)
    return { kind: 's3' };
  const text = templateJson(def.PipelineDefinitionBody);
  if (text === undefined) return { kind: 'unparseable', reason: 'PipelineDefinitionBody is missing' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { kind: 'unparseable', reason: `PipelineDefinitionBody is not JSON (${(e as Error).message})` };
  }
  if (!isObject(parsed) || !Array.isArray(parsed.Steps)) {
    return { kind: 'unparseable', reason: 'PipelineDefinitionBody has no Steps list' };
  }
  return { kind: 'inline', definition: parsed };
}

/** Every step of a definition, including those nested in Condition steps' IfSteps/ElseSteps. */
export function pipelineSteps(definition: JsonObject): PipelineStep[] {
  const out: PipelineStep[] = [];
  const visit = (steps: unknown, prefix: string) => {
    if (!Array.isArray(steps)) return;
    steps.forEach((s: unknown, i: number) => {
      if (!isObject(s)) return;
      const name = typeof s.Name === 'string' && s.Name !== '' ? s.Name : `${prefix}${i}`;
      const args = isObject(s.Arguments) ? s.Arguments : {};
      out.push({ name, type: String(s.Type), args, step: s });
      if (s.Type === 'Condition') {
        visit(args.IfSteps, `${name}.IfSteps.`);
        visit(args.ElseSteps, `${name}.ElseSteps.`);
      }
    });
  };
  visit(definition.Steps, 'Steps.');
  return out;
}

/** The inline definition's steps, or `undefined` when the definition cannot be checked (see SageMakerPipelineDefinitionCheckable). */
export function checkablePipelineSteps(node: CfnResource): PipelineStep[] | undefined {
  if (!(node instanceof CfnPipeline)) return undefined;
  const result = pipelineDefinitionOf(node);
  return result.kind === 'inline' ? pipelineSteps(result.definition) : undefined;
}

/** The definition's declared parameters by name. */
export function pipelineParameters(node: CfnPipeline): Map<string, JsonObject> {
  const result = pipelineDefinitionOf(node);
  const out = new Map<string, JsonObject>();
  if (result.kind !== 'inline' || !Array.isArray(result.definition.Parameters)) return out;
  for (const p of result.definition.Parameters)
    if (isObject(p) && typeof p.Name === 'string') out.set(p.Name, p);
  return out;
}

/** Whether a pipeline argument is literally `true` (a parameter can be overridden per execution, so it does not count). */
export function argIsTrue(value: unknown): boolean {
  return value === true;
}

/** Whether a pipeline argument holds a value: a non-empty string, a number, a `Get` or `Std:Join`. */
export function argIsSet(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'number') return true;
  return isObject(value) && ('Get' in value || 'Std:Join' in value);
}

/** A pipeline argument as a literal, or a pipeline parameter's `DefaultValue` when it is `{Get: "Parameters.X"}`. */
export function argValue(value: unknown, parameters: ReadonlyMap<string, JsonObject>): unknown {
  if (isObject(value) && typeof value.Get === 'string' && value.Get.startsWith('Parameters.')) {
    return parameters.get(value.Get.slice('Parameters.'.length))?.DefaultValue;
  }
  return value;
}

/**
 * A pipeline instance type argument as a literal: a string, or a `{Get: "Parameters.X"}` judged by
 * the parameter's default; `undefined` when absent or unknown (a CloudFormation reference inside
 * the body, which {@link templateJson} turned into {@link PLACEHOLDER}).
 */
export function argInstanceType(
  value: unknown,
  parameters: ReadonlyMap<string, JsonObject>,
): string | undefined {
  const v = argValue(value, parameters);
  return typeof v === 'string' && !v.includes(PLACEHOLDER) ? v : undefined;
}

/** A pipeline job's volume: where its instance type and key sit, for findings `<step>.<keyPath>`. */
export interface PipelineJobVolume {
  /** Finding prefix (the step, or `<step>.TrainingJobDefinitions.<i>`). */
  readonly label: string;
  /** The argument path of the key, e.g. `ResourceConfig.VolumeKmsKeyId`. */
  readonly keyPath: string;
  /** The instance type argument as written. */
  readonly instanceType: unknown;
  /** The key argument as written. */
  readonly volumeKmsKeyId: unknown;
}

/** The ML storage volumes a pipeline's training, tuning and processing steps ask for. */
export function pipelineJobVolumes(steps: readonly PipelineStep[]): PipelineJobVolume[] {
  const out: PipelineJobVolume[] = pipelineTrainingJobs(steps).map(({ label, args }) => ({
    label,
    keyPath: 'ResourceConfig.VolumeKmsKeyId',
    instanceType: arg(args, 'ResourceConfig', 'InstanceType'),
    volumeKmsKeyId: arg(args, 'ResourceConfig', 'VolumeKmsKeyId'),
  }));
  for (const { name, type, args } of steps) {
    if (type !== 'Processing') continue;
    out.push({
      label: name,
      keyPath: 'ProcessingResources.ClusterConfig.VolumeKmsKeyId',
      instanceType: arg(args, 'ProcessingResources', 'ClusterConfig', 'InstanceType'),
      volumeKmsKeyId: arg(args, 'ProcessingResources', 'ClusterConfig', 'VolumeKmsKeyId'),
    });
  }
  return out;
}

/** A pipeline image argument as a string: literals and `Std:Join` of literals; `Get` parts become {@link PLACEHOLDER}. */
export function argImage(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const join = isObject(value) ? value['Std:Join'] : undefined;
  if (isObject(join) && Array.isArray(join.Values)) {
    const on = typeof join.On === 'string' ? join.On : '';
    return join.Values.map((v: unknown) => (typeof v === 'string' ? v : PLACEHOLDER)).join(on);
  }
  return value === undefined ? undefined : PLACEHOLDER;
}

/** A training job inside a pipeline: a Training step, or a Tuning step's training job definition(s). */
export interface PipelineTrainingJob {
  /** Finding prefix: the step name, plus `.TrainingJobDefinitions.<i>` for a tuning step's list. */
  readonly label: string;
  readonly args: JsonObject;
}

/** The training jobs a pipeline's steps launch. */
export function pipelineTrainingJobs(steps: readonly PipelineStep[]): PipelineTrainingJob[] {
  const out: PipelineTrainingJob[] = [];
  for (const step of steps) {
    if (step.type === 'Training') out.push({ label: step.name, args: step.args });
    if (step.type !== 'Tuning') continue;
    if (isObject(step.args.TrainingJobDefinition))
      out.push({ label: step.name, args: step.args.TrainingJobDefinition });
    if (Array.isArray(step.args.TrainingJobDefinitions)) {
      step.args.TrainingJobDefinitions.forEach((d: unknown, i: number) => {
        if (isObject(d)) out.push({ label: `${step.name}.TrainingJobDefinitions.${i}`, args: d });
      });
    }
  }
  return out;
}

/** Reads a nested pipeline argument (plain JSON, no intrinsics left). */
export function arg(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}
