import { existsSync, readdirSync, readFileSync, Stats, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { InputError, NotCheckedResource } from '../report/finding';
import { parseCfnYaml, parseCfnYamlWithPositions } from './cfn-yaml';
import { expandForEach, ForEachProblem } from './foreach';
import { resourcePositions, TextPosition } from './positions';

/** A CloudFormation template as parsed: only the sections the checker reads are typed. */
export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnTemplateResource>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
  readonly [section: string]: unknown;
}

/** One resource of a {@link CfnTemplate}. */
export interface CfnTemplateResource {
  readonly Type?: string;
  readonly Metadata?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** One construct metadata entry from a cloud assembly (`manifest.json` or `<stack>.metadata.json`). */
export interface AssemblyMetadataEntry {
  readonly type: string;
  readonly data?: unknown;
  /** Creation stack trace, written by older aws-cdk-lib versions next to each entry. */
  readonly trace?: readonly string[];
}

/** What a cloud assembly knows about one stack beyond its template. */
export interface AssemblyStackMetadata {
  /** Metadata entries by construct path, without the leading slash (`app/Stack/Bucket/Resource`). */
  readonly byPath: ReadonlyMap<string, readonly AssemblyMetadataEntry[]>;
  /** Construct path of each logical id (from `aws:cdk:logicalId` entries). */
  readonly pathByLogicalId: ReadonlyMap<string, string>;
}

/** One template to check. */
export interface TemplateInput {
  /** Absolute path of the template file. */
  readonly file: string;
  /** Path relative to the working directory, forward slashes. */
  readonly displayPath: string;
  /** Stack name: the assembly's display name, or the file name without its extension. */
  readonly stackName: string;
  /** The template text, kept to find each logical id's line. */
  readonly text: string;
  readonly format: 'json' | 'yaml';
  readonly template: CfnTemplate;
  /** Present when the template comes from a cloud assembly. */
  readonly assembly?: AssemblyStackMetadata;
  /** Line and column of each logical id, when the parser already found them (YAML). */
  readonly positions?: ReadonlyMap<string, TextPosition>;
  /** For each logical id an `Fn::ForEach` loop created, the loop's key in Resources (where it is located). */
  readonly createdByLoop?: ReadonlyMap<string, string>;
  /** Present when the template is the child of a nested stack resource in another input. */
  readonly nestedIn?: { readonly templatePath: string; readonly logicalId: string };
}

/** Templates found in the given paths, the paths that could not be read, and what was not checked. */
export interface LoadedInputs {
  readonly templates: TemplateInput[];
  readonly errors: InputError[];
  /** Resources of the loaded templates that no pack can check (SAM, remote nested stacks). */
  readonly notChecked: NotCheckedResource[];
  /** The absolute directory the display paths are relative to. */
  readonly root?: string;
}

/** The SAM transform: its `AWS::Serverless::*` resources exist only after CloudFormation expands them. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** How to obtain the template CloudFormation deploys after its transforms have run. */
const PROCESSED_TEMPLATE = 'aws cloudformation get-template --stack-name <stack> --template-stage Processed';

/** Path relative to `cwd` with forward slashes, as reports show it. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

class InputProblem extends Error {}

const TEMPLATE_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template']);

/**
 * Reads every template named by `paths`: cloud assembly directories (`manifest.json`, nested
 * assemblies included), template files (`.json`, `.yaml`, `.yml`) and directories of templates
 * (non-recursive). A path that cannot be read becomes an {@link InputError}; the others still load.
 */
export function loadInputs(paths: readonly string[], cwd: string): LoadedInputs {
  const templates: TemplateInput[] = [];
  const errors: InputError[] = [];
  const seen = new Set<string>();
  const add = (t: TemplateInput): void => {
    if (seen.has(t.file)) return;
    seen.add(t.file);
    templates.push(t);
  };
  const notChecked: NotCheckedResource[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    try {
      if (!existsSync(abs)) throw new InputProblem('no such file or directory');
      if (statSync(abs).isDirectory()) {
        if (existsSync(join(abs, 'manifest.json'))) {
          const found = loadAssembly(abs, cwd, errors);
          if (found.length === 0) throw new InputProblem('the cloud assembly holds no CloudFormation stacks');
          found.forEach(add);
        } else {
          const found = loadDirectory(abs, cwd, errors);
          if (found.candidates === 0) {
            throw new InputProblem(
              'no CloudFormation templates found (expected *.json, *.yaml or *.yml files with a Resources section, or a cloud assembly with manifest.json)',
            );
          }
          found.templates.forEach(add);
        }
      } else {
        add(loadTemplateFile(abs, cwd, undefined, undefined, true));
      }
    } catch (e) {
      if (!(e instanceof InputProblem)) throw e;
      errors.push({ input: displayPath(abs, cwd), message: e.message });
    }
  }
  // Children of nested stacks join the run after their parents (a child a directory listing
  // already holds is checked once, under its own name).
  for (let i = 0; i < templates.length; i++) {
    const parent = templates[i];
    notChecked.push(...samResources(parent));
    for (const child of nestedChildren(parent)) {
      if ('remote' in child) {
        notChecked.push(child.remote);
        continue;
      }
      if (seen.has(child.file)) continue;
      if (!existsSync(child.file)) {
        seen.add(child.file);
        errors.push({
          input: displayPath(child.file, cwd),
          message: `${child.label}: no such file (its template path resolves against the parent template's directory)`,
        });
        continue;
      }
      try {
        const loadedChild = loadTemplateFile(child.file, cwd, child.stackName, parent.assembly, true);
        add({ ...loadedChild, nestedIn: { templatePath: parent.displayPath, logicalId: child.logicalId } });
      } catch (e) {
        if (!(e instanceof InputProblem)) throw e;
        seen.add(child.file);
        errors.push({ input: displayPath(child.file, cwd), message: `${child.label}: ${e.message}` });
      }
    }
  }
  return { templates, errors, notChecked, root: resolve(cwd) };
}

/** The line and column of each logical id of a loaded template. */
export function positionsOfInput(input: TemplateInput): ReadonlyMap<string, TextPosition> {
  const positions = input.positions ?? resourcePositions(input.text, input.format);
  if (!input.createdByLoop) return positions;
  // A copy an Fn::ForEach loop made is located at the loop, the text that wrote it.
  const out = new Map(positions);
  for (const [id, loop] of input.createdByLoop) {
    const at = positions.get(loop);
    if (at && !out.has(id)) out.set(id, at);
  }
  return out;
}

/** True when the template names the AWS::LanguageExtensions transform, which Fn::ForEach needs. */
function usesLanguageExtensions(template: CfnTemplate): boolean {
  const transform = template.Transform;
  return (Array.isArray(transform) ? transform : [transform]).includes('AWS::LanguageExtensions');
}

/** A position's `(line N)` for messages, empty when unknown. */
function lineLabel(position: TextPosition | undefined): string {
  return position ? ` (line ${position.line})` : '';
}

/**
 * Each `AWS::Serverless::*` resource of a template, as not checked: the packs see only an
 * untyped resource, and what it becomes (functions, roles, APIs) exists only after the transform.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-serverless.html
 */
function samResources(input: TemplateInput): NotCheckedResource[] {
  const ids = Object.entries(input.template.Resources).filter(
    ([, r]) =>
      typeof r?.Type === 'string' &&
      r.Type.startsWith('AWS::Serverless::') &&
      // A nested application on disk becomes a nested stack, and its child is checked instead.
      localApplicationLocation(r) === undefined,
  );
  if (ids.length === 0) return [];
  const positions = positionsOfInput(input);
  return ids.map(([logicalId, r]) => ({
    templatePath: input.displayPath,
    stack: input.stackName,
    logicalId,
    resourceType: r.Type!,
    ...positionOf(positions.get(logicalId)),
    reason: `${r.Type} is expanded by the ${SAM_TRANSFORM} transform only when CloudFormation processes the template, so it was not checked; check the processed template instead: \`sam build\` then \`sam validate --debug\` prints it, or \`${PROCESSED_TEMPLATE}\` for a deployed stack`,
  }));
}

/**
 * The child template of an `AWS::Serverless::Application` whose `Location` is a path on disk
 * (sam's nested-application layout), else undefined. An `ApplicationId` location is in the
 * Serverless Application Repository.
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-application.html
 */
function localApplicationLocation(r: CfnTemplateResource): string | undefined {
  if (r.Type !== 'AWS::Serverless::Application' || !isRecord(r.Properties)) return undefined;
  const location = r.Properties.Location;
  return typeof location === 'string' && !isRemote(location) ? location : undefined;
}

function positionOf(p: TextPosition | undefined): { line?: number; column?: number } {
  return p ? { line: p.line, column: p.column } : {};
}

type NestedChild =
  { file: string; logicalId: string; stackName: string; label: string } | { remote: NotCheckedResource };

/** True for a URL or S3 URI (`https://…`, `s3://…`), false for a path on disk. */
function isRemote(location: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location);
}

