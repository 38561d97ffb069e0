import { IConstruct } from 'constructs';
import { z } from 'zod';
import { PropsProblem, PropsValidationError } from './problems';
import { problemsFromIssues } from './validate-problems';
import { forgedTokens } from './validate-tokens';

// The props validation every construct calls (validateProps, throwIfProblems). The schema helpers
// live beside it, by kind, and are re-exported here so that every construct imports from one place:
// validate-problems.ts (values in messages, zod issues to problems), validate-tokens.ts (CDK tokens),
// validate-refs.ts (construct references), validate-durations.ts (Durations, log retention).

export { fieldOf, PropsValidationError } from './problems';
export type { PropsProblem } from './problems';
export { describeValue, problemsFromIssues } from './validate-problems';
export { literalList, tokenOr } from './validate-tokens';
export { constructRef, refs } from './validate-refs';
export { durationBetween, retentionDays } from './validate-durations';
export type { DurationBetweenOptions, DurationUnit } from './validate-durations';

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
