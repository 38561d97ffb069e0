import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { z } from 'zod';
import { childPath, tokenOr, validatePropsAt } from './validate';

/** Props for {@link ScopedRole}. */
export interface ScopedRoleProps {
  /** The principal that assumes the role, e.g. `new iam.ServicePrincipal('sagemaker.amazonaws.com')`. */
  readonly assumedBy: iam.IPrincipal;
  /**
   * What the role is for, shown in the IAM console.
   * @default - no description
   */
  readonly description?: string;
}

/** IAM's own character set for a role description: tab, line breaks and printable Latin-1. */
function iamDescriptionText(s: string): boolean {
  return [...s].every((c) => {
    const n = c.codePointAt(0) ?? 0;
    return n === 0x09 || n === 0x0a || n === 0x0d || (n >= 0x20 && n <= 0x7e) || (n >= 0xa1 && n <= 0xff);
  });
}

const schema = z.strictObject({
  assumedBy: z.custom<iam.IPrincipal>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      'policyFragment' in v &&
      'assumeRoleAction' in v &&
      'addToPrincipalPolicy' in v,
    { params: { expected: 'iam.IPrincipal' }, message: 'is not an iam.IPrincipal' },
  ),
  description: tokenOr(
    z
      .string()
      .max(1000)
      .refine(iamDescriptionText, {
        message: 'has characters IAM does not allow in a role description',
        params: { expected: 'tab, line breaks and printable Latin-1 characters' },
      }),
  ).optional(),
});

/**
 * An IAM role whose permissions live in one customer-managed policy instead of an inline policy.
 *
 * HIPAA.Security, NIST.800.53.R5 and PCI.DSS.321 report every inline policy
 * (`IAMNoInlinePolicy`, which also flags `AWS::IAM::Policy`), and aws-cdk-lib grants add inline
 * `DefaultPolicy` resources. Grants to a ScopedRole land in its managed policy instead, and it
 * never carries an AWS managed policy (`AwsSolutions-IAM4`).
 */
export class ScopedRole extends iam.Role {
  /** The customer-managed policy that holds every statement granted to this role. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ScopedRoleProps) {
    // iam.Role builds its trust policy in super(), so the props are validated in its argument.
    const p = validatePropsAt(childPath(scope, id), schema, props);
    super(scope, id, { assumedBy: p.assumedBy, description: p.description });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description: `Permissions of ${this.node.path}` });
    this.policy.attachToRole(this);
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
