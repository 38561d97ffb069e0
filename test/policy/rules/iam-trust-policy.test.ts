import { CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { reported, ruleIds, THREW } from '../fixtures';

const FULL_ACCESS = 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess';

// IAM's policy grammar lets `Statement` be one statement or a list, and `Action` and each
// `Principal` entry a string or a list:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
describe('MLOps-SageMakerExecutionRoleNoFullAccess on every shape the IAM grammar allows', () => {
  const rule = 'SageMakerExecutionRoleNoFullAccess';
  const role = (assumeRolePolicyDocument: unknown) => {
    const stack = new Stack();
    new CfnRole(stack, 'Role', { assumeRolePolicyDocument, managedPolicyArns: [FULL_ACCESS] });
    return stack;
  };

  it('judges a trust policy whose Statement is a single object (it threw before)', () => {
    const stack = role({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { Service: 'sagemaker.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    });
    expect(ruleIds(stack, rule)).toEqual([`MLOps-${rule}[AmazonSageMakerFullAccess]`]);
  });

  it('judges Action and Principal.Service given as a string or a list alike', () => {
    for (const [service, action] of [
      ['sagemaker.amazonaws.com', ['sts:AssumeRole', 'sts:SetSourceIdentity']],
      [['lambda.amazonaws.com', 'sagemaker.amazonaws.com'], 'sts:AssumeRole'],
    ]) {
      const stack = role({
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Principal: { Service: service }, Action: action },
      });
      expect(ruleIds(stack, rule), JSON.stringify(service)).toEqual([
        `MLOps-${rule}[AmazonSageMakerFullAccess]`,
      ]);
    }
  });

  it('still ignores a single Deny statement and a role SageMaker cannot assume', () => {
    const deny = role({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Deny',
        Principal: { Service: 'sagemaker.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    });
    expect(ruleIds(deny, rule)).toEqual([]);
    const lambda = role({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    });
    expect(ruleIds(lambda, rule)).toEqual([]);
  });

  it('reports a Principal.Service behind Fn::If (it may be SageMaker) instead of ignoring the role', () => {
    const stack = new Stack();
    new CfnCondition(stack, 'C', { expression: Fn.conditionEquals('a', 'b') });
    new CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Principal: { Service: Fn.conditionIf('C', 'sagemaker.amazonaws.com', 'lambda.amazonaws.com') },
          Action: 'sts:AssumeRole',
        },
      },
      managedPolicyArns: [FULL_ACCESS],
    });
    const r = reported(stack, rule);
    expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${rule}`]);
    expect(r[0].description).toMatch(THREW);
  });
});
