import { describe, expect, it } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import {
  FEATURE_STORE_RUNTIME_ENDPOINT_SERVICE,
  INTERFACE_ENDPOINT_SERVICES,
  InferenceNetwork,
} from '../../constructs/serving/inference-network';
import { InferenceNetworkProps } from '../../constructs/serving/inference-network';
import { findingLines, testStack } from '../support/nag';

function build(props: InferenceNetworkProps = {}) {
  const stack = testStack();
  const network = new InferenceNetwork(stack, 'Net', props);
  return { stack, network, template: Template.fromStack(stack) };
}

function buildError(props: InferenceNetworkProps): string {
  try {
    build(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('InferenceNetwork', () => {
  it('has isolated subnets only, in two zones, and no internet or NAT gateway', () => {
    const { template, network } = build();
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false }, 2);
    template.resourcePropertiesCountIs('AWS::EC2::Route', { DestinationCidrBlock: '0.0.0.0/0' }, 0);
    expect(network.vpc.isolatedSubnets).toHaveLength(2);
    expect(network.vpc.publicSubnets).toHaveLength(0);
    expect(network.vpc.privateSubnets).toHaveLength(0);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.64.0.0/16' });
  });

  it('uses the zones and CIDR it is given', () => {
    const { template } = build({
      cidr: '10.10.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    });
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.10.0.0/16' });
    template.resourceCountIs('AWS::EC2::Subnet', 3);
    template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-1c' });
  });

  it('has an interface endpoint with private DNS for each AWS API the platform calls, and an S3 gateway', () => {
    const { template, network } = build();
    // The required services, the Feature Store runtime (on by default) and the S3 gateway.
    template.resourceCountIs('AWS::EC2::VPCEndpoint', INTERFACE_ENDPOINT_SERVICES.length + 2);
    for (const service of [
      'sagemaker.api',
      'sagemaker.runtime',
      'sts',
      'logs',
      'monitoring',
      'kms',
      'ecr.api',
      'ecr.dkr',
      'sagemaker.featurestore-runtime',
    ]) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        SecurityGroupIds: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetEndpointSecurityGroup'), 'GroupId'] },
        ],
      });
      expect(network.interfaceEndpoints[service]).toBeDefined();
    }
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      VpcEndpointType: 'Gateway',
    });
  });

  it('restricts every endpoint policy to principals of the account', () => {
    const { template } = build();
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')) as {
      Properties: {
        VpcEndpointType: string;
        PolicyDocument: { Statement: { Condition: unknown; Principal: unknown }[] };
      };
    }[];
    expect(endpoints).toHaveLength(INTERFACE_ENDPOINT_SERVICES.length + 2);
    for (const e of endpoints) {
      expect(e.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Principal: { AWS: '*' },
            Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
          }),
        ]),
      );
      if (e.Properties.VpcEndpointType === 'Interface')
        expect(e.Properties.PolicyDocument.Statement).toHaveLength(1);
      // Beyond the account-only statement, only the S3 gateway's two narrow AWS-owned-bucket ones.
      const others = e.Properties.PolicyDocument.Statement.filter((st) => st.Condition === undefined);
      expect(others.map((o) => (o as { Sid?: string }).Sid).sort()).toEqual(
        e.Properties.VpcEndpointType === 'Gateway'
          ? ['CloudFormationCustomResourceResponses', 'EcrImageLayers']
          : [],
      );
    }
  });

  describe('the Feature Store runtime endpoint', () => {
    // Online-store calls from inside a VPC go through the featurestore-runtime interface endpoint;
    // with private DNS the SDK's regional host resolves to it. The service name is
    // com.amazonaws.<region>.sagemaker.featurestore-runtime:
    // https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-storage-configurations-online-store.html
    it('is created by default with private DNS, the endpoint security group and the account-only policy', () => {
      const { template, network } = build();
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'com.amazonaws.eu-west-1.sagemaker.featurestore-runtime',
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        SecurityGroupIds: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetEndpointSecurityGroup'), 'GroupId'] },
        ],
        PolicyDocument: {
          Statement: [
            {
              Action: '*',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Resource: '*',
              Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
            },
          ],
        },
      });
      expect(network.interfaceEndpoints[FEATURE_STORE_RUNTIME_ENDPOINT_SERVICE]).toBeDefined();
      // Its logical id has no '-' (the service name's hyphen is dropped like its dots).
      expect(
        Object.keys(template.findResources('AWS::EC2::VPCEndpoint')).filter((id) =>
          id.startsWith('NetSagemakerFeaturestoreRuntime'),
        ),
      ).toHaveLength(1);
    });

    it('is left out with featureStoreRuntimeEndpoint: false, and the required ones stay', () => {
      const { template, network } = build({ featureStoreRuntimeEndpoint: false });
      template.resourceCountIs('AWS::EC2::VPCEndpoint', INTERFACE_ENDPOINT_SERVICES.length + 1);
      template.resourcePropertiesCountIs(
        'AWS::EC2::VPCEndpoint',
        { ServiceName: 'com.amazonaws.eu-west-1.sagemaker.featurestore-runtime' },
        0,
      );
      expect(network.interfaceEndpoints[FEATURE_STORE_RUNTIME_ENDPOINT_SERVICE]).toBeUndefined();
    });

    it('refuses a non-boolean featureStoreRuntimeEndpoint, naming the field', () => {
      expect(buildError({ featureStoreRuntimeEndpoint: 'yes' as unknown as boolean })).toMatch(
        /Test\/Net: featureStoreRuntimeEndpoint: .*\(got "yes"; expected/,
      );
    });

    it('is not one of the endpoints requireEndpoints demands of a product team VPC by default', () => {
      expect(INTERFACE_ENDPOINT_SERVICES as readonly string[]).not.toContain(
        FEATURE_STORE_RUNTIME_ENDPOINT_SERVICE,
      );
    });

    it('has zero findings without it', () => {
      const { stack } = build({ featureStoreRuntimeEndpoint: false });
      expect(findingLines(stack)).toEqual([]);
    });
  });

  describe('the default security group', () => {
    it("is closed by an in-VPC function, not aws-cdk-lib's out-of-VPC provider", () => {
      const { template } = build();
      template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
      expect(
        Object.keys(template.toJSON().Resources as object).filter((id) =>
          id.startsWith('CustomVpcRestrictDefaultSG'),
        ),
      ).toEqual([]);
      for (const fn of Object.values(template.findResources('AWS::Lambda::Function')) as {
        Properties: { VpcConfig?: unknown };
      }[]) {
        expect(fn.Properties.VpcConfig).toBeDefined();
      }
    });

    it('reaches EC2 through an interface endpoint and is created after it and the S3 gateway', () => {
      const { template, network, stack } = build();
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'com.amazonaws.eu-west-1.ec2',
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
      });
      const [closer] = Object.values(template.findResources('Custom::VpcRestrictDefaultSG')) as {
        DependsOn: string[];
      }[];
      const s3 = network.vpc.node.findChild('S3').node.defaultChild;
      expect(closer.DependsOn).toEqual(
        expect.arrayContaining([
          stack.getLogicalId(network.interfaceEndpoints.ec2.node.defaultChild as never),
          stack.getLogicalId(s3 as never),
        ]),
      );
    });

    it("lets the function upload its answer to CloudFormation's response bucket through the S3 gateway", () => {
      // The pre-signed ResponseURL is signed by CloudFormation, not by a principal of this account.
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html
      const { template } = build();
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'CloudFormationCustomResourceResponses',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: 's3:PutObject',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':s3:::cloudformation-custom-resource-response-euwest1/*',
                  ],
                ],
              },
            },
          ]),
        },
      });
    });
  });

  // ECR keeps image layers in the AWS-owned bucket prod-<region>-starport-layer-bucket, which an
  // account-only S3 gateway endpoint policy denies, so image pulls through the VPC fail:
  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms
  it('lets image layer downloads from the ECR layer bucket through the S3 gateway endpoint', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'EcrImageLayers',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-eu-west-1-starport-layer-bucket/*'],
              ],
            },
          },
        ]),
      },
    });
  });

  it('admits only HTTPS from the VPC to the endpoints and nothing out', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'HTTPS from inside the VPC to the AWS interface endpoints',
      SecurityGroupIngress: [
        {
          CidrIp: '10.64.0.0/16',
          FromPort: 443,
          ToPort: 443,
          IpProtocol: 'tcp',
          Description: 'HTTPS from the VPC',
        },
      ],
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
  });

  it('writes all flow logs to a CMK-encrypted log group with retention', () => {
    const { template } = build({ flowLogRetention: logs.RetentionDays.SIX_MONTHS });
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      ResourceType: 'VPC',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetKey'), 'Arn'] },
      RetentionInDays: 180,
    });
  });

  it('encrypts flow logs with the key it is given', () => {
    const stack = testStack();
    const key = createDomainKey(stack, 'Logs', 'logs');
    new InferenceNetwork(stack, 'Net', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': ['Logs', 'Arn'] } });
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  describe('own VPC: InferenceNetwork.requireEndpoints', () => {
    // With no internet path, every AWS API a workload calls needs an interface endpoint, and S3 a
    // gateway endpoint: https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html
    it('reports the endpoints a product team VPC lacks as one validation error', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'TeamVpc', {
        natGateways: 0,
        subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      for (const service of INTERFACE_ENDPOINT_SERVICES.filter((s) => s !== 'sts' && s !== 'kms')) {
        vpc.addInterfaceEndpoint(service, { service: new ec2.InterfaceVpcEndpointAwsService(service) });
      }
      expect(InferenceNetwork.requireEndpoints(vpc)).toBe(true);
      expect(vpc.node.validate()).toEqual([
        'Test/TeamVpc: interfaceEndpoints: lacks endpoints the ML workloads call with no internet path (got none for sts, kms, s3 (gateway); expected an interface endpoint for each of ' +
          INTERFACE_ENDPOINT_SERVICES.join(', ') +
          ' and an S3 gateway endpoint)',
      ]);
    });

    it('finds endpoints created outside the VPC construct, by VPC id', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'TeamVpc', {
        natGateways: 0,
        subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      for (const service of INTERFACE_ENDPOINT_SERVICES) {
        new ec2.InterfaceVpcEndpoint(stack, `Endpoint-${service}`, {
          vpc,
          service: new ec2.InterfaceVpcEndpointAwsService(service),
        });
      }
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      InferenceNetwork.requireEndpoints(vpc);
      expect(vpc.node.validate()).toEqual([]);
    });

    it('passes for its own VPC', () => {
      const { network } = build();
      InferenceNetwork.requireEndpoints(network.vpc);
      expect(network.vpc.node.validate()).toEqual([]);
    });

    it('cannot check an imported VPC and says so with a warning', () => {
      const stack = testStack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: 'vpc-0123',
        availabilityZones: ['eu-west-1a'],
        isolatedSubnetIds: ['subnet-1'],
      });
      expect(InferenceNetwork.requireEndpoints(vpc)).toBe(false);
      Annotations.fromStack(stack).hasWarning(
        '/Test/Imported',
        Match.stringLikeRegexp('cannot check the interface endpoints of an imported VPC'),
      );
    });
  });

  it('selects the isolated subnets for workloads', () => {
    const { network } = build();
    expect(network.vpc.selectSubnets(network.subnets).subnets).toEqual(network.vpc.isolatedSubnets);
  });

  it('refuses a malformed CIDR and a single zone, naming each field', () => {
    const message = buildError({ cidr: '10.64.0.0/8', availabilityZones: ['eu-west-1a'] });
    expect(message).toContain('Test/Net: cidr: has an invalid format (got "10.64.0.0/8";');
    expect(message).toContain(
      'Test/Net: availabilityZones: is too small (got ["eu-west-1a"]; expected >= 2 items)',
    );
  });

  it('has zero findings with default props', () => {
    const { stack } = build();
    expect(findingLines(stack)).toEqual([]);
  });

  describe('subnet layout and CIDR (found by props fuzzing)', () => {
    it.each([
      [
        '/20 for two /20 subnets',
        { cidr: '10.0.0.0/20' },
        'Test/Net: cidr: is too small for one /20 subnet in each of 2 zones (got "10.0.0.0/20"; expected a prefix length between /16 and /19)',
      ],
      [
        '/19 for three zones',
        { cidr: '10.0.0.0/19', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
        'Test/Net: cidr: is too small for one /20 subnet in each of 3 zones (got "10.0.0.0/19"; expected a prefix length between /16 and /18)',
      ],
    ])('refuses a prefix of %s', (_name, props, message) => {
      expect(buildError(props)).toBe(message);
    });

    it('accepts the largest prefix that fits', () => {
      const { template } = build({ cidr: '10.0.0.0/19' });
      template.resourceCountIs('AWS::EC2::Subnet', 2);
    });

    it.each(['999.1.0.0/16', '10.256.0.0/16', '01.0.0.0/16'])('refuses the octets of %s', (cidr) => {
      expect(buildError({ cidr })).toMatch(/^Test\/Net: cidr: has an invalid format/);
    });

    it('refuses duplicate zones and zones the stack does not have', () => {
      const stack = testStack();
      stack.node.setContext('availability-zones:account=111111111111:region=eu-west-1', [
        'eu-west-1a',
        'eu-west-1b',
        'eu-west-1c',
      ]);
      let message = '';
      try {
        new InferenceNetwork(stack, 'Net', { availabilityZones: ['eu-west-1a', 'eu-west-1a', 'us-east-1a'] });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message.split('\n')).toEqual([
        'Test/Net: availabilityZones: has duplicates (got ["eu-west-1a","eu-west-1a","us-east-1a"]; expected distinct zones)',
        `Test/Net: availabilityZones.2: is not one of the stack's availability zones (got "us-east-1a"; expected one of "eu-west-1a", "eu-west-1b", "eu-west-1c")`,
      ]);
    });

    it('refuses INFINITE flow-log retention, which four packs flag', () => {
      expect(buildError({ flowLogRetention: logs.RetentionDays.INFINITE })).toMatch(
        /^Test\/Net: flowLogRetention: must not be INFINITE: .*CloudWatchLogGroupRetentionPeriod/,
      );
    });
  });

  // CloudWatch Logs encrypts the flow-log group with the key only if the key policy lets
  // logs.<region>.amazonaws.com use it, else the log group (and the stack) fails to create.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
  describe('the flow-log key', () => {
    function logsStatements(template: Template, prefix: string): unknown[] {
      return Object.entries(template.findResources('AWS::KMS::Key'))
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(([, r]) => r.Properties.KeyPolicy.Statement as { Sid?: string }[])
        .filter((st) => st.Sid === 'CloudWatchLogsEncryption');
    }

    it('adds the CloudWatch Logs statement to an L2 kms.Key of the app, once', () => {
      const stack = testStack();
      const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
      new InferenceNetwork(stack, 'Net', { encryptionKey: key });
      expect(logsStatements(Template.fromStack(stack), 'TeamKey')).toEqual([
        expect.objectContaining({ Principal: { Service: 'logs.eu-west-1.amazonaws.com' } }),
      ]);
    });

    it('refuses a data domain key, naming the field of the network', () => {
      const stack = testStack();
      const key = createDomainKey(stack, 'DataKey', 'data');
      expect(() => new InferenceNetwork(stack, 'Net', { encryptionKey: key })).toThrow(
        /^Test\/Net: encryptionKey: is a data key whose policy lacks the CloudWatchLogsEncryption statement \(logs\)/,
      );
    });

    it('leaves the logs domain key and its own default key with one CloudWatch Logs statement', () => {
      const stack = testStack();
      const keys = new EncryptionKeys(stack, 'Keys');
      new InferenceNetwork(stack, 'Net', { encryptionKey: keys.logs });
      new InferenceNetwork(stack, 'Own');
      const template = Template.fromStack(stack);
      expect(logsStatements(template, 'KeysLogsKey')).toHaveLength(1);
      expect(logsStatements(template, 'OwnKey')).toHaveLength(1);
    });
  });
});
