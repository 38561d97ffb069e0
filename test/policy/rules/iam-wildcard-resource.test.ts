import { Stack } from 'aws-cdk-lib';
import { CfnManagedPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { iamActionsMatching } from '../../../lib/aws-facts/iam-actions';
import { UNSCOPABLE_ACTIONS } from '../../../lib/policy/rules/iam/unscopable-actions';
import { ruleIds } from '../fixtures';

const doc = (Statement: unknown) => ({ Version: '2012-10-17', Statement });
const policy = (Action: unknown, Resource: unknown = '*') => {
  const stack = new Stack();
  new CfnManagedPolicy(stack, 'Policy', { policyDocument: doc({ Effect: 'Allow', Action, Resource }) });
  return stack;
};

// "If the [Resource types] column is empty, the action doesn't support resource-level permissions
// and you must specify all resources ("*") in your policy":
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html#actions_table
describe('MLOps-IAMWildcardResourceOnlyForUnscopableActions knows every action IAM accepts only on "*"', () => {
  const rule = 'IAMWildcardResourceOnlyForUnscopableActions';

  it('passes actions without resource types that this library never grants (reported before)', () => {
    const stack = policy([
      'sagemaker:ListModels',
      's3:ListAllMyBuckets',
      'logs:DescribeLogGroups',
      'sts:GetCallerIdentity',
    ]);
    expect(ruleIds(stack, rule)).toEqual([]);
  });

  // "The prefix and the action name are case insensitive":
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
  it('matches action names case-insensitively, as IAM does', () => {
    expect(ruleIds(policy(['SageMaker:listmodels', 'S3:LISTALLMYBUCKETS']), rule)).toEqual([]);
    expect(ruleIds(policy('S3:getobject'), rule)).toEqual([`MLOps-${rule}[S3:getobject]`]);
  });

  it('passes a wildcard only when every action it matches accepts only "*"', () => {
    expect(ruleIds(policy(['xray:Put*', 'sts:GetCallerIdentit?']), rule)).toEqual([]);
    // sagemaker:List* matches ListModelPackages (model-package-group resources), s3:Get* GetObject.
    expect(ruleIds(policy(['sagemaker:List*', 's3:Get*', 'ec2:Describe*']), rule)).toEqual([
      `MLOps-${rule}[ec2:Describe*]`,
      `MLOps-${rule}[s3:Get*]`,
      `MLOps-${rule}[sagemaker:List*]`,
    ]);
  });

  it('keeps the library decisions (ENI management on "*") and still reports scopable actions, "*" and NotAction', () => {
    expect(ruleIds(policy(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']), rule)).toEqual([]);
    const stack = new Stack();
    new CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
      policies: [
        {
          policyName: 'p',
          policyDocument: doc([
            {
              Effect: 'Allow',
              Action: ['sagemaker:CreateTrainingJob', 'sagemaker:ListModels'],
              Resource: '*',
            },
            { Effect: 'Allow', Action: '*', Resource: '*' },
            { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
          ]),
        },
      ],
    });
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[*]`,
      `MLOps-${rule}[NotAction]`,
      `MLOps-${rule}[sagemaker:CreateTrainingJob]`,
    ]);
  });

  it('leaves actions IAM does not know to MLOps-IAMPolicyActionsExist (one finding per problem)', () => {
    expect(
      ruleIds(policy(['sagemaker:CreateTrainingJobs', 's4:GetObject', 'sagemaker:Lisst*']), rule),
    ).toEqual([]);
  });

  it('reads a single-object Statement and a single Action string', () => {
    expect(ruleIds(policy('kms:Decrypt'), rule)).toEqual([`MLOps-${rule}[kms:Decrypt]`]);
    expect(ruleIds(policy('kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/k'), rule)).toEqual([]);
  });

  it('the library allowlist: its "no resource types" entries are unscopable in the table, except the pinned CloudWatch metric calls', () => {
    const notInTable = Object.entries(UNSCOPABLE_ACTIONS)
      .filter(([, reason]) => reason.startsWith('no resource types'))
      .filter(([action]) => !iamActionsMatching(action).every((a) => a.unscopable))
      .map(([action]) => action);
    expect(notInTable).toEqual(['cloudwatch:PutMetricData', 'cloudwatch:GetMetricData']);
    for (const action of Object.keys(UNSCOPABLE_ACTIONS))
      expect(iamActionsMatching(action), action).toHaveLength(1);
  });
});
