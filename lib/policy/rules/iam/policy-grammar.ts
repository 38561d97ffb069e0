import { CfnResource } from 'aws-cdk-lib';
import { CfnManagedPolicy, CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { field, isObject, list, resolved } from '../../rule-helpers';

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

/** A policy document found on a resource, with the property path its findings and errors name. */
export interface PolicyDocument {
  readonly doc: unknown;
  readonly what: string;
}

/** The identity policy documents of a managed policy, an inline policy, or a role's inline policies. */
export function identityPolicyDocuments(node: CfnResource): PolicyDocument[] {
  if (node instanceof CfnManagedPolicy || node instanceof CfnPolicy) {
    return [{ doc: resolved(node, node.policyDocument), what: 'PolicyDocument' }];
  }
  if (node instanceof CfnRole) {
    return list(resolved(node, node.policies), 'Policies').map((p, i) => ({
      doc: field(p, `Policies.${i}`, 'policyDocument') ?? field(p, `Policies.${i}`, 'PolicyDocument'),
      what: `Policies.${i}.PolicyDocument`,
    }));
  }
  return [];
}
