import { Fn, Stack } from 'aws-cdk-lib';
import { CfnNotebookInstanceLifecycleConfig, CfnStudioLifecycleConfig } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../../lib/policy/rules/sagemaker/secret-scan';
import { expectJudged, reported, ruleIds, THREW } from '../fixtures';

// Prowler sagemaker_notebook_instance_no_secrets (issue 16): lifecycle
// scripts are base64 shell scripts run as root; Content is "A base64-encoded string that contains a
// shell script":
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-sagemaker-notebookinstancelifecycleconfig-notebookinstancelifecyclehook.html
// StudioLifecycleConfigContent is "The content of your Amazon SageMaker Studio Lifecycle Configuration script. This content must be base64 encoded.":
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-studiolifecycleconfig.html

const rule = 'SageMakerLifecycleConfigNoSecrets';
const b64 = (text: string) => Buffer.from(text).toString('base64');

// secretlint ignores the AWS documentation example pair (AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/...EXAMPLEKEY)
// by design, so the leaking script uses a made-up pair of the same shape.
const LEAKY = [
  '#!/bin/bash',
  'set -e',
  'export AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986',
  'export AWS_SECRET_ACCESS_KEY="7CE556A3BC234CC1FF9E8A5C324C0BB70AA21B6D"',
  'pip install --upgrade jupyter',
].join('\n');
const CLEAN = [
  '#!/bin/bash',
  'set -e',
  'TOKEN=$(aws secretsmanager get-secret-value --secret-id ml/token --query SecretString --output text)',
  'pip install --upgrade jupyter',
].join('\n');

function notebookConfig(onStart: unknown, onCreate?: unknown): Stack {
  const stack = new Stack();
  new CfnNotebookInstanceLifecycleConfig(stack, 'Lc', {
    notebookInstanceLifecycleConfigName: 'baseline',
    onStart: onStart as CfnNotebookInstanceLifecycleConfig['onStart'],
    onCreate: onCreate as CfnNotebookInstanceLifecycleConfig['onCreate'],
  });
  return stack;
}

describe('secret scanning (secretlint recommended preset)', () => {
  it('finds a made-up AWS access key pair and nothing in a clean script', () => {
    expect(findSecrets(LEAKY).map((f) => f.ruleId)).toContain('@secretlint/secretlint-rule-aws');
    expect(findSecrets(CLEAN)).toEqual([]);
  });
  it('ignores the AWS documentation example keys (secretlint built-in allow list)', () => {
    const example =
      'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"';
    expect(findSecrets(example)).toEqual([]);
  });
  it('finds a private key block', () => {
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${'MIIEowIBAAKCAQEA'.repeat(8)}\n-----END RSA PRIVATE KEY-----`;
    expect(findSecrets(`cat > /home/ec2-user/.ssh/id_rsa <<EOF\n${pem}\nEOF`)).not.toEqual([]);
  });
});

describe('MLOps-SageMakerLifecycleConfigNoSecrets', () => {
  it('flags an access key pair in a base64 OnStart script', () => {
    expect(ruleIds(notebookConfig([{ content: b64(LEAKY) }]), rule)).toEqual([`MLOps-${rule}`]);
  });
  it('flags a secret in OnCreate written as Fn::Base64 of the script text (how CDK and templates write it)', () => {
    expect(ruleIds(notebookConfig([{ content: b64(CLEAN) }], [{ content: Fn.base64(LEAKY) }]), rule)).toEqual(
      [`MLOps-${rule}`],
    );
  });
  it('passes clean scripts and a config without scripts', () => {
    expect(ruleIds(notebookConfig([{ content: b64(CLEAN) }], [{ content: Fn.base64(CLEAN) }]), rule)).toEqual(
      [],
    );
    expect(ruleIds(notebookConfig(undefined), rule)).toEqual([]);
  });
  it('judges a Content behind Fn::If branch by branch', () => {
    expectJudged(
      [
        `MLOps-${rule}: when condition C is true: The SageMaker lifecycle configuration script contains a secret (access key, token, private key or password).`,
      ],
      notebookConfig([{ content: Fn.conditionIf('C', b64(LEAKY), b64(CLEAN)).toString() }]),
      rule,
    );
  });
  it('cannot judge a script passed in as a parameter: the rule throws, never passes', () => {
    const stack = notebookConfig([{ content: Fn.base64(Fn.ref('AWS::StackName')) }]);
    const found = reported(stack, rule);
    expect(found.map((r) => r.ruleName)).toEqual([`MLOps-${rule}`]);
    expect(found[0].description).toMatch(THREW);
  });
  it('scans a Studio lifecycle configuration', () => {
    const studio = (content: string) => {
      const stack = new Stack();
      new CfnStudioLifecycleConfig(stack, 'Studio', {
        studioLifecycleConfigName: 'baseline',
        studioLifecycleConfigAppType: 'JupyterLab',
        studioLifecycleConfigContent: content,
      });
      return stack;
    };
    expect(ruleIds(studio(b64(LEAKY)), rule)).toEqual([`MLOps-${rule}`]);
    expect(ruleIds(studio(b64(CLEAN)), rule)).toEqual([]);
  });
});
