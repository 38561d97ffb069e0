import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import {
  describePlainValue,
  fieldOf,
  problemsFromIssues as problemsFromIssuesWith,
  PropsProblem,
  PropsValidationError,
} from './problems';

export { fieldOf, PropsValidationError } from './problems';
export type { PropsProblem } from './problems';

/** Renders a value for an error message: short, and never the internals of a construct. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return describePlainValue(value);
  if (Construct.isConstruct(value)) return `construct ${value.node.path || '<root>'}`;
  if (value instanceof Duration) return value.toString();
  if (Token.isUnresolved(value)) return '<token>';
  return describePlainValue(value);
}

/** Turns zod issues into props problems, one per issue (unknown keys: one per key). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): PropsProblem[] {
  return problemsFromIssuesWith(issues, describeValue);
}

/**
 * Validates a construct's props against its schema and returns the parsed props.
 *
 * Call it first in every constructor, right after `super()`, so that no child construct exists
 * when the props are wrong. Throws one {@link PropsValidationError} listing every problem.
 */
export function validateProps<S extends z.ZodType>(
  scope: IConstruct,
  schema: S,
  props: unknown,
): z.output<S> {
  return validatePropsAt(scope.node.path, schema, props);
}

/**
 * {@link validateProps} for a construct that cannot validate after `super()` because its base
 * class builds children from the props (an `iam.Role` subclass): validate in the `super(...)`
 * argument with the path the construct will have, `childPath(scope, id)`.
 */
export function validatePropsAt<S extends z.ZodType>(
  constructPath: string,
  schema: S,
  props: unknown,
): z.output<S> {
  const forged = forgedTokens(props);
  if (forged.length > 0) throw new PropsValidationError(constructPath, forged);
  const result = schema.safeParse(props, { reportInput: true });
  if (result.success) return result.data;
  throw new PropsValidationError(constructPath, problemsFromIssues(result.error.issues));
}

/**
 * Values that look like tokens (`${Token[TOKEN.1]}`, an encoded number or list) but were not
 * created in this app, e.g. copied from a synthesized template: `Token.isUnresolved` says yes, so
 * they would pass every schema and fail at synth with "Unrecognized token key". Plain objects and
 * arrays are walked (not constructs or other class instances); the walk is bounded and cycle-safe.
 */
function forgedTokens(props: unknown): PropsProblem[] {
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

/** The path a construct with `id` will have under `scope`. */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
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

/** Units a Duration can be required to be a whole number of. */
export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'days';

const UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/** Options of {@link durationBetween}. */
export interface DurationBetweenOptions {
  /**
   * The unit the construct renders the value in (`toDays()`, `toSeconds()`, ...): a literal must
   * be a whole number of it, and an unresolved Duration must be made in it, because aws-cdk-lib
   * cannot convert a token between units.
   * @default - any literal amount; a token in any unit passes
   */
  readonly unit?: DurationUnit;
  /**
   * The construct needs the value at synth (comparisons, arithmetic, a schedule expression), so an
   * unresolved Duration is refused with "must be a literal duration".
   * @default false
   */
  readonly literal?: boolean;
}

/**
 * A `Duration` between two bounds (inclusive), compared in milliseconds (so sub-second Durations
 * are compared, not converted into an error).
 *
 * Unresolved Durations are never validated as literals: they pass unless `literal` is set, or
 * `unit` is set and the token is in another unit.
 */
export function durationBetween(
  min: Duration,
  max: Duration,
  options: DurationBetweenOptions = {},
): z.ZodType<Duration, Duration> {
  const unit = options.unit;
  return z
    .custom<Duration>((value) => value instanceof Duration, {
      params: { expected: 'a Duration' },
      message: 'is not a Duration',
    })
    .superRefine((value, ctx) => {
      if (value.isUnresolved()) {
        if (options.literal) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be a literal duration, not a token (the construct needs its value at synth)',
            input: value,
            params: { expected: `a literal Duration between ${min.toString()} and ${max.toString()}` },
          });
        } else if (unit !== undefined && value.unitLabel() !== unit) {
          ctx.addIssue({
            code: 'custom',
            message: `is a token in ${value.unitLabel()}, which cannot be converted into ${unit}`,
            input: value,
            params: { expected: `a literal Duration or Duration.${unit}(<token>)` },
          });
        }
        return;
      }
      const ms = value.toMilliseconds();
      if (!Number.isFinite(ms) || ms < min.toMilliseconds() || ms > max.toMilliseconds()) {
        ctx.addIssue({
          code: 'custom',
          message: 'is out of range',
          input: value,
          params: { expected: `between ${min.toString()} and ${max.toString()}` },
        });
      } else if (unit !== undefined && ms % UNIT_MS[unit] !== 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number of ${unit}`,
          input: value,
          params: { expected: `a whole number of ${unit} between ${min.toString()} and ${max.toString()}` },
        });
      }
    });
}

/**
 * A `logs.RetentionDays` value other than `INFINITE`: a log group that never expires trips
 * CloudWatchLogGroupRetentionPeriod in the HIPAA, NIST 800-53 R5, PCI DSS and Serverless packs.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention
 */
export function retentionDays(): z.ZodType<logs.RetentionDays, logs.RetentionDays> {
  return z.enum(logs.RetentionDays).superRefine((value, ctx) => {
    if (value === logs.RetentionDays.INFINITE) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must not be INFINITE: log groups that never expire trip CloudWatchLogGroupRetentionPeriod (HIPAA, NIST, PCI, Serverless)',
        input: value,
        params: { expected: 'a finite logs.RetentionDays' },
      });
    }
  });
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
