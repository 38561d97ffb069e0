import { CfnResource } from 'aws-cdk-lib';
import { CfnManagedPolicy, CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isObject, list, literal, resolved, UnresolvableError } from '../../rule-helpers';
import { isUnscopableAction } from './unscopable-actions';

/** A single value or a list, as IAM allows for Action and Resource. */
function many(value: unknown, what: string): unknown[] {
  return list(
    value === undefined || Array.isArray(value) || (isObject(value) && 'Fn::If' in value) ? value : [value],
    what,
  );
}

/**
 * Whether one Resource entry is `*`. A reference (`Ref`, `Fn::GetAtt`, `Fn::Join`) names a resource;
 * an `Fn::If` may yield `*`, so it cannot be judged.
 */
function isStar(resource: unknown, what: string): boolean {
  if (isObject(resource) && 'Fn::If' in resource) throw new UnresolvableError(what, resource);
  return resource === '*';
}

/** The policy documents of an identity policy or a role's inline policies, with their labels. */
function documents(node: CfnResource): { doc: unknown; what: string }[] {
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

/** The actions of one statement that must not be granted on every resource. */
function wideActions(statement: unknown, what: string): string[] {
  if (literal(field(statement, what, 'Effect'), `${what}.Effect`) !== 'Allow') return [];
  const notResource = field(statement, what, 'NotResource');
  const everyResource =
    notResource !== undefined ||
    many(field(statement, what, 'Resource'), `${what}.Resource`).some((r) => isStar(r, `${what}.Resource`));
  if (!everyResource) return [];
  if (field(statement, what, 'NotAction') !== undefined) return ['NotAction'];
  return many(field(statement, what, 'Action'), `${what}.Action`)
    .map((a) => String(literal(a, `${what}.Action`)))
    .filter((a) => !isUnscopableAction(a));
}

/** `Resource: "*"` hides a grant's blast radius; allow it only where IAM offers nothing narrower. */
export const IAMWildcardResourceOnlyForUnscopableActions: MLOpsRule = {
  name: 'IAMWildcardResourceOnlyForUnscopableActions',
  info: 'An identity policy allows an action that supports resource-level permissions on Resource "*".',
  explanation:
    'An Allow statement with Resource "*" (or NotResource) grants its actions on every bucket, key, endpoint or role in the account, so one compromised function or job reaches all of them. "*" is needed only for actions without resource-level permissions (ecr:GetAuthorizationToken, cloudwatch:PutMetricData, EC2 Describe calls, X-Ray, SageMaker List calls) and for the network-interface calls Lambda and SageMaker make in a VPC; lib/policy/rules/iam/unscopable-actions.ts lists each with its reason. AwsSolutions-IAM5 reports the wildcard once per policy, and its acknowledgment for the legitimate statements hides any other statement widened later; this rule reports each action on its own: MLOps-IAMWildcardResourceOnlyForUnscopableActions[s3:GetObject]. Move the action to a statement with the resource ARNs it needs. Checks AWS::IAM::ManagedPolicy, AWS::IAM::Policy and the inline policies of AWS::IAM::Role.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-6', 'AC-6(1)', 'AC-3'],
  securitySeverity: 7.0,
  resourceTypes: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::IAM::Role'],
  check(node: CfnResource) {
    const docs = documents(node);
    if (docs.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const findings = new Set<string>();
    for (const { doc, what } of docs) {
      many(field(doc, what, 'Statement'), `${what}.Statement`).forEach((s, i) => {
        for (const a of wideActions(s, `${what}.Statement.${i}`)) findings.add(a);
      });
    }
    return findings.size > 0 ? [...findings].sort() : NagRuleCompliance.COMPLIANT;
  },
};
