import { describe, expect, it } from 'vitest';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { FeatureContract } from '../../constructs/feature-store/feature-contract';
import { SecureFeatureGroup } from '../../constructs/feature-store/secure-feature-group';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import {
  IHealthCheckedApi,
  IHealthCheckedFeatureGroup,
  ModelHealthCheck,
  ModelHealthCheckProps,
} from '../../constructs/monitoring/model-health-check';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
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

const FEATURE_GROUP_ARN = 'arn:aws:sagemaker:eu-west-1:111111111111:feature-group/churn';

function fakeFeatureGroup(): IHealthCheckedFeatureGroup {
  return { featureGroupName: 'churn', featureGroupArn: FEATURE_GROUP_ARN };
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
    // Explicit: an API reachable from these isolated subnets (e.g. a private API through an
    // execute-api interface endpoint); without them an isolated-only VPC refuses inferenceApi.
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    artifactsBucket: new SecureBucket(stack, 'Artifacts', { encryptionKey: keys.data }),
    alerts: new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs }),
    inferenceApi: fakeApi(),
    goldenRequest: { instances: [[1, 2, 3]] },
    expectedResponseFields: { predictions: 'array' },
    latencyThreshold: Duration.millis(800),
    featureStoreProbe: {
      featureGroup: fakeFeatureGroup(),
      recordIdentifier: 'customer-1',
      expectedFeatures: ['tenure'],
    },
    dependencies: [{ name: 'sagemaker-runtime', url: 'runtime.sagemaker.eu-west-1.amazonaws.com' }],
    runbookUrl: 'https://runbooks.example.com/model-health',
    ...overrides,
  };
}

