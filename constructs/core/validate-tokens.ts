import { Token, Tokenization } from 'aws-cdk-lib';
import { z } from 'zod';
import { fieldOf, PropsProblem } from './problems';
import { problemsFromIssues } from './validate-problems';

// Unresolved CDK tokens in props: forged ones refused before any schema runs, real ones passed
// through a schema unvalidated (tokenOr) or refused where the construct needs a literal (literalList).

/**
 * Values that look like tokens (`${Token[TOKEN.1]}`, an encoded number or list) but were not
 * created in this app, e.g. copied from a synthesized template: `Token.isUnresolved` says yes, so
 * they would pass every schema and fail at synth with "Unrecognized token key". Plain objects and
 * arrays are walked (not constructs or other class instances); the walk is bounded and cycle-safe.
 */
export function forgedTokens(props: unknown): PropsProblem[] {
  const problems: PropsProblem[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (problems.length >= 10 || path.length > 8) return;
    if (Token.isUnresolved(value) && !isRegisteredToken(value)) {
      problems.push({
        field: fieldOf(path),
        problem: 'looks like a token but was not created in this app',
        got:
          typeof value === 'string'
            ? JSON.stringify(value.slice(0, 80))
            : `a ${Array.isArray(value) ? 'list' : typeof value}`,
        expected: 'a literal, or a token from this app (Token.asString, a construct attribute, ...)',
      });
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return;
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(props, []);
  return problems;
}

/** Whether an unresolved value decodes to tokens registered in this process. */
function isRegisteredToken(value: unknown): boolean {
  // The token map has no lookup that reports a miss other than by throwing.
  try {
    if (typeof value === 'string') Tokenization.reverseString(value);
    else if (typeof value === 'number') Tokenization.reverseNumber(value);
    else if (Array.isArray(value)) Tokenization.reverseList(value as string[]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Wraps a schema so that unresolved CDK tokens pass through unvalidated: their value is only
 * known at deploy time, so validating them as literals would reject valid input.
 */
export function tokenOr<S extends z.ZodType>(schema: S): z.ZodType<z.output<S>, z.input<S>> {
  const kinds = tokenKindsOf(schema);
  return z.any().transform((value: unknown, ctx) => {
    if (Token.isUnresolved(value)) {
      const kind = tokenKindOf(value);
      if (kinds === undefined || (kind !== undefined && kinds.has(kind))) return value as z.output<S>;
      ctx.addIssue({
        code: 'custom',
        message: `is a ${kind ?? 'non-literal'} token where a ${[...kinds].join(' or ')} is expected`,
        input: value,
        params: { expected: [...kinds].map((k) => `a ${k} or a ${k} token`).join(', ') },
      });
      return z.NEVER;
    }
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const problem = problemsFromIssues([issue])[0];
      ctx.addIssue({
        code: 'custom',
        message: problem.problem,
        path: [...issue.path],
        input: issue.input,
        params: { expected: problem.expected },
      });
    }
    return z.NEVER;
  }) as unknown as z.ZodType<z.output<S>, z.input<S>>;
}

/** The kinds of encoded token: `Token.asString`, `Token.asNumber`, `Token.asList`. */
type TokenKind = 'string' | 'number' | 'list';

function tokenKindOf(value: unknown): TokenKind | undefined {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (Array.isArray(value)) return 'list';
  return undefined; // a raw IResolvable: its kind is unknown until resolved
}

/**
 * The token kinds a schema can accept, read from its zod definition (wrappers unwrapped, unions
 * merged); `undefined` when the schema's type is not a string, number or array, so any token goes.
 */
function tokenKindsOf(schema: z.ZodType): Set<TokenKind> | undefined {
  const def = (schema as unknown as { _zod: { def: z.core.$ZodTypeDef } })._zod.def;
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'literal':
    case 'template_literal':
      // enum/literal: the token must resolve to one of the values, which are strings in these props.
      return def.type === 'string' || def.type === 'template_literal'
        ? new Set(['string'])
        : literalKinds(def);
    case 'number':
    case 'int':
      return new Set(['number']);
    case 'array':
      return new Set(['list']);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
    case 'prefault':
      return tokenKindsOf((def as unknown as { innerType: z.ZodType }).innerType);
    case 'pipe':
      return tokenKindsOf((def as unknown as { in: z.ZodType }).in);
    case 'union': {
      const merged = new Set<TokenKind>();
      for (const option of (def as unknown as { options: readonly z.ZodType[] }).options) {
        const k = tokenKindsOf(option);
        if (k === undefined) return undefined;
        k.forEach((x) => merged.add(x));
      }
      return merged;
    }
    default:
      return undefined;
  }
}

function literalKinds(def: z.core.$ZodTypeDef): Set<TokenKind> | undefined {
  const values: unknown[] =
    def.type === 'enum'
      ? Object.values((def as unknown as { entries: Record<string, unknown> }).entries)
      : [...((def as unknown as { values: readonly unknown[] }).values ?? [])];
  const kinds = new Set<TokenKind>();
  for (const v of values) {
    if (typeof v === 'string') kinds.add('string');
    else if (typeof v === 'number') kinds.add('number');
    else return undefined;
  }
  return kinds;
}

/**
 * Refuses an encoded list token (`Token.asList`, `Lazy.list`) where the construct needs the
 * items at synth (to join them, loop over them or put them in a condition): such a list looks like
 * one string item to the item schema and fails only at synth.
 */
export function literalList<S extends z.ZodType<readonly unknown[]>>(
  schema: S,
): z.ZodType<z.output<S>, z.input<S>> {
  return schema.superRefine((value, ctx) => {
    if (Token.isUnresolved(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a literal list, not a list token (the construct needs its items at synth)',
        input: value,
        params: { expected: 'a literal array' },
      });
    }
  }) as unknown as z.ZodType<z.output<S>, z.input<S>>;
}