/**
 * The child templates of a template's nested stacks. A child is on disk when `TemplateURL` is a
 * relative path (sam and rain layouts, and what `aws cloudformation package` uploads) or when
 * the resource carries `aws:asset:path` for `TemplateURL` (cdk.out: the child sits in the
 * assembly, while TemplateURL points at the asset bucket). Any other child is not checked.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stack.html
 */
function nestedChildren(parent: TemplateInput): NestedChild[] {
  const out: NestedChild[] = [];
  let positions: ReadonlyMap<string, TextPosition> | undefined;
  for (const [logicalId, r] of Object.entries(parent.template.Resources)) {
    const application = r ? localApplicationLocation(r) : undefined;
    if (r?.Type !== 'AWS::CloudFormation::Stack' && application === undefined) continue;
    positions ??= positionsOfInput(parent);
    const position = positions.get(logicalId);
    if (application !== undefined) {
      out.push({
        file: resolve(dirname(parent.file), application),
        logicalId,
        stackName: `${parent.stackName}/${logicalId}`,
        label: `nested application ${logicalId} of ${parent.displayPath}${lineLabel(position)}`,
      });
      continue;
    }
    const url = isRecord(r.Properties) ? r.Properties.TemplateURL : undefined;
    const assetPath = r.Metadata?.['aws:asset:path'];
    const local =
      typeof assetPath === 'string' && r.Metadata?.['aws:asset:property'] === 'TemplateURL'
        ? assetPath
        : typeof url === 'string' && !isRemote(url)
          ? url
          : undefined;
    if (local !== undefined) {
      out.push({
        file: resolve(dirname(parent.file), local),
        logicalId,
        stackName: `${parent.stackName}/${logicalId}`,
        label: `nested stack ${logicalId} of ${parent.displayPath}${lineLabel(position)}`,
      });
      continue;
    }
    const where = typeof url === 'string' ? url : 'a TemplateURL computed by an intrinsic function';
    out.push({
      remote: {
        templatePath: parent.displayPath,
        stack: parent.stackName,
        logicalId,
        resourceType: 'AWS::CloudFormation::Stack',
        ...positionOf(position),
        reason: `the nested stack's template is at ${where}, not on disk, so it was not checked; check the child template itself (download it, or keep it next to the parent with a relative TemplateURL as sam and rain layouts do)`,
      },
    });
  }
  return out;
}

