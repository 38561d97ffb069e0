import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

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
    super(scope, id, { assumedBy: props.assumedBy, description: props.description });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description: `Permissions of ${this.node.path}` });
    this.policy.attachToRole(this);
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
