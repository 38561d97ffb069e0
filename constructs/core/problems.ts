import type { z } from 'zod';

// The CDK-free half of props validation: the error type, the problem model and the mapping of zod
// issues to problems. `compliant-mlops/contracts` (FeatureContract at ingestion, inside a Lambda
// bundle) uses it without aws-cdk-lib; validate.ts adds the construct-aware parts on top.

/**
 * Thrown when a construct's props break its schema.
 *
 * The message starts with the construct path and lists every problem on its own line as
 * `<construct path>: <field>: <problem> (got <value>; expected <allowed>)`, so one run shows all
 * that needs fixing.
 */
export class PropsValidationError extends Error {
  /** The construct path the props belong to. */
  public readonly constructPath: string;
  /** One entry per problem. */
  public readonly problems: readonly PropsProblem[];

  constructor(constructPath: string, problems: readonly PropsProblem[]) {
    super(formatProblems(constructPath, problems));
    this.name = 'PropsValidationError';
    this.constructPath = constructPath;
    this.problems = problems;
  }
}

/** One problem found in a construct's props. */
export interface PropsProblem {
  /** Dotted path of the field, e.g. `tiers.0.afterDays`; `(props)` for the whole object. */
  readonly field: string;
  /** What is wrong, lowercase, no final period. */
  readonly problem: string;
  /** The offending value, rendered. */
  readonly got: string;
  /** What is allowed. */
  readonly expected: string;
}

function formatProblems(constructPath: string, problems: readonly PropsProblem[]): string {
  const path = constructPath || '<root>';
  return problems
    .map((p) => `${path}: ${p.field}: ${p.problem} (got ${p.got}; expected ${p.expected})`)
    .join('\n');
}

/**
 * Renders a plain value for an error message: short, JSON where it can be. {@link describeValue}
 * in validate.ts adds constructs, Durations and tokens.
 */
export function describePlainValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return typeof value;
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return typeof value;
  }
}

function expectedFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'too_small': {
      const op = issue.inclusive === false ? '>' : '>=';
      if (issue.origin === 'string') return `length ${op} ${issue.minimum}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${op} ${issue.minimum} items`;
      return `${op} ${issue.minimum}`;
    }
    case 'too_big': {
      const op = issue.inclusive === false ? '<' : '<=';
      if (issue.origin === 'string') return `length ${op} ${issue.maximum}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${op} ${issue.maximum} items`;
      return `${op} ${issue.maximum}`;
    }
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.pattern ? `a string matching ${issue.pattern}` : `a valid ${issue.format}`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'only documented props';
    case 'invalid_union':
      return 'one of the documented forms';
    case 'custom': {
      const expected = (issue.params as { expected?: unknown } | undefined)?.expected;
      return typeof expected === 'string' ? expected : 'a valid value';
    }
    default:
      return 'a valid value';
  }
}

function problemFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : 'has the wrong type';
    case 'too_small':
      return 'is too small';
    case 'too_big':
      return 'is too large';
    case 'invalid_value':
      return 'is not an allowed value';
    case 'invalid_format':
      return 'has an invalid format';
    case 'unrecognized_keys':
      return `is not a known prop`;
    default:
      return issue.message.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());
  }
}

/**
 * Renders a field path. Keys come from the caller (unknown props included), so a key that is
 * empty or holds anything but `[A-Za-z0-9_.-]` is JSON-quoted: an empty key, a newline or a
 * `: ` would otherwise break the one-line `<path>: <field>: ...` format.
 */
export function fieldOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(props)' : path.map(renderKey).join('.');
}

function renderKey(key: PropertyKey): string {
  if (typeof key === 'number') return String(key);
  const s = typeof key === 'symbol' ? (key.description ?? '') : key;
  const plain = typeof key !== 'symbol' && /^[A-Za-z0-9_.-]+$/.test(s);
  if (plain) return s;
  // JSON.stringify escapes control characters and line breaks; colons and the Unicode line
  // separators are escaped too, so `<path>: <field>: ` still splits on the first two colons.
  return JSON.stringify(s).replace(
    /[:\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Turns zod issues into props problems, one per issue (unknown keys: one per key).
 * @param describe renders each offending value; construct props pass the CDK-aware renderer
 */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  describe: (value: unknown) => string = describePlainValue,
): PropsProblem[] {
  const problems: PropsProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          field: fieldOf([...issue.path, key]),
          problem: 'is not a known prop',
          got: 'a value',
          expected: 'only documented props',
        });
      }
      continue;
    }
    problems.push({
      field: fieldOf(issue.path),
      problem: problemFor(issue),
      got: describe(issue.input),
      expected: expectedFor(issue),
    });
  }
  return problems;
}
