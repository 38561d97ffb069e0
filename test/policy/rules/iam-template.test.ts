import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPaths } from '../../../lib/check/check';

const dir = mkdtempSync(join(tmpdir(), 'iam-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A hand-written template as security teams have them: YAML short forms, a single-object Statement
// (valid IAM grammar, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html),
// List/Describe calls that IAM accepts only on "*", and two misspelt actions.
const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ExecutionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          Effect: Allow
          Principal:
            Service: sagemaker.amazonaws.com
          Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/AmazonSageMakerFullAccess
  Discovery:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref ExecutionRole]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: [sagemaker:ListModels, s3:ListAllMyBuckets, logs:DescribeLogGroups, sagemaker:CreateTrainingJobs]
            Resource: '*'
          - Effect: Deny
            Action: s4:GetObject
            Resource: '*'
`;

describe('the IAM rules on a hand-written template (compliant-mlops check)', () => {
  it('judges the single-object trust policy, passes unscopable actions on "*", and names each unknown action', () => {
    writeFileSync(join(dir, 'iam.yaml'), TEMPLATE);
    const report = checkPaths(['iam.yaml'], { cwd: dir, packs: ['MLOps'] });
    const iam = report.findings
      .filter((f) => /^MLOps-(IAM|SageMakerExecutionRole)/.test(f.findingId))
      .map((f) => `${f.findingId} @ ${f.logicalId}`)
      .sort();
    expect(iam).toEqual([
      'MLOps-IAMPolicyActionsExist[s4:GetObject] @ Discovery',
      'MLOps-IAMPolicyActionsExist[sagemaker:CreateTrainingJobs] @ Discovery',
      'MLOps-SageMakerExecutionRoleNoFullAccess[AmazonSageMakerFullAccess] @ ExecutionRole',
    ]);
  });
});
