import { describe, expect, it } from 'vitest';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import {
  IHealthCheckedApi,
  IHealthCheckedFeatureGroup,
  ModelHealthCheck,
  ModelHealthCheckProps,
} from '../../constructs/monitoring/model-health-check';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { CONFIG_ENV } from '../../lib/handlers/model-health-canary/contract';
import { findingLines, testStack } from '../support/nag';

const API_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/invocations';

function fakeApi(): IHealthCheckedApi {
  return {
    invocationsUrl: API_URL,
    grantInvoke: (grantee) =>
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['execute-api:Invoke'],
        resourceArns: ['arn:aws:execute-api:eu-west-1:111111111111:abc123/prod/POST/invocations'],
      }),
  };
}

function fakeFeatureGroup(): IHealthCheckedFeatureGroup {
  return {
    featureGroupName: 'churn',
    grantReadOnline: (grantee) =>
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['sagemaker:GetRecord'],
        resourceArns: ['arn:aws:sagemaker:eu-west-1:111111111111:feature-group/churn'],
      }),
  };
}

function base(stack: Stack, overrides: Partial<ModelHealthCheckProps> = {}): ModelHealthCheckProps {
  const keys = new EncryptionKeys(stack, 'Keys');
  // An imported VPC: the canary's own resources are what the packs judge here.
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
  });
  return {
    vpc,
    artifactsBucket: new SecureBucket(stack, 'Artifacts', { encryptionKey: keys.data }),
    alerts: new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs }),
    inferenceApi: fakeApi(),
    goldenRequest: { instances: [[1, 2, 3]] },
    expectedResponseFields: { predictions: 'array' },
    latencyThreshold: Duration.millis(800),
    featureGroup: fakeFeatureGroup(),
    knownRecordIdentifier: 'customer-1',
    expectedFeatures: ['tenure'],
    dependencies: [{ name: 'sagemaker-runtime', url: 'runtime.sagemaker.eu-west-1.amazonaws.com' }],
    runbookUrl: 'https://runbooks.example.com/model-health',
    ...overrides,
  };
}

function canaryConfig(t: Template): Record<string, unknown> {
  const canary = Object.values(t.findResources('AWS::Synthetics::Canary'))[0];
  const raw = canary.Properties.RunConfig.EnvironmentVariables[CONFIG_ENV];
  return JSON.parse(typeof raw === 'string' ? raw : JSON.stringify(raw)) as Record<string, unknown>;
}