/** Templates in a directory, and how many files looked like templates (loaded or broken). */
function loadDirectory(
  dir: string,
  cwd: string,
  errors: InputError[],
): { templates: TemplateInput[]; candidates: number } {
  const templates: TemplateInput[] = [];
  let problems = 0;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (!TEMPLATE_EXTENSIONS.has(extname(name).toLowerCase())) continue;
    try {
      // A symlink loop or a dangling link is a broken entry of its own, not a failure of the directory.
      if (!statFile(file).isFile()) continue;
      const t = loadTemplateFile(file, cwd, undefined, undefined, false);
      if (t) templates.push(t);
    } catch (e) {
      if (!(e instanceof InputProblem)) throw e;
      problems++;
      errors.push({ input: displayPath(file, cwd), message: e.message });
    }
  }
  // A directory whose only candidates were broken templates has reported them already.
  return { templates, candidates: templates.length + problems };
}

/**
 * Reads and parses one template. In a directory listing (`required` false), a file that parses
 * but has no Resources section is skipped, and a file that does not parse is an error only when
 * it looks like a template.
 */
function loadTemplateFile(
  file: string,
  cwd: string,
  stackName: string | undefined,
  assembly: AssemblyStackMetadata | undefined,
  required: true,
): TemplateInput;
function loadTemplateFile(
  file: string,
  cwd: string,
  stackName: string | undefined,
  assembly: AssemblyStackMetadata | undefined,
  required: false,
): TemplateInput | undefined;
function loadTemplateFile(
  file: string,
  cwd: string,
  stackName: string | undefined,
  assembly: AssemblyStackMetadata | undefined,
  required: boolean,
): TemplateInput | undefined {
  const text = readText(file);
  const ext = extname(file).toLowerCase();
  const format = ext === '.yaml' || ext === '.yml' ? 'yaml' : 'json';
  let parsed: unknown;
  let positions: Map<string, TextPosition> | undefined;
  try {
    if (format === 'json') parsed = JSON.parse(text);
    else ({ value: parsed, positions } = parseCfnYamlWithPositions(text));
  } catch (e) {
    if (!required && !/\bResources\b/.test(text) && !/\.template\.(json|ya?ml)$/i.test(file))
      return undefined;
    throw new InputProblem(
      `malformed ${format === 'json' ? 'JSON' : 'YAML'}: ${firstLine((e as Error).message)}`,
    );
  }
  if (!isTemplate(parsed)) {
    if (!required) return undefined;
    throw new InputProblem('not a CloudFormation template (no Resources section)');
  }
  if (nestsDeeperThan(parsed, MAX_TEMPLATE_DEPTH)) {
    throw new InputProblem(
      `nested deeper than ${MAX_TEMPLATE_DEPTH} levels (expected a CloudFormation template)`,
    );
  }
  if (/AWS::Include/.test(text)) {
    parsed = expandIncludes(parsed, dirname(file), () => (positions ??= resourcePositions(text, format)));
    if (!isTemplate(parsed))
      throw new InputProblem('not a CloudFormation template after AWS::Include (no Resources section)');
  }
  let createdByLoop: ReadonlyMap<string, string> | undefined;
  if (usesLanguageExtensions(parsed) && /Fn::ForEach::/.test(text)) {
    try {
      const expanded = expandForEach(parsed);
      parsed = expanded.template;
      createdByLoop = expanded.createdBy;
    } catch (e) {
      if (!(e instanceof ForEachProblem)) throw e;
      const loopPosition = (positions ??= resourcePositions(text, format)).get(e.resourceKey);
      const where = e.resourceKey === e.loop ? e.loop : `resource ${e.resourceKey}: ${e.loop}`;
      throw new InputProblem(`${where}${lineLabel(loopPosition)}: ${e.message}`);
    }
    if (!isTemplate(parsed))
      throw new InputProblem('not a CloudFormation template after Fn::ForEach (no Resources section)');
  }
  return {
    file,
    displayPath: displayPath(file, cwd),
    stackName: stackName ?? baseName(file),
    text,
    format,
    template: parsed,
    assembly,
    ...(positions ? { positions } : {}),
    ...(createdByLoop && createdByLoop.size > 0 ? { createdByLoop } : {}),
  };
}

