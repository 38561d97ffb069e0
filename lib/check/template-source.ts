import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SharedPatch } from './shared-patch';

/** aws-cdk-lib's `cloudformation-include/lib/file-utils`, as far as this file touches it. */
interface FileUtils {
  readYamlSync: (file: string) => unknown;
}

/** Where CfnInclude reads a template from: its `templateFile`, and what to do once it is built. */
export interface IncludedFile {
  readonly file: string;
  /** Forgets the template (and removes its scratch file, if one was written). */
  done(): void;
}

/** Options of {@link holdTemplateSource}. */
export interface TemplateSourceOptions {
  /**
   * `false` writes each template to a scratch file, as happens when aws-cdk-lib has no reader
   * to answer from memory (tests use it to check that path).
   * @default true
   */
  readonly inMemory?: boolean;
}

/** Hands CfnInclude the templates the checker parsed; {@link TemplateSource.close} undoes it. */
export interface TemplateSource {
  /** The `templateFile` to give CfnInclude so that it reads `template`, valid until `done()`. */
  fileFor(template: unknown): IncludedFile;
  /** True when templates are handed over in memory, false when they are written to scratch files. */
  readonly inMemory: boolean;
  /** Puts aws-cdk-lib's reader back (when this was the last holder) and removes the scratch files. */
  close(): void;
}

/** The templates being included right now, by the path CfnInclude is given. */
const pending = new Map<string, unknown>();
let sequence = 0;

const reader = new SharedPatch(() => {
  const utils = loadFileUtils();
  if (!utils) return undefined;
  const original = utils.readYamlSync;
  const ours = (file: string): unknown =>
    pending.has(file) ? JSON.parse(JSON.stringify(pending.get(file))) : original(file);
  utils.readYamlSync = ours;
  return () => {
    // Someone who wrapped the reader after us keeps their wrapper; ours stays inside it, harmless.
    if (utils.readYamlSync === ours) utils.readYamlSync = original;
  };
});

/** aws-cdk-lib's file-utils module, or undefined when this aws-cdk-lib does not have it. */
function loadFileUtils(): FileUtils | undefined {
  try {
    const root = dirname(require.resolve('aws-cdk-lib/package.json'));
    // An absolute path: the package's `exports` map does not list its lib/ files. CfnInclude's
    // own `require('./file-utils')` resolves to the same file, so it shares this module object.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const utils = require(join(root, 'cloudformation-include', 'lib', 'file-utils.js')) as Partial<FileUtils>;
    return typeof utils.readYamlSync === 'function' ? (utils as FileUtils) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Gives CfnInclude the template the checker parsed instead of letting it read the file again.
 *
 * CfnInclude takes only a `templateFile`, and reads it with its own YAML parser. Reading the
 * original file again was wrong and slow (issue 15):
 * - wrong: the checker expands `AWS::Include` and `Fn::ForEach` before the packs run, and for a
 *   JSON input CfnInclude read the unexpanded file, so such a JSON template was refused
 *   ("Unexpected IResolvable", "The `type` property is required") although its YAML twin passed;
 * - slow: CfnInclude parses JSON with a YAML 1.1 parser, 7 % of the CPU time of 1,000 small
 *   templates, after the checker had parsed the same text already.
 *
 * So while a check holds this, aws-cdk-lib's `readYamlSync` answers the paths handed out by
 * {@link TemplateSource.fileFor} with a copy of the checker's template made by a JSON round trip:
 * exactly what CfnInclude read from the JSON scratch file the checker used to write for YAML
 * inputs (a YAML timestamp becomes its ISO string), and no object the packs could change is shared
 * with the checker. Every other path goes to aws-cdk-lib's reader unchanged. When this aws-cdk-lib
 * has no such reader, each template is written to a scratch file instead, with the same result.
 * Held through a {@link SharedPatch}, like {@link holdSelfResolutionCache}: the reader is restored when the last holder closes.
 */
export function holdTemplateSource(options: TemplateSourceOptions = {}): TemplateSource {
  const release = reader.hold(options.inMemory !== false);
  const inMemory = reader.applied && options.inMemory !== false;
  let scratch: string | undefined;
  let open = true;
  return {
    inMemory,
    fileFor(template) {
      const id = `${process.pid}-${(sequence += 1)}.json`;
      if (inMemory) {
        // Never written: the path only names the entry (unique per process and template).
        const file = join(tmpdir(), 'compliant-mlops-check-in-memory', id);
        pending.set(file, template);
        return { file, done: () => void pending.delete(file) };
      }
      scratch ??= mkdtempSync(join(tmpdir(), 'compliant-mlops-check-'));
      const file = join(scratch, id);
      writeFileSync(file, JSON.stringify(template));
      return { file, done: () => rmSync(file, { force: true }) };
    },
    close() {
      if (!open) return;
      open = false;
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      release();
    },
  };
}

/** For tests: whether aws-cdk-lib's reader is replaced right now. */
export function templateSourceInstalled(): boolean {
  return reader.applied;
}
