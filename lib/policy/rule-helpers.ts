import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { hasNvmeInstanceStorage } from '../aws-facts/instance-storage';
import {
  CfnDataQualityJobDefinition,
  CfnModelBiasJobDefinition,
  CfnModelExplainabilityJobDefinition,
  CfnModelQualityJobDefinition,
  CfnMonitoringSchedule,
  CfnPipeline,
  CfnProcessingJob,
} from 'aws-cdk-lib/aws-sagemaker';

/**
 * Shared helpers for the MLOps rules: reading resolved L1 properties that may hold CloudFormation
 * intrinsics, rebuilding strings from `Fn::Join` / `Fn::Sub`, and parsing pipeline definitions.
 *
 * A rule that needs a literal and finds an intrinsic it cannot judge (a `Fn::If`, a parameter)
 * throws {@link UnresolvableError}; cdk-nag then reports the rule's own id with "Rule threw an
 * error during validation", so the resource is reported, never silently passed.
 */

/** Stands in for an intrinsic inside a string rebuilt by {@link templateString} (a private-use character). */
export const PLACEHOLDER = '\uE000';

/** Thrown when a value the rule must judge is an intrinsic whose value is unknown at synth. */
export class UnresolvableError extends Error {
  constructor(what: string, value: unknown) {
    super(`${what} is ${short(value)}, which cannot be resolved at synth time, so the rule cannot judge it`);
    this.name = 'UnresolvableError';
  }
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** A plain JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a plain object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a resolved value is a CloudFormation intrinsic (`{Ref}`, `{Fn::*}`, `{Condition}`). */
export function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/** `{Ref: AWS::NoValue}`: the property is removed. */
function isNoValue(value: unknown): boolean {
  return isObject(value) && value.Ref === 'AWS::NoValue';
}

/** Resolves an L1 property (tokens, IResolvables, L2 references) to CloudFormation JSON. */
export function resolved(node: CfnResource, value: unknown): unknown {
  return value === undefined ? undefined : Stack.of(node).resolve(value);
}

/**
 * Reads a nested field of a resolved value. Missing levels give `undefined`; a level that is an
 * intrinsic (e.g. `Fn::If` for a whole struct) throws, because what lies inside is unknown.
 */
export function field(value: unknown, what: string, ...path: readonly (string | number)[]): unknown {
  let current = value;
  const walked: (string | number)[] = [];
  for (const key of path) {
    if (current === undefined || current === null || isNoValue(current)) return undefined;
    if (isIntrinsic(current)) throw new UnresolvableError([what, ...walked].join('.'), current);
    if (typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
    walked.push(key);
  }
  return isNoValue(current) ? undefined : current;
}

/**
 * Whether a value is set: a non-empty string or list, an object, or an intrinsic that yields a
 * value (`Ref`, `Fn::GetAtt`, `Fn::Join`, ...). `Fn::If` may yield `AWS::NoValue`, so it throws.
 */
export function isSet(value: unknown, what: string): boolean {
  if (value === undefined || value === null || isNoValue(value)) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value) && 'Fn::If' in value) throw new UnresolvableError(what, value);
  return true;
}

/** A literal scalar, or `undefined` when absent; throws for an intrinsic. */
export function literal(value: unknown, what: string): string | number | boolean | undefined {
  if (value === undefined || value === null || isNoValue(value)) return undefined;
  if (typeof value === 'object') throw new UnresolvableError(what, value);
  return value as string | number | boolean;
}

/** Whether a value is literally `true` (or the string `"true"`, as templates sometimes write it). */
export function isTrue(value: unknown, what: string): boolean {
  const v = literal(value, what);
  return v === true || v === 'true';
}

/** A resolved list; `undefined` gives `[]`; a list-valued intrinsic throws. */
export function list(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null || isNoValue(value)) return [];
  if (Array.isArray(value)) return value;
  throw new UnresolvableError(what, value);
}

/** A literal part of a rebuilt string, or an intrinsic whose value is unknown. */
type Part = string | { readonly ref: unknown };

function parts(value: unknown): Part[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (isObject(value) && isIntrinsic(value)) {
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const out: Part[] = [];
      join[1].forEach((p: unknown, i: number) => {
        if (i > 0 && join[0] !== '') out.push(join[0] as string);
        out.push(...parts(p));
      });
      return out;
    }
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') return subParts(sub, {});
    if (Array.isArray(sub) && typeof sub[0] === 'string')
      return subParts(sub[0], isObject(sub[1]) ? sub[1] : {});
  }
  return [{ ref: value }];
}

