import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import {
  CLOSER_SERVICE_TIMEOUT,
  customResourceResponseStatement,
  DEFAULT_SECURITY_GROUP_ACTIONS,
  DefaultSecurityGroupCloser,
  DefaultSecurityGroupCloserProps,
} from '../../constructs/serving/default-security-group-closer';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { checkPaths } from '../../lib/check/check';
import { findingLines, findings, testStack } from '../support/nag';

function isolatedVpc(stack: Stack, restrictDefaultSecurityGroup = false): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    createInternetGateway: false,
    restrictDefaultSecurityGroup,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
  });
}

function build(overrides: Partial<DefaultSecurityGroupCloserProps> = {}) {
  const stack = testStack();
  const vpc = isolatedVpc(stack);
  const key = createDomainKey(stack, 'Logs', 'logs');
  const closer = new DefaultSecurityGroupCloser(stack, 'Closer', { vpc, encryptionKey: key, ...overrides });
  return { stack, vpc, closer, template: Template.fromStack(stack) };
}

function buildError(make: (stack: Stack) => void): string {
  try {
    make(testStack());
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a validation error');
}

const DEFAULT_SG = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vpc'), 'DefaultSecurityGroup'] };

describe('DefaultSecurityGroupCloser', () => {
  it("is a Custom::VpcRestrictDefaultSG resource served by its own function, with aws-cdk-lib's properties", () => {
    const { template, closer, stack } = build();
    const functionId = stack.getLogicalId(closer.function.function.node.defaultChild as never);
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', {
      // The function ARN itself: no provider framework and its extra out-of-VPC functions.
      ServiceToken: { 'Fn::GetAtt': [functionId, 'Arn'] },
      DefaultSecurityGroupId: DEFAULT_SG,
      Account: '111111111111',
    });
  });

  it('bounds how long CloudFormation waits for an answer (ServiceTimeout, 1 to 3600 seconds)', () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref.html
    const { template } = build();
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', { ServiceTimeout: 900 });
    expect(CLOSER_SERVICE_TIMEOUT.toSeconds()).toBeGreaterThanOrEqual(1);
    expect(CLOSER_SERVICE_TIMEOUT.toSeconds()).toBeLessThanOrEqual(3600);
  });

  it('runs the restrict-default-sg bundle inside the VPC, with tracing and a dead-letter queue', () => {
    const { template } = build();
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('default security group'),
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      Timeout: 180,
    });
  });

  it("may change only the rules of the VPC's default security group", () => {
    const { template } = build();
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'CloseDefaultSecurityGroup',
            Effect: 'Allow',
            Action: [...DEFAULT_SECURITY_GROUP_ACTIONS],
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':ec2:eu-west-1:111111111111:security-group/',
                  DEFAULT_SG,
                ],
              ],
            },
          },
        ]),
      },
    });
    const policies = JSON.stringify([
      template.findResources('AWS::IAM::ManagedPolicy'),
      template.findResources('AWS::IAM::Policy'),
    ]);
    expect(policies.match(/SecurityGroup(Ingress|Egress)/g)).toHaveLength(
      DEFAULT_SECURITY_GROUP_ACTIONS.length,
    );
  });

  it('is created after, and deleted before, the function, its role policy and the endpoints it needs', () => {
    const stack = testStack();
    const vpc = isolatedVpc(stack);
    const ec2Endpoint = vpc.addInterfaceEndpoint('Ec2', { service: ec2.InterfaceVpcEndpointAwsService.EC2 });
    const s3 = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const closer = new DefaultSecurityGroupCloser(stack, 'Closer', {
      vpc,
      encryptionKey: createDomainKey(stack, 'Logs', 'logs'),
      dependsOn: [ec2Endpoint, s3],
    });
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    const template = Template.fromStack(stack);
    const [resource] = Object.values(template.findResources('Custom::VpcRestrictDefaultSG')) as {
      DependsOn: string[];
    }[];
    const policyId = stack.getLogicalId(closer.function.role.policy.node.defaultChild as never);
    expect(resource.DependsOn).toEqual(
      expect.arrayContaining([id(ec2Endpoint), id(s3), id(closer.function.function), policyId]),
    );
  });

  it('leaves no unacknowledged finding in any of the six packs', () => {
    const { stack } = build();
    // The bare fixture VPC has no flow logs (InferenceNetwork adds them; its test covers the whole).
    const fixtureOnly = [
      'AwsSolutions-VPC7',
      'HIPAA.Security-VPCFlowLogsEnabled',
      'NIST.800.53.R5-VPCFlowLogsEnabled',
      'PCI.DSS.321-VPCFlowLogsEnabled',
    ];
    expect(findingLines(stack)).toEqual(fixtureOnly.map((id) => `${id} @ Test/Vpc/Resource`));
  });

  it("is what cdk-nag's VPCDefaultSecurityGroupClosed looks for: without it the rule fires, with it not", () => {
    const packs = () => [new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks()];
    const open = testStack();
    isolatedVpc(open);
    const closedRule = (f: { ruleId: string }) => f.ruleId.endsWith('VPCDefaultSecurityGroupClosed');
    expect(
      findings(open, packs())
        .filter(closedRule)
        .map((f) => f.ruleId),
    ).toEqual([
      'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      'HIPAA.Security-VPCDefaultSecurityGroupClosed',
      'PCI.DSS.321-VPCDefaultSecurityGroupClosed',
    ]);
    const { stack } = build();
    expect(findings(stack, packs()).filter(closedRule)).toEqual([]);
  });

  it('is recognised from the template too: `check` finds no open finding on the network, its closer or its function', () => {
    // From a template the packs see the closer's function as a typed L1 (synth-time packs saw
    // aws-cdk-lib's provider as a raw resource and skipped it), and VPCDefaultSecurityGroupClosed
    // is answered by the checker's template evidence: the Custom::VpcRestrictDefaultSG resource.
    const stack = testStack();
    new InferenceNetwork(stack, 'Net');
    const assembly = (stack.node.root as App).synth();
    try {
      const report = checkPaths([assembly.directory], {
        cwd: join(__dirname, '..', '..'),
        today: '2026-12-01',
      });
      expect(report.errors).toEqual([]);
      expect(
        report.findings.filter((f) => !f.acknowledgment).map((f) => `${f.findingId} @ ${f.logicalId}`),
      ).toEqual([]);
      expect(
        report.findings
          .filter((f) => f.findingId.endsWith('VPCDefaultSecurityGroupClosed'))
          .map((f) => f.acknowledgment?.source),
      ).toEqual(['template-evidence', 'template-evidence', 'template-evidence']);
    } finally {
      rmSync(assembly.directory, { recursive: true, force: true });
    }
  });

  it("gets a logical id of its own, so replacing aws-cdk-lib's resource never changes a service token in place", () => {
    // CloudFormation refuses an update that changes a custom resource's ServiceToken.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html
    const theirs = testStack();
    isolatedVpc(theirs, true);
    const theirIds = Object.keys(Template.fromStack(theirs).findResources('Custom::VpcRestrictDefaultSG'));
    const ours = Object.keys(build().template.findResources('Custom::VpcRestrictDefaultSG'));
    expect(theirIds).toHaveLength(1);
    expect(ours).toHaveLength(1);
    expect(ours[0]).not.toBe(theirIds[0]);
    expect(ours[0]).toMatch(/^VpcRestrictDefaultSecurityGroupCustomResource/);
  });

  it("refuses a VPC that still closes its group with aws-cdk-lib's provider, and a second closer", () => {
    const message = buildError((stack) => {
      new DefaultSecurityGroupCloser(stack, 'Closer', {
        vpc: isolatedVpc(stack, true),
        encryptionKey: createDomainKey(stack, 'Logs', 'logs'),
      });
    });
    expect(message).toBe(
      "Test/Closer: vpc: already closes its default security group (got aws-cdk-lib's restrictDefaultSecurityGroup: true; expected an ec2.Vpc with restrictDefaultSecurityGroup: false and one closer)",
    );
    const twice = buildError((stack) => {
      const props = { vpc: isolatedVpc(stack), encryptionKey: createDomainKey(stack, 'Logs', 'logs') };
      new DefaultSecurityGroupCloser(stack, 'One', props);
      new DefaultSecurityGroupCloser(stack, 'Two', props);
    });
    expect(twice).toBe(
      'Test/Two: vpc: already closes its default security group (got another DefaultSecurityGroupCloser; expected an ec2.Vpc with restrictDefaultSecurityGroup: false and one closer)',
    );
  });

  it('refuses an imported VPC, whose default group it cannot name', () => {
    const message = buildError((stack) => {
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: 'vpc-1',
        availabilityZones: ['eu-west-1a'],
        isolatedSubnetIds: ['subnet-1'],
      });
      new DefaultSecurityGroupCloser(stack, 'Closer', {
        vpc: vpc as ec2.Vpc,
        encryptionKey: createDomainKey(stack, 'Logs', 'logs'),
      });
    });
    expect(message).toMatch(/^Test\/Closer: vpc: is not a ec2\.Vpc/);
  });
});

describe('customResourceResponseStatement', () => {
  it("allows only PutObject to CloudFormation's response bucket, named by the region without dashes", () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html
    const stack = testStack();
    expect(stack.resolve(customResourceResponseStatement(stack).toStatementJson())).toEqual({
      Sid: 'CloudFormationCustomResourceResponses',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-custom-resource-response-euwest1/*'],
        ],
      },
    });
  });

  it('derives the bucket name at deploy time in an environment-agnostic stack', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const resource = stack.resolve(customResourceResponseStatement(stack).toStatementJson())
      .Resource as unknown;
    expect(JSON.stringify(resource)).toContain('{"Fn::Join":["",{"Fn::Split":["-",{"Ref":"AWS::Region"}]}]}');
    expect(JSON.stringify(resource)).toContain(':s3:::cloudformation-custom-resource-response-');
  });
});
