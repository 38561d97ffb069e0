import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScopedRole, ScopedRoleProps } from '../../constructs/core/scoped-role';
import { PropsValidationError } from '../../constructs/core/validate';
import { testStack } from '../support/nag';

function errorOf(props: unknown): PropsValidationError {
  const stack = testStack();
  try {
    new ScopedRole(stack, 'Role', props as ScopedRoleProps);
  } catch (e) {
    if (e instanceof PropsValidationError) return e;
    throw e;
  }
  throw new Error('expected a PropsValidationError');
}

describe('ScopedRole props validation', () => {
  it('builds with a principal and a description', () => {
    const stack = testStack();
    const role = new ScopedRole(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'trains models',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: ['arn:aws:sqs:eu-west-1:111111111111:q'],
      }),
    );
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Description: 'trains models' });
  });

  it.each([
    ['no props', undefined, '(props)'],
    ['a missing principal', {}, 'assumedBy'],
    ['a plain object as principal', { assumedBy: {} }, 'assumedBy'],
    ['a string as principal', { assumedBy: 'sagemaker.amazonaws.com' }, 'assumedBy'],
    [
      'a description over 1000 characters',
      { assumedBy: new iam.AccountRootPrincipal(), description: 'd'.repeat(1001) },
      'description',
    ],
    [
      'a description IAM refuses',
      { assumedBy: new iam.AccountRootPrincipal(), description: 'emoji 😀' },
      'description',
    ],
    ['an unknown prop', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'x' }, 'roleName'],
  ])('refuses %s with a PropsValidationError at the role path', (_name, props, field) => {
    const e = errorOf(props);
    expect(e.constructPath).toBe('Test/Role');
    expect(e.problems.map((p) => p.field)).toContain(field);
    expect(e.message).toMatch(new RegExp(`^Test/Role: ${field.replace(/[()]/g, '\\$&')}: `));
  });
});