function subParts(template: string, vars: JsonObject): Part[] {
  const out: Part[] = [];
  let last = 0;
  for (const m of template.matchAll(/\$\{([^}]*)\}/g)) {
    out.push(template.slice(last, m.index));
    const name = m[1];
    if (name.startsWith('!')) out.push(`\${${name.slice(1)}}`);
    else if (typeof vars[name] === 'string') out.push(vars[name]);
    else out.push({ ref: vars[name] ?? { Ref: name } });
    last = m.index + m[0].length;
  }
  out.push(template.slice(last));
  return out;
}

/**
 * Rebuilds a string from a literal, `Fn::Join` or `Fn::Sub`, with {@link PLACEHOLDER} where an
 * intrinsic stands (`${AWS::AccountId}.dkr.ecr...` gives `\uE000.dkr.ecr...`); `undefined` when absent.
 */
export function templateString(value: unknown): string | undefined {
  if (value === undefined || value === null || isNoValue(value)) return undefined;
  return parts(value)
    .map((p) => (typeof p === 'string' ? p : PLACEHOLDER))
    .join('');
}

/**
 * Rebuilds JSON text from a literal, `Fn::Join` or `Fn::Sub` whose literal parts are JSON: an
 * intrinsic inside a JSON string becomes {@link PLACEHOLDER}, one outside a string becomes the
 * string `"\uE000"`, so the text still parses.
 */
export function templateJson(value: unknown): string | undefined {
  if (value === undefined || value === null || isNoValue(value)) return undefined;
  let inString = false;
  let escaped = false;
  let out = '';
  for (const p of parts(value)) {
    if (typeof p !== 'string') {
      out += inString ? PLACEHOLDER : `"${PLACEHOLDER}"`;
      continue;
    }
    for (const ch of p) {
      if (escaped) escaped = false;
      else if (inString && ch === '\\') escaped = true;
      else if (ch === '"') inString = !inString;
    }
    out += p;
  }
  return out;
}

/** The tags of a taggable L1 (either tagging interface), or `undefined` when it has none. */
export function tagsOf(node: CfnResource): Record<string, string> | undefined {
  if (TagManager.isTaggable(node)) return node.tags.tagValues();
  if (TagManager.isTaggableV2(node)) {
    // A resource loaded with CfnInclude keeps its template tags in the L1 `tags` property, not in
    // the tag manager: read both, the tag manager winning (it is what synth writes).
    return { ...literalTags((node as { tags?: unknown }).tags, node), ...node.cdkTagManager.tagValues() };
  }
  return undefined;
}

function literalTags(raw: unknown, node: CfnResource): Record<string, string> {
  const out: Record<string, string> = {};
  const resolved = Stack.of(node).resolve(raw) as unknown;
  if (!Array.isArray(resolved)) return out;
  for (const t of resolved as Array<Record<string, unknown>>) {
    const key = t?.key ?? t?.Key;
    const value = t?.value ?? t?.Value;
    if (typeof key === 'string' && typeof value === 'string') out[key] = value;
  }
  return out;
}

// ---- Container images -------------------------------------------------------------------------

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const PRIVATE_ECR = new RegExp(
  `^(?:\\d{12}|${PLACEHOLDER})\\.dkr\\.ecr(?:-fips)?\\.(?:[a-z0-9-]+|${PLACEHOLDER})\\.(?:amazonaws\\.com(?:\\.cn)?|${PLACEHOLDER})/`,
);

/** Whether an image URI ends in `@sha256:<64 hex>` (pure text test; placeholders count as unpinned). */
export function endsWithDigest(image: string): boolean {
  return DIGEST.test(image);
}

/** Whether a rebuilt image URI ends in `@sha256:<64 hex>`; throws when an intrinsic hides the answer. */
export function imagePinnedByDigest(image: string, what: string, raw: unknown): boolean {
  if (DIGEST.test(image)) return true;
  if (image.includes(PLACEHOLDER) && /@sha256:/.test(image)) throw new UnresolvableError(what, raw);
  if (image === PLACEHOLDER) throw new UnresolvableError(what, raw);
  return false;
}

/** Whether a rebuilt image URI names a private ECR registry; throws when an intrinsic hides the host. */
export function imageInPrivateEcr(image: string, what: string, raw: unknown): boolean {
  if (PRIVATE_ECR.test(image)) return true;
  const host = image.split('/')[0];
  if (host.includes(PLACEHOLDER)) throw new UnresolvableError(what, raw);
  return false;
}

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
  definitionCache.set(node, { source, result });
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

// ---- Instance storage -------------------------------------------------------------------------

/**
 * Whether a resolved L1 instance type has local NVMe storage (so SageMaker encrypts its volumes in
 * hardware and rejects a key for them); `false` when absent; throws for an intrinsic.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html#sagemaker-Type-ResourceConfig-VolumeKmsKeyId
 */
