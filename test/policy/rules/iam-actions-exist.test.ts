import { CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import {
  CfnManagedPolicy,
  CfnPolicy,
  CfnRole,
  ManagedPolicy,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { CfnTopicPolicy } from 'aws-cdk-lib/aws-sns';
import { CfnQueuePolicy } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { reported, ruleIds, THREW } from '../fixtures';

const rule = 'IAMPolicyActionsExist';
const doc = (Statement: unknown) => ({ Version: '2012-10-17', Statement });
const trust = doc({
  Effect: 'Allow',
  Principal: { Service: 'lambda.amazonaws.com' },
  Action: 'sts:AssumeRole',
});

// The actions IAM knows are those of the Service Authorization Reference; names are case-insensitive
// and may hold * and ? wildcards:
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
describe('MLOps-IAMPolicyActionsExist', () => {
  it('passes known actions in any case, wildcards that match something, and "*"', () => {
    const stack = new Stack();
    new CfnManagedPolicy(stack, 'Policy', {
      policyDocument: doc([
        {
          Effect: 'Allow',
          Action: ['SageMaker:createtrainingjob', 's3:Get*', 'sts:GetCallerIdentit?'],
          Resource: 'arn:aws:s3:::b/*',
        },
        { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' },
        { Effect: 'Deny', NotAction: ['iam:*', 'kms:Decrypt'], Resource: '*' },
      ]),
    });
    expect(ruleIds(stack, rule)).toEqual([]);
  });

  it('passes what aws-cdk-lib grants (an L2 role with a managed policy and grants)', () => {
    const stack = new Stack();
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('sagemaker.amazonaws.com') });
    const policy = new ManagedPolicy(stack, 'Scoped');
    policy.addStatements(
      new PolicyStatement({ actions: ['sagemaker:ListModels', 'logs:PutLogEvents'], resources: ['*'] }),
    );
    role.addManagedPolicy(policy);
    expect(ruleIds(stack, rule)).toEqual([]);
  });

  it('flags a misspelt action, a retired or unknown service, a wildcard matching nothing, and an entry without a prefix', () => {
    const stack = new Stack();
    new CfnManagedPolicy(stack, 'Policy', {
      policyDocument: doc({
        Effect: 'Allow',
        Action: [
          'sagemaker:CreateTrainingJobs',
          's4:GetObject',
          'sagemaker:Lisst*',
          'GetObject',
          's3:GetObject',
        ],
        Resource: '*',
      }),
    });
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[GetObject]`,
      `MLOps-${rule}[s4:GetObject]`,
      `MLOps-${rule}[sagemaker:CreateTrainingJobs]`,
      `MLOps-${rule}[sagemaker:Lisst*]`,
    ]);
  });

  it('flags a typo in a Deny or a NotAction (the guardrail silently does nothing, or the grant widens)', () => {
    const stack = new Stack();
    new CfnPolicy(stack, 'Inline', {
      policyName: 'p',
      roles: ['r'],
      policyDocument: doc([
        { Effect: 'Deny', Action: 's3:DeleteObjekt', Resource: '*' },
        { Effect: 'Allow', NotAction: 'iam:PassRoles', Resource: 'arn:aws:s3:::b' },
      ]),
    });
    expect(ruleIds(stack, rule)).toEqual([`MLOps-${rule}[iam:PassRoles]`, `MLOps-${rule}[s3:DeleteObjekt]`]);
  });

  it("reads a role's trust policy and inline policies, single-object Statements and string Actions", () => {
    const stack = new Stack();
    new CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'sagemaker.amazonaws.com' },
        Action: 'sts:AssumeRoles',
      }),
      policies: [
        {
          policyName: 'p',
          policyDocument: doc({ Effect: 'Allow', Action: 'ecr:GetAuthorisationToken', Resource: '*' }),
        },
      ],
    });
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[ecr:GetAuthorisationToken]`,
      `MLOps-${rule}[sts:AssumeRoles]`,
    ]);
  });

  it('checks bucket, key, topic and queue policies', () => {
    const stack = new Stack();
    const deny = (Action: string) => doc({ Effect: 'Deny', Principal: '*', Action, Resource: '*' });
    new CfnBucketPolicy(stack, 'Bucket', { bucket: 'b', policyDocument: deny('s3:PutObjects') });
    new CfnKey(stack, 'Key', { keyPolicy: deny('kms:Decrpyt') });
    new CfnTopicPolicy(stack, 'Topic', {
      topics: ['arn:aws:sns:eu-west-1:111111111111:t'],
      policyDocument: deny('sns:Publsh'),
    });
    new CfnQueuePolicy(stack, 'Queue', { queues: ['q'], policyDocument: deny('sqs:SendMessages') });
    new CfnRole(stack, 'Ok', { assumeRolePolicyDocument: trust });
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[kms:Decrpyt]`,
      `MLOps-${rule}[s3:PutObjects]`,
      `MLOps-${rule}[sns:Publsh]`,
      `MLOps-${rule}[sqs:SendMessages]`,
    ]);
  });

  it('judges each branch of an Fn::If: both known passes, a misspelt branch is reported naming the condition', () => {
    const build = (otherwise: string) => {
      const stack = new Stack();
      new CfnCondition(stack, 'C', { expression: Fn.conditionEquals('a', 'b') });
      new CfnManagedPolicy(stack, 'Policy', {
        policyDocument: doc({
          Effect: 'Allow',
          Action: Fn.conditionIf('C', 's3:GetObject', otherwise),
          Resource: '*',
        }),
      });
      return reported(stack, rule);
    };
    expect(build('s3:PutObject')).toEqual([]);
    const r = build('s3:PutObjekt');
    expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${rule}[s3:PutObjekt]`]);
    expect(r[0].description).not.toMatch(THREW);
  });
});
