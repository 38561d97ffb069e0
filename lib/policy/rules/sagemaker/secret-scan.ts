import type {
  SecretLintRuleContext,
  SecretLintRuleCreator,
  SecretLintSourceCode,
  SecretLintSourceNodePosition,
} from '@secretlint/types';

// Secret scanning of lifecycle scripts with secretlint's recommended rule preset (MIT), driven
// synchronously: secretlint's own engine (`@secretlint/core` `lintSource`) is async, and a cdk-nag
// rule must answer synchronously. Every scanner rule of the preset reads the text in a synchronous
// `file(source)` handler and calls `context.report`, so the rules are run here directly.

// Typed with secretlint's own rule API (`@secretlint/types`, a type-only dev dependency: the
// preset's declarations name it but do not depend on it at runtime).
// The preset (one 230 KB module) loads on the first script scanned, not when the packs load:
// most `check` runs and syntheses have no lifecycle script, and start-up is most of a small run.
let scanners: readonly SecretLintRuleCreator[] | undefined;
function loadScanners(): readonly SecretLintRuleCreator[] {
  const preset =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@secretlint/secretlint-rule-preset-recommend') as typeof import('@secretlint/secretlint-rule-preset-recommend');
  return preset.rules.filter(
    // Filter rules (secretlint-disable comments) need the full engine; a comment must not silence a finding here.
    (rule) => rule.meta.type !== 'filter',
  );
}

/** The source the scanner rules read: the text, its name, and the position helpers of the API. */
function sourceCode(content: string, fileName: string): SecretLintSourceCode {
  const dot = fileName.lastIndexOf('.');
  // Offsets of each line's first character; lines and columns as secretlint counts them (line 1, column 0).
  const starts = [0];
  for (let i = 0; i < content.length; i++) if (content[i] === '\n') starts.push(i + 1);
  const indexToPosition = (index: number): SecretLintSourceNodePosition => {
    let line = starts.length - 1;
    while (line > 0 && starts[line] > index) line--;
    return { line: line + 1, column: index - starts[line] };
  };
  const positionToIndex = (pos: SecretLintSourceNodePosition): number =>
    (starts[pos.line - 1] ?? content.length) + pos.column;
  return {
    hasBOM: false,
    content,
    filePath: fileName,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: dot >= 0 ? fileName.slice(dot) : '',
    getFilePath: () => fileName,
    getPhysicalFilePath: () => undefined,
    indexToPosition,
    positionToIndex,
    rangeToLocation: ([start, end]) => ({ start: indexToPosition(start), end: indexToPosition(end) }),
    locationToRange: (loc) => [positionToIndex(loc.start), positionToIndex(loc.end)],
  };
}

/** One secret found: the secretlint rule that matched it. */
export interface SecretFinding {
  /** The secretlint rule id, e.g. `@secretlint/secretlint-rule-aws`. */
  readonly ruleId: string;
}

/**
 * Scans text for secrets with secretlint's recommended preset (its default options, which ignore
 * the AWS documentation example keys). `fileName` lets file-name-based rules (`.pem`, `.npmrc`) apply.
 */
export function findSecrets(content: string, fileName = 'lifecycle-script.sh'): SecretFinding[] {
  const found: SecretFinding[] = [];
  const source = sourceCode(content, fileName);
  for (const rule of (scanners ??= loadScanners())) {
    const context: SecretLintRuleContext = {
      sharedOptions: {},
      report: () => found.push({ ruleId: rule.meta.id }),
      createTranslator: (messages) => (messageId, props) => ({
        message: messages[messageId as string]?.en(props) ?? String(messageId),
        messageId: String(messageId),
        data: props,
      }),
      ignore: () => undefined,
    };
    const handlers = rule.create(context, {});
    const result = handlers.file?.(source);
    // A rule whose handler became async would report after we return: fail loudly rather than pass silently.
    if (result instanceof Promise) throw new Error(`secretlint rule ${rule.meta.id} is asynchronous`);
  }
  return found;
}