export function onInstanceStorage(instanceType: unknown, what: string): boolean {
  const type = literal(instanceType, what);
  return typeof type === 'string' && hasNvmeInstanceStorage(type);
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

// ---- Models -----------------------------------------------------------------------------------

/** A container's image as written, with the label its findings use (`PrimaryContainer`, `Containers.1`). */
export interface ContainerImage {
  readonly label: string;
  readonly image: unknown;
}

/**
 * The images of a model's containers. A container without `Image` (one that names a
 * `ModelPackageName`) takes its image from the model package and is left out.
 */
export function modelImages(
  node: CfnResource & { primaryContainer?: unknown; containers?: unknown },
): ContainerImage[] {
  const out: ContainerImage[] = [];
  const primary = resolved(node, node.primaryContainer);
  const primaryImage = field(primary, 'PrimaryContainer', 'image');
  if (primaryImage !== undefined) out.push({ label: 'PrimaryContainer', image: primaryImage });
  list(resolved(node, node.containers), 'Containers').forEach((c, i) => {
    const image = field(c, `Containers.${i}`, 'image');
    if (image !== undefined) out.push({ label: `Containers.${i}`, image });
  });
  return out;
}

// ---- Processing and monitoring jobs -----------------------------------------------------------

/** The CloudFormation types that run SageMaker processing containers (monitoring jobs are processing jobs). */
export const PROCESSING_JOB_TYPES: readonly string[] = [
  'AWS::SageMaker::ProcessingJob',
  'AWS::SageMaker::DataQualityJobDefinition',
  'AWS::SageMaker::ModelQualityJobDefinition',
  'AWS::SageMaker::ModelBiasJobDefinition',
  'AWS::SageMaker::ModelExplainabilityJobDefinition',
  'AWS::SageMaker::MonitoringSchedule',
];

/** The security-relevant settings of a processing or monitoring job, resolved. */
export interface ProcessingJobSettings {
  /** `NetworkConfig` (camelCase L1 shape). */
  readonly networkConfig: unknown;
  /** `...Resources.ClusterConfig.VolumeKmsKeyId`. */
  readonly volumeKmsKeyId: unknown;
  /** `...Resources.ClusterConfig.InstanceType` (NVMe types take no volume key). */
  readonly instanceType: unknown;
  /** The output config (`ProcessingOutputConfig` / `*JobOutputConfig` / `MonitoringOutputConfig`), absent for a job without outputs. */
  readonly outputConfig: unknown;
}

function jobSettings(
  node: CfnResource,
  network: unknown,
  resources: unknown,
  output: unknown,
): ProcessingJobSettings {
  const res = resolved(node, resources);
  return {
    networkConfig: resolved(node, network),
    volumeKmsKeyId: field(res, 'Resources', 'clusterConfig', 'volumeKmsKeyId'),
    instanceType: field(res, 'Resources', 'clusterConfig', 'instanceType'),
    outputConfig: resolved(node, output),
  };
}

/**
 * The settings of a processing job, a monitoring job definition, or a monitoring schedule's
 * inline definition; `undefined` for anything else (and for a schedule that names a separate
 * job definition, which is checked as its own resource).
 */
export function processingJobSettings(node: CfnResource): ProcessingJobSettings | undefined {
  if (node instanceof CfnProcessingJob)
    return jobSettings(node, node.networkConfig, node.processingResources, node.processingOutputConfig);
  if (node instanceof CfnDataQualityJobDefinition)
    return jobSettings(node, node.networkConfig, node.jobResources, node.dataQualityJobOutputConfig);
  if (node instanceof CfnModelQualityJobDefinition)
    return jobSettings(node, node.networkConfig, node.jobResources, node.modelQualityJobOutputConfig);
  if (node instanceof CfnModelBiasJobDefinition)
    return jobSettings(node, node.networkConfig, node.jobResources, node.modelBiasJobOutputConfig);
  if (node instanceof CfnModelExplainabilityJobDefinition) {
    return jobSettings(node, node.networkConfig, node.jobResources, node.modelExplainabilityJobOutputConfig);
  }
  if (node instanceof CfnMonitoringSchedule) {
    const def = field(
      resolved(node, node.monitoringScheduleConfig),
      'MonitoringScheduleConfig',
      'monitoringJobDefinition',
    );
    if (def === undefined) return undefined;
    const what = 'MonitoringScheduleConfig.MonitoringJobDefinition';
    return {
      networkConfig: field(def, what, 'networkConfig'),
      volumeKmsKeyId: field(def, what, 'monitoringResources', 'clusterConfig', 'volumeKmsKeyId'),
      instanceType: field(def, what, 'monitoringResources', 'clusterConfig', 'instanceType'),
      outputConfig: field(def, what, 'monitoringOutputConfig'),
    };
  }
  return undefined;
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