/** True when a value is an `AWS::Include` transform entry (`{Name: 'AWS::Include', Parameters: {Location}}`). */
function isInclude(value: unknown): value is { Name: string; Parameters?: { Location?: unknown } } {
  return isRecord(value) && value.Name === 'AWS::Include';
}

/**
 * The template with every `AWS::Include` whose `Location` is a local file replaced by the file's
 * content, as CloudFormation would insert it from S3 (a map's `Fn::Transform` key is replaced by
 * the snippet's keys; a top-level `Transform` entry by its sections). A Location in S3 only
 * CloudFormation can read: the template is refused, naming where and why.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-include.html
 */
function expandIncludes(
  template: CfnTemplate,
  dir: string,
  positionsOf: () => ReadonlyMap<string, TextPosition>,
): CfnTemplate {
  const where = (path: readonly string[]): string => {
    if (path[0] === 'Resources' && path.length >= 2) {
      const positions = positionsOf();
      const rest = path.slice(2).join('.');
      return `resource ${path[1]}${lineLabel(positions.get(path[1]))}: ${rest === '' ? 'the resource' : rest}`;
    }
    return path.length === 0 ? 'the template' : path.join('.');
  };
  const read = (location: unknown, path: readonly string[], depth: number): unknown => {
    if (typeof location !== 'string' || isRemote(location)) {
      const shown = typeof location === 'string' ? location : 'a Location computed by an intrinsic function';
      throw new InputProblem(
        `${where(path)} is an AWS::Include of ${shown}, which only CloudFormation can read when it processes the template; check the processed template instead (\`${PROCESSED_TEMPLATE}\`), or keep the snippet next to the template with a relative Location`,
      );
    }
    const file = resolve(dir, location);
    const snippetText = readText(file);
    let snippet: unknown;
    try {
      snippet = extname(file).toLowerCase() === '.json' ? JSON.parse(snippetText) : parseCfnYaml(snippetText);
    } catch (e) {
      throw new InputProblem(
        `${where(path)}: AWS::Include of ${location}: malformed snippet: ${firstLine((e as Error).message)}`,
      );
    }
    return walk(snippet, path, depth + 1);
  };
  const walk = (value: unknown, path: readonly string[], depth: number): unknown => {
    if (depth > 10) throw new InputProblem(`${where(path)}: AWS::Include nests more than 10 levels`);
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, String(i)], depth));
    if (!isRecord(value)) return value;
    const transform = value['Fn::Transform'];
    const entries = Array.isArray(transform) ? transform : [transform];
    if (transform !== undefined && entries.some(isInclude)) {
      const rest = Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'Fn::Transform'));
      const snippet = read(entries.find(isInclude)!.Parameters?.Location, path, depth);
      if (Object.keys(rest).length === 0) return snippet;
      if (!isRecord(snippet))
        throw new InputProblem(`${where(path)}: AWS::Include inserts a non-map next to other keys`);
      return walk({ ...rest, ...snippet }, path, depth);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k], depth)]));
  };
  let out = walk(template, [], 0) as Record<string, unknown>;
  // The top-level form: `Transform: {Name: AWS::Include, Parameters: {Location}}` (alone or in a list).
  const top = Array.isArray(out.Transform) ? out.Transform : [out.Transform];
  const includes = top.filter(isInclude);
  if (includes.length > 0) {
    const others = top.filter((t) => t !== undefined && !isInclude(t));
    out = { ...out };
    if (others.length === 0) delete out.Transform;
    else out.Transform = others.length === 1 ? others[0] : others;
    for (const include of includes) {
      const snippet = read(include.Parameters?.Location, ['Transform'], 0);
      if (!isRecord(snippet))
        throw new InputProblem('Transform: AWS::Include inserts a non-map at the top level');
      for (const [section, content] of Object.entries(snippet)) {
        const existing = out[section];
        out[section] = isRecord(existing) && isRecord(content) ? { ...existing, ...content } : content;
      }
    }
  }
  return out as CfnTemplate;
}