function canaryConfig(t: Template): Record<string, unknown> {
  const canary = Object.values(t.findResources('AWS::Synthetics::Canary'))[0];
  const raw = canary.Properties.RunConfig.EnvironmentVariables[CONFIG_ENV];
  if (typeof raw === 'string') return JSON.parse(raw) as Record<string, unknown>;
  // A partition-dependent URL is a join with the URL suffix (amazonaws.com in the aws partition).
  const [sep, parts] = (raw as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = parts.map((x) => {
    if (typeof x === 'string') return x;
    if (JSON.stringify(x) === JSON.stringify({ Ref: 'AWS::URLSuffix' })) return 'amazonaws.com';
    throw new Error(`unexpected token in the configuration: ${JSON.stringify(x)}`);
  });
  return JSON.parse(text.join(sep)) as Record<string, unknown>;
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
    expect(() => new ModelHealthCheck(stack, 'Health', base(stack, { goldenRequest: undefined }))).toThrow(
      /Test\/Health: goldenRequest: is required with inferenceApi \(got undefined/,
    );
    // The probe's record identifier is required by its type, and an empty one (no such GetRecord
    // query) is refused.
    const empty = testStack();
    expect(
      () =>
        new ModelHealthCheck(
          empty,
          'Health',
          base(empty, { featureStoreProbe: { featureGroup: fakeFeatureGroup(), recordIdentifier: '' } }),
        ),
    ).toThrow(/Test\/Health: featureStoreProbe\.recordIdentifier: .*\(got ""/);
    const other = testStack();
    expect(
      () =>
        new ModelHealthCheck(
          other,
          'Health',
          base(other, { inferenceApi: undefined, featureStoreProbe: undefined, dependencies: [] }),
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

const ENDPOINT_ARN = 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/churn-endpoint';

/** The base props with the golden request sent straight to an endpoint, default subnets. */
function viaEndpoint(stack: Stack, overrides: Partial<ModelHealthCheckProps> = {}): ModelHealthCheckProps {
  return base(stack, {
    vpcSubnets: undefined,
    inferenceApi: undefined,
    inferenceEndpoint: IsolatedEndpoint.fromEndpointAttributes(stack, 'Endpoint', {
      endpointArn: ENDPOINT_ARN,
    }),
    ...overrides,
  });
}

describe('ModelHealthCheck golden request straight to the endpoint (inferenceEndpoint)', () => {
  // InvokeEndpoint: POST /endpoints/<EndpointName>/invocations on runtime.sagemaker.<region>,
  // SigV4 with the signing name `sagemaker`; inside the VPC the regional name resolves to the
  // runtime's interface endpoint (private DNS), so isolated subnets reach it.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
  it('sends the signed golden request to the runtime InvokeEndpoint URL of the endpoint, from the isolated subnets', () => {
    const stack = testStack();
    new ModelHealthCheck(stack, 'Health', viaEndpoint(stack));
    const t = Template.fromStack(stack);
    expect(canaryConfig(t)).toMatchObject({
      inference: {
        url: 'https://runtime.sagemaker.eu-west-1.amazonaws.com/endpoints/churn-endpoint/invocations',
        body: { instances: [[1, 2, 3]] },
        expectedFields: { predictions: 'array' },
        maxLatencyMs: 800,
        signed: true,
        signingService: 'sagemaker',
      },
    });
    t.hasResourceProperties('AWS::Synthetics::Canary', {
      VPCConfig: Match.objectLike({ SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'] }),
    });
  });

  // sagemaker:InvokeEndpoint is authorized on the endpoint ARN (resource type endpoint).
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
  it('may InvokeEndpoint on that endpoint only, and no longer execute-api:Invoke', () => {
    const stack = testStack();
    const check = new ModelHealthCheck(stack, 'Health', viaEndpoint(stack));
    expect(Object.keys(check.checkAlarms)).toContain('inference');
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .filter((r) => JSON.stringify(r.Properties.Roles).includes('HealthRole'))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
    const invoke = statements.filter((s) => JSON.stringify(s.Action).includes('sagemaker:Invoke'));
    expect(invoke).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sagemaker:InvokeEndpoint',
        Resource: ENDPOINT_ARN,
      }),
    ]);
    expect(JSON.stringify(statements)).not.toContain('execute-api');
  });

  it('passes every pack', () => {
    const stack = testStack();
    new ModelHealthCheck(stack, 'Health', viaEndpoint(stack));
    expect(findingLines(stack)).toEqual([]);
  });

  it('refuses both inferenceApi and inferenceEndpoint, and an asynchronous endpoint', () => {
    const stack = testStack();
    expect(
      () => new ModelHealthCheck(stack, 'Health', viaEndpoint(stack, { inferenceApi: fakeApi() })),
    ).toThrow(
      'Test/Health: inferenceEndpoint: cannot be given with inferenceApi (got both; expected exactly one of inferenceApi and inferenceEndpoint)',
    );
    const other = testStack();
    const asyncLike = {
      endpointName: 'churn-async',
      inputS3Uri: 's3://io/async/input/',
      grantInvoke: (grantee: iam.IGrantable) =>
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['sagemaker:InvokeEndpointAsync'],
          resourceArns: ['*'],
        }),
    };
    expect(
      () => new ModelHealthCheck(other, 'Health', viaEndpoint(other, { inferenceEndpoint: asyncLike })),
    ).toThrow(
      /^Test\/Health: inferenceEndpoint: is an asynchronous endpoint \(got .*; expected a real-time endpoint \(InvokeEndpoint\)/,
    );
    const noBody = testStack();
    expect(
      () => new ModelHealthCheck(noBody, 'Health', viaEndpoint(noBody, { goldenRequest: undefined })),
    ).toThrow(/Test\/Health: goldenRequest: is required with inferenceEndpoint \(got undefined/);
  });
});

describe('ModelHealthCheck inferenceApi and the subnets the canary lands in', () => {
  // A Lambda function (a canary is one) in a VPC reaches the internet only through a NAT: in
  // isolated subnets a public REGIONAL API is unreachable.
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html
  it('refuses inferenceApi with default subnets in a vpc without subnets with egress, naming the ways out', () => {
    const stack = testStack();
    expect(() => new ModelHealthCheck(stack, 'Health', base(stack, { vpcSubnets: undefined }))).toThrow(
      'Test/Health: inferenceApi: is unreachable from the default subnets: the vpc has no subnets with egress (got only isolated subnets; expected inferenceEndpoint (through the vpc sagemaker runtime endpoint), vpcSubnets with egress, or no inferenceApi)',
    );
  });

  it('accepts inferenceApi from the private subnets with egress the vpc has, and lands there by default', () => {
    const stack = testStack();
    const props = base(stack, { vpcSubnets: undefined });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'EgressVpc', {
      vpcId: 'vpc-0123456789abcdef1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'],
      isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    });
    new ModelHealthCheck(stack, 'Health', { ...props, vpc });
    Template.fromStack(stack).hasResourceProperties('AWS::Synthetics::Canary', {
      VPCConfig: Match.objectLike({ SubnetIds: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'] }),
    });
  });
});

/** The canary role's identity statements. */
function canaryStatements(stack: Stack): Record<string, unknown>[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .filter((r) => JSON.stringify(r.Properties.Roles).includes('HealthRole'))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
}

describe('ModelHealthCheck feature-store probe (featureStoreProbe)', () => {
  // GetRecord is authorized as sagemaker:GetRecord on the feature group ARN; the probe makes no
  // other Feature Store call, so it gets no BatchGetRecord, DescribeFeatureGroup or PutRecord.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
  it('may GetRecord on that feature group only, and nothing else of the feature store', () => {
    const stack = testStack();
    new ModelHealthCheck(stack, 'Health', base(stack));
    const statements = canaryStatements(stack);
    const featureStore = statements.filter((s) =>
      /sagemaker:(Get|Put|Batch|Delete|Describe)/.test(JSON.stringify(s.Action)),
    );
    expect(featureStore).toEqual([
      expect.objectContaining({
        Sid: 'ReadProbeRecord',
        Effect: 'Allow',
        Action: 'sagemaker:GetRecord',
        Resource: FEATURE_GROUP_ARN,
      }),
    ]);
    // The fake group has no customer managed key: no KMS grant for it.
    expect(statements.find((s) => s.Sid === 'DecryptProbeRecord')).toBeUndefined();
  });

  // Every caller of PutRecord, GetRecord and DeleteRecord needs kms:Decrypt on the online store's
  // KmsKeyId, and the API reference names nothing else for them.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_OnlineStoreSecurityConfig.html
  it('may kms:Decrypt with the online store key of the group, and only that', () => {
    const stack = testStack();
    const onlineKey = new EncryptionKeys(stack, 'OnlineKeys').data;
    new ModelHealthCheck(
      stack,
      'Health',
      base(stack, {
        featureStoreProbe: {
          featureGroup: { ...fakeFeatureGroup(), encryptionKey: onlineKey },
          recordIdentifier: 'customer-1',
        },
      }),
    );
    expect(canaryStatements(stack).find((s) => s.Sid === 'DecryptProbeRecord')).toEqual({
      Sid: 'DecryptProbeRecord',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OnlineKeysData/), 'Arn'] },
    });
    expect(findingLines(stack)).toEqual([]);
  });

  it('accepts a SecureFeatureGroup and reads the probe record of its standard group', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'GroupKeys');
    const props = base(stack);
    const group = new SecureFeatureGroup(stack, 'Group', {
      alerts: props.alerts,
      contract: FeatureContract.define({
        domain: 'marketing',
        name: 'probe-test',
        version: '1.0.0',
        description: 'A contract for the probe test',
        owner: 'ml-platform-team',
        classification: 'internal',
        recordIdentifier: 'customer_id',
        eventTime: 'event_time',
        features: [
          { name: 'customer_id', type: 'String', description: 'Customer key' },
          { name: 'event_time', type: 'String', description: 'Computed at' },
          { name: 'tenure', type: 'Integral', description: 'Months' },
        ],
      }),
      encryptionKey: keys.data,
    });
    new ModelHealthCheck(stack, 'Health', {
      ...props,
      featureStoreProbe: {
        featureGroup: group,
        recordIdentifier: 'health-check',
        expectedFeatures: ['tenure'],
      },
    });
    expect(canaryConfig(Template.fromStack(stack))).toMatchObject({
      featureStore: { recordIdentifier: 'health-check', expectedFeatures: ['tenure'] },
    });
    const statements = canaryStatements(stack);
    expect(statements.find((s) => s.Sid === 'DecryptProbeRecord')).toMatchObject({
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^GroupKeysData/), 'Arn'] },
    });
    expect(JSON.stringify(statements)).not.toMatch(/BatchGetRecord|DescribeFeatureGroup|PutRecord/);
  });

  it('refuses a feature group that is not one, and feature names GetRecord cannot return', () => {
    const stack = testStack();
    let message = '';
    try {
      new ModelHealthCheck(
        stack,
        'Health',
        base(stack, {
          featureStoreProbe: {
            featureGroup: { featureGroupName: 'churn' } as unknown as IHealthCheckedFeatureGroup,
            recordIdentifier: 'customer-1',
            expectedFeatures: ['tenure months'],
          },
        }),
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /Test\/Health: featureStoreProbe\.featureGroup: is not an IHealthCheckedFeatureGroup/,
    );
    expect(message).toMatch(/Test\/Health: featureStoreProbe\.expectedFeatures\.0: .*\(got "tenure months"/);
  });

  it('lets a token record identifier through validation', () => {
    const stack = testStack();
    const id = new CfnParameter(stack, 'RecordId').valueAsString;
    new ModelHealthCheck(
      stack,
      'Health',
      base(stack, { featureStoreProbe: { featureGroup: fakeFeatureGroup(), recordIdentifier: id } }),
    );
    Template.fromStack(stack).resourceCountIs('AWS::Synthetics::Canary', 1);
  });

  describe('from isolated subnets of a VPC of the app', () => {
    // Without the featurestore-runtime interface endpoint, GetRecord from isolated subnets has no
    // path: https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-storage-configurations-online-store.html
    function synthWith(featureStoreRuntimeEndpoint: boolean): () => void {
      const stack = testStack();
      const network = new InferenceNetwork(stack, 'Network', { featureStoreRuntimeEndpoint });
      new ModelHealthCheck(stack, 'Health', {
        ...base(stack, { inferenceApi: undefined, goldenRequest: undefined }),
        vpc: network.vpc,
        vpcSubnets: undefined,
      });
      return () => (stack.node.root as App).synth();
    }

    it('fails synth when the VPC has no Feature Store runtime endpoint', () => {
      expect(synthWith(false)).toThrow(
        /Test\/Network\/Resource: interfaceEndpoints: lacks endpoints .*\(got none for sagemaker\.featurestore-runtime;/,
      );
    });

    it("passes with the InferenceNetwork's default endpoint", () => {
      expect(synthWith(true)).not.toThrow();
    });
  });
});

describe('ModelHealthCheck durations (found by props fuzzing)', () => {
  // Synthetics schedules are rate(<n> minute(s)|hour(s)): aws-cdk-lib's Schedule.rate throws an
  // UnscopedValidationError for 61 seconds instead of our props error.
  // https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CanaryScheduleInput.html
  it('refuses an interval that is not a whole number of minutes, naming the field', () => {
    const stack = testStack();
    expect(
      () => new ModelHealthCheck(stack, 'Health', base(stack, { interval: Duration.seconds(61) })),
    ).toThrow(/^Test\/Health: interval: must be a whole number of minutes \(got .*; expected /);
  });

  it('refuses a token latency threshold: the request timeout and the check threshold are computed at synth', () => {
    const stack = testStack();
    const seconds = new CfnParameter(stack, 'Latency', { type: 'Number' }).valueAsNumber;
    expect(
      () =>
        new ModelHealthCheck(stack, 'Health', base(stack, { latencyThreshold: Duration.seconds(seconds) })),
    ).toThrow(/^Test\/Health: latencyThreshold: must be a literal duration/);
  });
});
