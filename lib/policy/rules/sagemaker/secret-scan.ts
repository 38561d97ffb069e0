import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';

// Secret scanning of lifecycle scripts with secretlint's recommended rule preset (MIT), driven
// synchronously: secretlint's own engine (`@secretlint/core` `lintSource`) is async, and a cdk-nag
// rule must answer synchronously. Every scanner rule of the preset reads the text in a synchronous
// `file(source)` handler and calls `context.report`, so the rules are run here directly.

/** What a secretlint scanner rule receives (the subset of secretlint's `SecretLintSource` the preset reads). */
interface ScannedSource {
  readonly filePath: string;
  readonly ext: string;
  readonly content: string;
  readonly contentType: 'text';
}

/** The subset of secretlint's rule context the preset's scanner rules use. */
interface ScannerContext {
  report(descriptor: { readonly message: string; readonly range: readonly [number, number] }): void;
  createTranslator(
    messages: Record<string, Record<string, (props: Record<string, unknown>) => string>>,
  ): (id: string, props?: Record<string, unknown>) => string;
  ignore(descriptor: unknown): void;
}

/** A secretlint rule creator as the preset exports it. */
interface ScannerRule {
  readonly meta: { readonly id: string; readonly type?: string };
  create(
    context: ScannerContext,
    options: Record<string, unknown>,
  ): { file?(source: ScannedSource): unknown };
}

// The preset's type declarations name `@secretlint/types`, a package it does not depend on at
// runtime; the shape used here is the documented rule API above.
const SCANNERS: readonly ScannerRule[] = (recommendedRules as unknown as readonly ScannerRule[]).filter(
  // Filter rules (secretlint-disable comments) need the full engine; a comment must not silence a finding here.
  (rule) => rule.meta.type !== 'filter',
);

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
  const dot = fileName.lastIndexOf('.');
  const source: ScannedSource = {
    filePath: fileName,
    ext: dot >= 0 ? fileName.slice(dot) : '',
    content,
    contentType: 'text',
  };
  for (const rule of SCANNERS) {
    const context: ScannerContext = {
      report: () => found.push({ ruleId: rule.meta.id }),
      createTranslator: (messages) => (id, props) => messages[id]?.en?.(props ?? {}) ?? id,
      ignore: () => undefined,
    };
    const handlers = rule.create(context, {});
    const result = handlers.file?.(source);
    // A rule whose handler became async would report after we return: fail loudly rather than pass silently.
    if (result instanceof Promise) throw new Error(`secretlint rule ${rule.meta.id} is asynchronous`);
  }
  return found;
}
