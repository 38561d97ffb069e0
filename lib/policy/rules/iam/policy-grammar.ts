import { field, isObject, list } from '../../rule-helpers';

/**
 * Reading IAM policy documents the way IAM's grammar writes them: `Statement`, `Action`,
 * `NotAction`, `Resource`, `NotResource` and each `Principal` entry are one value or a list of
 * values, and a rule must accept both (a hand-written template uses either).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

/**
 * A value IAM allows as one item or a list, as a list: absent gives `[]`, a single item (a string,
 * an object, or an intrinsic that yields one item such as `Ref` or `Fn::GetAtt`) gives `[item]`.
 * An `Fn::If` may yield a list or nothing, so it throws, as {@link list} does.
 */
export function oneOrMany(value: unknown, what: string): unknown[] {
  return list(
    value === undefined || Array.isArray(value) || (isObject(value) && 'Fn::If' in value) ? value : [value],
    what,
  );
}

/** One statement of a policy document, with the path its findings and errors name. */
export interface PolicyStatement {
  readonly statement: unknown;
  readonly what: string;
}

/** The statements of a policy document (`Statement` a single object or a list). */
export function statementsOf(doc: unknown, what: string): PolicyStatement[] {
  return oneOrMany(field(doc, what, 'Statement'), `${what}.Statement`).map((statement, i) => ({
    statement,
    what: `${what}.Statement.${i}`,
  }));
}
