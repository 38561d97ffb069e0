import { existsSync, readdirSync, readFileSync, Stats, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../report/finding';
import { parseCfnYaml } from './cfn-yaml';

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
}

/** Templates found in the given paths, and the paths that could not be read. */
export interface LoadedInputs {
  readonly templates: TemplateInput[];
  readonly errors: InputError[];
}

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
  return { templates, errors };
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
  try {
    parsed = format === 'json' ? JSON.parse(text) : parseCfnYaml(text);
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
  return {
    file,
    displayPath: displayPath(file, cwd),
    stackName: stackName ?? baseName(file),
    text,
    format,
    template: parsed,
    assembly,
  };
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