function isTemplate(value: unknown): value is CfnTemplate {
  return isRecord(value) && isRecord(value.Resources);
}

function baseName(file: string): string {
  const name = file.split(sep).pop() ?? file;
  return name.replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
}

function statFile(file: string): Stats {
  try {
    return statSync(file);
  } catch (e) {
    throw new InputProblem(
      `cannot read: ${(e as NodeJS.ErrnoException).code ?? firstLine((e as Error).message)}`,
    );
  }
}

/**
 * Deeper than this, CfnInclude overflows the stack or, from a few thousand levels, runs for
 * minutes; real templates nest a few dozen levels at most.
 */
export const MAX_TEMPLATE_DEPTH = 256;

/** True when a parsed value nests deeper than `limit` objects/arrays (iterative: no recursion). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function readText(file: string): string {
  // A FIFO or device would block the read, or never end: only regular files are read.
  if (!statFile(file).isFile())
    throw new InputProblem(
      'not a regular file (expected a template file, a directory of templates or a cloud assembly)',
    );
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputProblem(
      `cannot read: ${(e as NodeJS.ErrnoException).code ?? firstLine((e as Error).message)}`,
    );
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

/** True for a plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface ManifestArtifact {
  readonly type?: string;
  readonly displayName?: string;
  readonly properties?: Record<string, unknown>;
  readonly metadata?: Record<string, AssemblyMetadataEntry[]>;
  readonly additionalMetadataFile?: string;
}

/** Reads a cloud assembly's stacks, recursing into nested assemblies (Stages). */
function loadAssembly(dir: string, cwd: string, errors: InputError[], depth = 0): TemplateInput[] {
  const manifestFile = join(dir, 'manifest.json');
  let manifest: unknown;
  try {
    manifest = JSON.parse(readText(manifestFile));
  } catch (e) {
    if (e instanceof InputProblem) throw e;
    throw new InputProblem(`malformed manifest.json: ${firstLine((e as Error).message)}`);
  }
  if (!isRecord(manifest) || !isRecord(manifest.artifacts)) {
    throw new InputProblem('manifest.json has no artifacts (expected a cloud assembly written by cdk synth)');
  }
  const out: TemplateInput[] = [];
  for (const [id, raw] of Object.entries(manifest.artifacts)) {
    if (!isRecord(raw)) continue;
    const artifact = raw as ManifestArtifact;
    const props = artifact.properties ?? {};
    if (artifact.type === 'aws:cloudformation:stack' && typeof props.templateFile === 'string') {
      const file = join(dir, props.templateFile);
      try {
        const meta = stackMetadata(dir, artifact);
        out.push(loadTemplateFile(file, cwd, artifact.displayName ?? id, meta, true));
      } catch (e) {
        if (!(e instanceof InputProblem)) throw e;
        errors.push({ input: displayPath(file, cwd), message: e.message });
      }
    } else if (
      artifact.type === 'cdk:cloud-assembly' &&
      typeof props.directoryName === 'string' &&
      depth < 20
    ) {
      const nested = join(dir, props.directoryName);
      try {
        out.push(...loadAssembly(nested, cwd, errors, depth + 1));
      } catch (e) {
        if (!(e instanceof InputProblem)) throw e;
        errors.push({ input: displayPath(nested, cwd), message: e.message });
      }
    }
  }
  return out;
}

