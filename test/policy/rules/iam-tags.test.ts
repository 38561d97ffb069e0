import { CfnCondition, CfnParameter, Fn, Stack, Tags } from 'aws-cdk-lib';
import { CfnRole, ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnCodeRepository, CfnModelPackageGroup, CfnProcessingJob } from 'aws-cdk-lib/aws-sagemaker';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PINNED_IMAGE, reported, ROLE_ARN, ruleIds, THREW } from '../fixtures';

const trust = (service: unknown) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

describe('MLOps-SageMakerExecutionRoleNoFullAccess', () => {
  const rule = 'SageMakerExecutionRoleNoFullAccess';
  it('passes a SageMaker role with a customer managed policy', () => {
    const stack = new Stack();
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('sagemaker.amazonaws.com') });
    role.addManagedPolicy(new ManagedPolicy(stack, 'Scoped', { statements: [] }));
    expect(ruleIds(stack, rule)).toEqual([]);
  });
  it('flags AWS managed *FullAccess and AdministratorAccess policies by name (partition resolved through Fn::Join)', () => {
    const stack = new Stack();
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('sagemaker.amazonaws.com') });
    role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName('AmazonSageMakerFullAccess'));
    role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[AdministratorAccess]`,
      `MLOps-${rule}[AmazonSageMakerFullAccess]`,
    ]);
  });
  it('flags a literal ARN and either branch of an Fn::If', () => {
    const stack = new Stack();
    new CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: trust(['lambda.amazonaws.com', 'sagemaker.amazonaws.com']),
      managedPolicyArns: [
        'arn:aws:iam::aws:policy/AmazonS3FullAccess',
        Fn.conditionIf(
          'Prod',
          'arn:aws:iam::aws:policy/ReadOnlyAccess',
          'arn:aws:iam::aws:policy/PowerUserAccess-FullAccess',
        ).toString(),
      ],
    });
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[AmazonS3FullAccess]`,
      `MLOps-${rule}[PowerUserAccess-FullAccess]`,
    ]);
  });
  it('ignores roles SageMaker cannot assume', () => {
    const stack = new Stack();
    new CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: trust('lambda.amazonaws.com'),
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'],
    });
    expect(ruleIds(stack, rule)).toEqual([]);
  });
  it('reports a trust policy behind Fn::If instead of crashing', () => {
    const stack = new Stack();
    new CfnCondition(stack, 'C', { expression: Fn.conditionEquals('a', 'b') });
    new CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: Fn.conditionIf(
        'C',
        trust('sagemaker.amazonaws.com'),
        trust('lambda.amazonaws.com'),
      ),
    });
    const r = reported(stack, rule);
    expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${rule}`]);
    expect(r[0].description).toMatch(THREW);
  });
});

describe('MLOps-SageMakerRequiredTags', () => {
  const rule = 'SageMakerRequiredTags';
  const keys = ['owner', 'cost-center'];
  it('passes SageMaker resources carrying every key, with Tags.of applied as at synth, on both tagging interfaces', () => {
    const stack = new Stack();
    new CfnModelPackageGroup(stack, 'Group', { modelPackageGroupName: 'g' });
    new CfnProcessingJob(stack, 'Job', {
      appSpecification: { imageUri: PINNED_IMAGE },
      roleArn: ROLE_ARN,
      processingResources: {
        clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 30 },
      },
    });
    Tags.of(stack).add('owner', 'ml-platform');
    Tags.of(stack).add('cost-center', 'cc-1');
    Template.fromStack(stack);
    expect(ruleIds(stack, rule, { requiredTagKeys: keys })).toEqual([]);
  });
  it('flags each missing or empty key, and uses the default key set', () => {
    const stack = new Stack();
    new CfnModelPackageGroup(stack, 'Group', {
      modelPackageGroupName: 'g',
      tags: [{ key: 'owner', value: '' }],
    });
    expect(ruleIds(stack, rule, { requiredTagKeys: keys })).toEqual([
      `MLOps-${rule}[cost-center]`,
      `MLOps-${rule}[owner]`,
    ]);
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[cost-center]`,
      `MLOps-${rule}[data-classification]`,
      `MLOps-${rule}[environment]`,
      `MLOps-${rule}[owner]`,
    ]);
  });
  it('ignores non-SageMaker resources and an empty key set', () => {
    const stack = new Stack();
    new CfnRole(stack, 'Role', { assumeRolePolicyDocument: trust('sagemaker.amazonaws.com') });
    expect(ruleIds(stack, rule)).toEqual([]);
    const sm = new Stack();
    new CfnCodeRepository(sm, 'Repo', { gitConfig: { repositoryUrl: 'https://example.com/r.git' } });
    expect(ruleIds(sm, rule, { requiredTagKeys: [] })).toEqual([]);
  });
  it('treats a tag whose value is a parameter as present (tags are never unresolvable)', () => {
    const stack = new Stack();
    const owner = new CfnParameter(stack, 'Owner', { type: 'String' });
    new CfnModelPackageGroup(stack, 'Group', {
      modelPackageGroupName: 'g',
      tags: [{ key: 'owner', value: owner.valueAsString }],
    });
    expect(ruleIds(stack, rule, { requiredTagKeys: ['owner'] })).toEqual([]);
  });
});
