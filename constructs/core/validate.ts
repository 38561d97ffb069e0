import { Duration, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';

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

/** Renders a value for an error message: short, and never the internals of a construct. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Construct.isConstruct(value)) return `construct ${value.node.path || '<root>'}`;
  if (value instanceof Duration) return value.toString();
  if (Token.isUnresolved(value)) return '<token>';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
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

function fieldOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(props)' : path.map((p) => String(p)).join('.');
}

/** Turns zod issues into props problems, one per issue (unknown keys: one per key). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): PropsProblem[] {
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
      got: describeValue(issue.input),
      expected: expectedFor(issue),
    });
  }
  return problems;
}

/**
 * Validates a construct's props against its schema and returns the parsed props.
 *
 * Call it first in every constructor, right after `super()`, so that no child construct exists
 * when the props are wrong. Throws one {@link PropsValidationError} listing every problem.
 */
export function validateProps<S extends z.ZodType>(scope: IConstruct, schema: S, props: unknown): z.output<S> {
  const result = schema.safeParse(props, { reportInput: true });
  if (result.success) return result.data;
  throw new PropsValidationError(scope.node.path, problemsFromIssues(result.error.issues));
}

/**
 * Throws a {@link PropsValidationError} for problems a construct found itself (cross-field rules
 * that need resolved children). Does nothing when the list is empty.
 */
export function throwIfProblems(scope: IConstruct, problems: readonly PropsProblem[]): void {
  if (problems.length > 0) throw new PropsValidationError(scope.node.path, problems);
}

/**
 * Wraps a schema so that unresolved CDK tokens pass through unvalidated: their value is only
 * known at deploy time, so validating them as literals would reject valid input.
 */
export function tokenOr<S extends z.ZodType>(schema: S): z.ZodType<z.output<S>, z.input<S>> {
  return z.any().transform((value: unknown, ctx) => {
    if (Token.isUnresolved(value)) return value as z.output<S>;
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

/**
 * A schema for a construct reference (`kms.IKey`, `s3.IBucket`, ...), checked by the members the
 * interface guarantees, since imported references are not instances of the L2 class.
 */
export function constructRef<T>(typeName: string, members: readonly string[]): z.ZodType<T, T> {
  return z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      Construct.isConstruct(value) &&
      members.every((m) => m in (value as object)),
    { params: { expected: typeName }, message: `is not a ${typeName}` },
  );
}

/** A `Duration` between two bounds (inclusive), compared in seconds. */
export function durationBetween(min: Duration, max: Duration): z.ZodType<Duration, Duration> {
  return z.custom<Duration>((value) => value instanceof Duration, {
    params: { expected: 'a Duration' },
    message: 'is not a Duration',
  }).superRefine((value, ctx) => {
    if (value.isUnresolved()) return;
    const s = value.toSeconds();
    if (s < min.toSeconds() || s > max.toSeconds()) {
      ctx.addIssue({
        code: 'custom',
        message: 'is out of range',
        input: value,
        params: { expected: `between ${min.toString()} and ${max.toString()}` },
      });
    }
  });
}

/** Shared schemas for common construct references. */
export const refs = {
  key: constructRef<import('aws-cdk-lib/aws-kms').IKey>('kms.IKey', ['keyArn', 'grantEncryptDecrypt']),
  bucket: constructRef<import('aws-cdk-lib/aws-s3').IBucket>('s3.IBucket', ['bucketArn', 'grantRead']),
  topic: constructRef<import('aws-cdk-lib/aws-sns').ITopic>('sns.ITopic', ['topicArn', 'grantPublish']),
  role: constructRef<import('aws-cdk-lib/aws-iam').IRole>('iam.IRole', ['roleArn', 'grantPassRole']),
  vpc: constructRef<import('aws-cdk-lib/aws-ec2').IVpc>('ec2.IVpc', ['vpcId', 'selectSubnets']),
  securityGroup: constructRef<import('aws-cdk-lib/aws-ec2').ISecurityGroup>('ec2.ISecurityGroup', [
    'securityGroupId',
    'connections',
  ]),
  logGroup: constructRef<import('aws-cdk-lib/aws-logs').ILogGroup>('logs.ILogGroup', ['logGroupArn']),
};
