import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkPaths } from '../../lib/check/api';
import { Finding } from '../../lib/report/finding';

const cwd = join(__dirname, '..', '..');
const dir = 'test/fixtures/check/eval';

/** The MLOps findings of one fixture, optionally of one rule. */
function mlops(fixture: string, rule?: string): Finding[] {
  const report = checkPaths([`${dir}/${fixture}`], { cwd, packs: ['MLOps'], today: '2026-06-01' });
  expect(report.errors).toEqual([]);
  return report.findings.filter((f) => rule === undefined || f.ruleId === `MLOps-${rule}`);
}

/** `findingId @ logicalId: message`, one per finding. */
function lines(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.findingId} @ ${f.logicalId}: ${f.message}`);
}

describe('one resource making a rule throw does not change the message of its other findings', () => {
  test('a thrown rule and two real findings of the same rule each carry their own message', () => {
    const found = mlops('thrown-then-finding.yaml', 'SageMakerModelNetworkIsolation');
    expect(found.map((f) => f.logicalId)).toEqual(['OpenModel', 'PlainModel', 'ThirdModel']);
    // The defect: the later findings said "Rule threw", the first resource's description.
    expect(found[1].message).toBe('The SageMaker model does not enable network isolation.');
    expect(found[2].message).toBe('The SageMaker model does not enable network isolation.');
    expect(found[0].message).toMatch(/^Rule threw an error during validation/);
    // The reason names the parameter the rule could not judge.
    expect(found[0].message).toContain('{"Ref":"Isolate"}');
  });
});

describe('what a template makes knowable is evaluated, and the failing branch or value is named', () => {
  test('Fn::If: every branch is judged; a model passes when all branches comply, a failing branch names its condition', () => {
    const found = mlops('conditions.yaml').filter((f) =>
      /ModelNetworkIsolation|ModelVpcConfig/.test(f.ruleId),
    );
    expect(lines(found)).toEqual([
      'MLOps-SageMakerModelVpcConfig @ ProdOnlyVpc: when condition IsProd is false (parameter Env is "dev"): The SageMaker model is not attached to a VPC (VpcConfig with subnets and security groups).',
      'MLOps-SageMakerModelNetworkIsolation @ TierIsolation: when condition HasTier is false: The SageMaker model does not enable network isolation.',
    ]);
  });
  test('Fn::FindInMap over literal mappings resolves, and a key that is a parameter is judged for each allowed value', () => {
    const found = mlops('mappings.yaml').filter((f) => /ModelNetworkIsolation|ModelVpcConfig/.test(f.ruleId));
    expect(lines(found)).toEqual([
      'MLOps-SageMakerModelNetworkIsolation @ ByStage: when parameter Stage is "dev": The SageMaker model does not enable network isolation.',
    ]);
  });
  test('parameters: constraints that rule out non-compliance give no finding; one that admits it names the parameter and value', () => {
    const found = mlops('parameters.yaml').filter((f) =>
      /ModelNetworkIsolation|EndpointConfigInstanceCount/.test(f.ruleId),
    );
    expect(lines(found)).toEqual([
      'MLOps-SageMakerModelNetworkIsolation @ MaybeIsolated: when parameter IsolateChoice is "false": The SageMaker model does not enable network isolation.',
      'MLOps-SageMakerEndpointConfigInstanceCount[risky] @ Config: when parameter RiskyCount is 1: A SageMaker production variant starts with fewer than 2 instances.',
    ]);
  });
});

describe('how a model is served decides which rules apply', () => {
  const rules = /ModelNetworkIsolation|ModelVpcConfig|EndpointConfigDataCapture|EndpointConfigInstanceCount/;
  // Serverless Inference supports neither VPC configuration nor network isolation, nor data capture:
  // https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions
  test('a model served only by serverless variants gets no isolation or VPC finding; a Fn::If around ServerlessConfig does not hide the instance-based branch', () => {
    const when = 'when condition UseServerless is false (parameter Mode is "instance"): ';
    expect(lines(mlops('serverless.yaml').filter((f) => rules.test(f.ruleId)))).toEqual([
      `MLOps-SageMakerModelNetworkIsolation @ SwitchModel: ${when}The SageMaker model does not enable network isolation.`,
      `MLOps-SageMakerModelVpcConfig @ SwitchModel: ${when}The SageMaker model is not attached to a VPC (VpcConfig with subnets and security groups).`,
      `MLOps-SageMakerEndpointConfigDataCapture[DataCaptureConfig] @ SwitchConfig: ${when}The SageMaker endpoint config does not capture inference data encrypted with its own KMS key.`,
      `MLOps-SageMakerEndpointConfigInstanceCount[main] @ SwitchConfig: ${when}A SageMaker production variant starts with fewer than 2 instances.`,
    ]);
  });
});

describe('Studio custom images are checked for digest pinning', () => {
  // BaseImage is an ECR URI with a tag or a digest:
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-imageversion.html#cfn-sagemaker-imageversion-baseimage
  test('an AWS::SageMaker::ImageVersion whose BaseImage is a tag is reported, one pinned by digest is not', () => {
    expect(lines(mlops('image-version.yaml', 'SageMakerModelImageDigest'))).toEqual([
      'MLOps-SageMakerModelImageDigest[BaseImage] @ TaggedVersion: A SageMaker container image (model container or Studio image version) is not pinned by digest (@sha256:...).',
    ]);
  });
});

describe('a resource Condition limits the scenarios its rules are judged in', () => {
  test('the branch of an Fn::If a conditional resource never deploys is not reported', () => {
    expect(lines(mlops('resource-condition.yaml', 'SageMakerModelNetworkIsolation'))).toEqual([]);
  });
});