describe('ModelHealthCheck', () => {
  it('runs a current Node.js Synthetics runtime in the VPC with its own HTTPS-only security group', () => {
    const stack = testStack();
    new ModelHealthCheck(stack, 'Health', base(stack));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Synthetics::Canary', {
      RuntimeVersion: 'syn-nodejs-playwright-6.0',
      Code: Match.objectLike({ Handler: 'index.handler' }),
      VPCConfig: {
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^HealthSecurityGroup'), 'GroupId'] }],
        SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
        VpcId: 'vpc-0123456789abcdef0',
      },
      Schedule: Match.objectLike({ Expression: 'rate(5 minutes)' }),
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Model health canary: HTTPS out only',
      SecurityGroupEgress: [
        Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }),
      ],
    });
  });

  // Artifacts encrypted with a customer key: ArtifactConfig.S3Encryption SSE_KMS with KmsKeyArn.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-synthetics-canary-s3encryption.html
  it('writes its artifacts under its prefix of the secure bucket, SSE-KMS with the bucket key', () => {
    const stack = testStack();
    const check = new ModelHealthCheck(stack, 'Health', base(stack));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Synthetics::Canary', {
      ArtifactS3Location: {
        'Fn::Join': [
          '',
          ['s3://', { Ref: Match.stringLikeRegexp('^Artifacts') }, `/canary/${check.healthCheckName}/`],
        ],
      },
      ArtifactConfig: {
        S3Encryption: {
          EncryptionMode: 'SSE_KMS',
          KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysData'), 'Arn'] },
        },
      },
    });
  });

  it('passes the checks to the script: signed golden request, shape, latency, record, dependency URL', () => {
    const stack = testStack();
    const check = new ModelHealthCheck(stack, 'Health', base(stack));
    const config = canaryConfig(Template.fromStack(stack));
    expect(config).toMatchObject({
      healthCheck: check.healthCheckName,
      inference: {
        url: API_URL,
        body: { instances: [[1, 2, 3]] },
        expectedFields: { predictions: 'array' },
        maxLatencyMs: 800,
        signed: true,
      },
      featureStore: {
        featureGroupName: 'churn',
        recordIdentifier: 'customer-1',
        expectedFeatures: ['tenure'],
      },
      dependencies: [
        { name: 'sagemaker-runtime', url: 'https://runtime.sagemaker.eu-west-1.amazonaws.com/' },
      ],
    });
  });

  // The canary role's statements: artifacts, bucket location, logs of cwsyn-<name>-*,
  // ListAllMyBuckets, PutMetricData conditioned on the namespace, and ENI management for a VPC.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_CanaryPermissions.html
  it('has a scoped role with what Synthetics documents for a VPC canary with KMS artifacts, and the check grants', () => {
    const stack = testStack();
    const check = new ModelHealthCheck(stack, 'Health', base(stack));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
    });
    const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((r) =>
      JSON.stringify(r.Properties.Roles).includes('HealthRole'),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    // The artifact prefix is granted in the SecureBucket's policy, to this role only.
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: Match.arrayWith(['s3:PutObject']),
            Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HealthRole'), 'Arn'] } },
            Resource: Match.objectLike({
              'Fn::Join': ['', Match.arrayWith([`/canary/${check.healthCheckName}/*`])],
            }),
          }),
        ]),
      },
    });
    expect(bySid('EncryptArtifacts')).toMatchObject({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'] });
    expect(bySid('LocateArtifactsBucket')).toMatchObject({ Action: 's3:GetBucketLocation' });
    expect(JSON.stringify(bySid('CanaryLogs')!.Resource)).toContain(
      `:log-group:/aws/lambda/cwsyn-${check.healthCheckName}-*`,
    );
    expect(bySid('Metrics')).toMatchObject({
      Action: 'cloudwatch:PutMetricData',
      Condition: { StringEquals: { 'cloudwatch:namespace': ['CloudWatchSynthetics', 'ML/ModelHealth'] } },
    });
    expect(bySid('NetworkInterfaces')).toMatchObject({
      Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'],
    });
    const actions = JSON.stringify(statements.map((s) => s.Action));
    expect(actions).toContain('execute-api:Invoke');
    expect(actions).toContain('sagemaker:GetRecord');
    // Nothing broader than the documented list.
    expect(actions).not.toMatch(/"\*"|s3:\*|logs:\*|cloudwatch:\*/);
  });

  it('alarms per check and on the canary itself, labelled with severity and runbook, to the alerts', () => {
    const stack = testStack();
    const check = new ModelHealthCheck(stack, 'Health', base(stack, { severity: 'critical' }));
    expect(Object.keys(check.checkAlarms)).toEqual([
      'inference',
      'feature-store',
      'dependency-sagemaker-runtime',
    ]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ML/ModelHealth',
      MetricName: 'CheckSucceeded',
      Dimensions: Match.arrayWith([{ Name: 'Check', Value: 'dependency-sagemaker-runtime' }]),
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      AlarmDescription: Match.stringLikeRegexp(
        '^\\[CRITICAL\\] model health check dependency-sagemaker-runtime .* \\| runbook: https://runbooks.example.com/model-health$',
      ),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
    });
    // A canary that does not run at all is a failure too.
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CloudWatchSynthetics',
      MetricName: 'SuccessPercent',
      TreatMissingData: 'breaching',
    });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  it('refuses a check without the value it needs, and nothing to check, naming path and field', () => {
    const stack = testStack();
    let message = '';
    try {
      new ModelHealthCheck(
        stack,
        'Health',
        base(stack, { goldenRequest: undefined, knownRecordIdentifier: undefined }),
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Test\/Health: goldenRequest: is required with inferenceApi \(got undefined/);
    expect(message).toMatch(
      /Test\/Health: knownRecordIdentifier: is required with featureGroup \(got undefined/,
    );
    const other = testStack();
    expect(
      () =>
        new ModelHealthCheck(
          other,
          'Health',
          base(other, { inferenceApi: undefined, featureGroup: undefined, dependencies: [] }),
        ),
    ).toThrow(/Test\/Health: \(props\): has nothing to check/);
  });

  it('refuses a plain-HTTP dependency and a bad runbook URL', () => {
    const stack = testStack();
    let message = '';
    try {
      new ModelHealthCheck(
        stack,
        'Health',
        base(stack, {
          dependencies: [{ name: 'mirror', url: 'http://mirror.example.com' }],
          runbookUrl: 'wiki',
        }),
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Test\/Health: dependencies\.0\.url: .*\(got "http:\/\/mirror\.example\.com"/);
    expect(message).toMatch(/Test\/Health: runbookUrl: is not an https url \(got "wiki"/);
  });

  it('passes every pack', () => {
    const stack = testStack();
    new ModelHealthCheck(stack, 'Health', base(stack));
    expect(findingLines(stack)).toEqual([]);
  });
});