function stackMetadata(dir: string, artifact: ManifestArtifact): AssemblyStackMetadata {
  const byPath = new Map<string, AssemblyMetadataEntry[]>();
  const pathByLogicalId = new Map<string, string>();
  const merge = (metadata: unknown): void => {
    if (!isRecord(metadata)) return;
    for (const [path, entries] of Object.entries(metadata)) {
      if (!Array.isArray(entries)) continue;
      const key = path.replace(/^\//, '');
      const list = byPath.get(key) ?? [];
      for (const entry of entries) {
        if (!isRecord(entry) || typeof entry.type !== 'string') continue;
        list.push(entry as unknown as AssemblyMetadataEntry);
        if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string')
          pathByLogicalId.set(entry.data, key);
      }
      byPath.set(key, list);
    }
  };
  merge(artifact.metadata);
  // aws-cdk-lib ≥ 2.2xx moves the metadata into a side file to keep manifest.json small.
  if (artifact.additionalMetadataFile) {
    const file = join(dir, artifact.additionalMetadataFile);
    try {
      merge(JSON.parse(readText(file)));
    } catch (e) {
      if (e instanceof InputProblem) throw e;
      throw new InputProblem(
        `malformed ${artifact.additionalMetadataFile}: ${firstLine((e as Error).message)}`,
      );
    }
  }
  return { byPath, pathByLogicalId };
}
