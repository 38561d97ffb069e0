import { describe, expect, it } from 'vitest';
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { AsyncEndpoint } from '../../constructs/serving/async-endpoint';
import { AsyncEndpointProps } from '../../constructs/serving/async-endpoint-props';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { findingLines, testStack } from '../support/nag';
import { propsError } from '../support/props';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function build(overrides: Partial<AsyncEndpointProps> = {}, stack: Stack = testStack()) {
  const network = new InferenceNetwork(stack, 'Net');
  const bucket = new SecureBucket(stack, 'Models', { keyDomain: 'models' });
  const io = new SecureBucket(stack, 'Io', { keyDomain: 'data' });
  const alerts = new AlertTopic(stack, 'Alerts');
  const endpoint = new AsyncEndpoint(stack, 'Ep', {
    environment: 'prod',
    vpc: network.vpc,
    imageRepository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'churn'),
    imageDigest: DIGEST,
    modelBucket: bucket,
    modelDataKey: 'models/churn/1/model.tar.gz',
    ioBucket: io,
    alerts,
    ...overrides,
  });
  return { stack, endpoint, io, bucket, alerts, template: () => Template.fromStack(stack) };
}

const ioUri = (path: string) => ({
  'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Io') }, path]],
});

function ruleIds(stack: Stack): string[] {
  return [...new Set(findingLines(stack).map((l) => l.split(' @ ')[0]))].sort();
}

describe('AsyncEndpoint model (the real-time endpoint model code)', () => {
  it('runs an isolated model in the isolated subnets, its image pinned by digest', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: true,
      VpcConfig: {
        Subnets: [
          { Ref: Match.stringLikeRegexp('^NetisolatedSubnet1') },
          { Ref: Match.stringLikeRegexp('^NetisolatedSubnet2') },
        ],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^EpSecurityGroup'), 'GroupId'] }],
      },
      PrimaryContainer: Match.objectLike({
        Image: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`/churn@${DIGEST}`])] }),
      }),
    });
  });

  it('encrypts the ML storage volumes with a models key, and omits the key on NVMe instance types', () => {
    build()
      .template()
      .hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EpKey'), 'Arn'] },
      });
    build({ instanceType: 'ml.g5.2xlarge' })
      .template()
      .hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: Match.absent() });
  });
});

describe('AsyncEndpoint AsyncInferenceConfig', () => {
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceOutputConfig.html
  it('writes responses and failures under prefixes of the I/O bucket, encrypted with its key', () => {
    const { template, endpoint } = build();
    const name = endpoint.endpointName;
    template().hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      AsyncInferenceConfig: {
        ClientConfig: { MaxConcurrentInvocationsPerInstance: 1 },
        OutputConfig: {
          S3OutputPath: ioUri(`/async-inference/${name}/output/`),
          S3FailurePath: ioUri(`/async-inference/${name}/failure/`),
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IoKey'), 'Arn'] },
          NotificationConfig: {
            SuccessTopic: { Ref: Match.stringLikeRegexp('^EpSuccessTopic') },
            ErrorTopic: { Ref: Match.stringLikeRegexp('^EpErrorTopic') },
            IncludeInferenceResponseIn: Match.absent(),
          },
        },
      },
    });
    expect(endpoint.inputS3Uri).toBe(endpoint.ioBucket.s3UriForPrefix(`async-inference/${name}/input/`));
  });

  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceNotificationConfig.html
  it('puts responses into the notifications only when asked, and takes the concurrency and prefixes given', () => {
    build({
      includeResponseInNotifications: true,
      maxConcurrentInvocationsPerInstance: 4,
      outputPrefix: 'scores/out/',
      failurePrefix: 'scores/failed/',
    })
      .template()
      .hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        AsyncInferenceConfig: {
          ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
          OutputConfig: Match.objectLike({
            S3OutputPath: ioUri('/scores/out/'),
            S3FailurePath: ioUri('/scores/failed/'),
            NotificationConfig: Match.objectLike({
              IncludeInferenceResponseIn: ['SUCCESS_NOTIFICATION_TOPIC', 'ERROR_NOTIFICATION_TOPIC'],
            }),
          }),
        },
      });
  });

  it('encrypts both notification topics with the logs key and refuses plain-HTTP publishing', () => {
    const { template } = build();
    for (const topic of ['^EpSuccessTopic', '^EpErrorTopic']) {
      template().hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EpLogKey'), 'Arn'] },
      });
      template().hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: Match.stringLikeRegexp(topic) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('captures requests and responses to the I/O bucket', () => {
    const { template, endpoint } = build();
    template().hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: Match.objectLike({
        EnableCapture: true,
        DestinationS3Uri: ioUri(`/data-capture/${endpoint.endpointName}/`),
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IoKey'), 'Arn'] },
      }),
    });
  });
});

describe('AsyncEndpoint execution role', () => {
  // SageMaker publishes the notifications and writes the results as the execution role.
  // https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html
  it('may publish to exactly the two topics and use the topic key', () => {
    build()
      .template()
      .hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^EpRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'PublishNotifications',
              Action: 'sns:Publish',
              Resource: [
                { Ref: Match.stringLikeRegexp('^EpSuccessTopic') },
                { Ref: Match.stringLikeRegexp('^EpErrorTopic') },
              ],
            }),
            Match.objectLike({
              Sid: 'EncryptNotifications',
              Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EpLogKey'), 'Arn'] },
            }),
          ]),
        },
      });
  });

  it('reads the input prefix and writes the output and failure prefixes of the I/O bucket, nothing wider', () => {
    const { template, endpoint } = build();
    const name = endpoint.endpointName;
    const grants = principalStatements(template(), 'EpRole');
    expect(grants).toEqual(
      expect.arrayContaining([
        {
          actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging'],
          path: `/async-inference/${name}/input/*`,
        },
        {
          actions: ['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'],
          path: `/async-inference/${name}/output/*`,
        },
        {
          actions: ['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'],
          path: `/async-inference/${name}/failure/*`,
        },
      ]),
    );
    // Besides the three queue prefixes, only data capture's prefix.
    expect(grants.map((g) => g.path).filter((path) => !path.startsWith(`/async-inference/${name}/`))).toEqual(
      [`/data-capture/${name}/*`],
    );
  });
});

/** The object statements of the I/O bucket's policy for one principal: actions and object path. */
function principalStatements(template: Template, principal: string): { actions: string[]; path: string }[] {
  const policies = Object.values(
    template.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: Match.stringLikeRegexp('^Io') } },
    }),
  );
  type Statement = {
    Principal?: { AWS?: { 'Fn::GetAtt'?: string[] } };
    Action: string | string[];
    Resource: unknown;
  };
  const statements = policies.flatMap(
    (p) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
  );
  return statements
    .filter((st) => st.Principal?.AWS?.['Fn::GetAtt']?.[0]?.startsWith(principal))
    .flatMap((st) => {
      const join = (st.Resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
      if (!join) return [];
      return [{ actions: [st.Action].flat(), path: String(join[1][1]) }];
    });
}

describe('AsyncEndpoint autoscaling', () => {
  // https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html: async
  // endpoints may scale to zero; the backlog per instance drives target tracking.
  it('scales between zero and the maximum on ApproximateBacklogSizePerInstance', () => {
    const { template, endpoint } = build();
    template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 0,
      MaxCapacity: 2,
      ResourceId: `endpoint/${endpoint.endpointName}/variant/primary`,
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    });
    template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        CustomizedMetricSpecification: {
          MetricName: 'ApproximateBacklogSizePerInstance',
          Namespace: 'AWS/SageMaker',
          Dimensions: [{ Name: 'EndpointName', Value: endpoint.endpointName }],
          Statistic: 'Average',
        },
        TargetValue: 5,
      },
    });
  });

  // Same page, "scale up from zero": without a policy on HasBacklogWithoutCapacity the endpoint
  // leaves zero only once the backlog exceeds the target-tracking value.
  it('wakes up from zero with a step-scaling policy on HasBacklogWithoutCapacity', () => {
    const { template, endpoint } = build();
    template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        MetricAggregationType: 'Average',
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    });
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HasBacklogWithoutCapacity',
      Namespace: 'AWS/SageMaker',
      Dimensions: [{ Name: 'EndpointName', Value: endpoint.endpointName }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('WakeUpUpperPolicy') }],
    });
    // No scale-in step: scaling in is target tracking's job.
    expect(
      Object.keys(template().findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).filter((id) =>
        id.includes('WakeUpLower'),
      ),
    ).toEqual([]);
  });

  it('registers the scalable target after the endpoint, and none with autoscaling off', () => {
    const { template } = build();
    const [target] = Object.values(template().findResources('AWS::ApplicationAutoScaling::ScalableTarget'));
    expect(target.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^Ep[0-9A-F]{8}$/)]));
    build({ autoscaling: false })
      .template()
      .resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });
});

describe('AsyncEndpoint alarms and deployments', () => {
  it('alarms on the oldest queued request to the alert destination', () => {
    build({ oldestRequestAgeThreshold: Duration.minutes(20) })
      .template()
      .hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestRequest',
        Statistic: 'Maximum',
        Threshold: 1200,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
        OKActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
      });
  });

  it('rolls a canary deployment back on the error alarms', () => {
    build()
      .template()
      .hasResourceProperties('AWS::SageMaker::Endpoint', {
        RetainAllVariantProperties: true,
        DeploymentConfig: {
          AutoRollbackConfiguration: {
            Alarms: [
              { AlarmName: { Ref: Match.stringLikeRegexp('^EpInvocation5XXErrorsAlarm') } },
              { AlarmName: { Ref: Match.stringLikeRegexp('^EpInvocation4XXErrorsAlarm') } },
            ],
          },
          BlueGreenUpdatePolicy: Match.objectLike({
            TrafficRoutingConfiguration: Match.objectLike({ Type: 'CANARY' }),
          }),
        },
      });
  });
});

describe('AsyncEndpoint grants', () => {
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html:
  // the caller uploads the request to S3 and passes its InputLocation.
  it('grantInvoke: InvokeEndpointAsync on the endpoint and uploads under the input prefix', () => {
    const { stack, endpoint, template } = build();
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    endpoint.grantInvoke(caller);
    template().hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sagemaker:InvokeEndpointAsync',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  `:sagemaker:eu-west-1:111111111111:endpoint/${endpoint.endpointName}`,
                ],
              ],
            },
          }),
        ]),
      },
    });
    template().hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Caller'), 'Arn'] } },
            Action: Match.arrayWith(['s3:PutObject']),
            Resource: {
              'Fn::Join': [
                '',
                [
                  { 'Fn::GetAtt': [Match.stringLikeRegexp('^Io'), 'Arn'] },
                  `/async-inference/${endpoint.endpointName}/input/*`,
                ],
              ],
            },
          }),
        ]),
      },
    });
  });

  it('grantReadResults: reads the output and failure prefixes only', () => {
    const { stack, endpoint, template } = build();
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    endpoint.grantReadResults(reader);
    const read = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging'];
    expect(principalStatements(template(), 'Reader')).toEqual([
      { actions: read, path: `/async-inference/${endpoint.endpointName}/failure/*` },
      { actions: read, path: `/async-inference/${endpoint.endpointName}/output/*` },
    ]);
  });

  it('publishes the async metrics by endpoint name', () => {
    const { endpoint, stack } = build();
    const metric = endpoint.metric('ApproximateBacklogSize');
    expect(metric.namespace).toBe('AWS/SageMaker');
    expect(stack.resolve(metric.dimensions)).toEqual({ EndpointName: endpoint.endpointName });
    expect(metric.statistic).toBe('Average');
  });
});

describe('AsyncEndpoint validation', () => {
  it('refuses an image tag', () => {
    expect(propsError(() => build({ imageDigest: 'v1' })).message).toMatch(
      /^Test\/Ep: imageDigest: is a tag, not a digest/,
    );
  });

  it('refuses a volume key on an NVMe instance type, citing CreateEndpointConfig', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Own');
    const error = propsError(() => build({ instanceType: 'ml.p4d.24xlarge', encryptionKey: key }, stack));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(
      /^Test\/Ep: encryptionKey: sagemaker rejects a volume key .* \(got a key with instanceType "ml\.p4d\.24xlarge"; expected .*API_CreateEndpointConfig\.html\)$/,
    );
  });

  it('refuses a maximum below the minimum and shared prefixes', () => {
    expect(propsError(() => build({ minCapacity: 3, maxCapacity: 2 })).message).toContain(
      'Test/Ep: maxCapacity: is below the minimum capacity (got 2; expected >= minCapacity (3))',
    );
    expect(propsError(() => build({ inputPrefix: 'q/', outputPrefix: 'q/' })).message).toContain(
      'Test/Ep: inputPrefix: requests, responses and failures need distinct prefixes',
    );
  });

  it('refuses out-of-range concurrency and prefixes without a trailing slash', () => {
    const error = propsError(() => build({ maxConcurrentInvocationsPerInstance: 0, inputPrefix: 'in' }));
    expect(error.message).toContain('Test/Ep: maxConcurrentInvocationsPerInstance:');
    expect(error.message).toContain('Test/Ep: inputPrefix:');
  });

  it('passes tokens through validation', () => {
    const prefix = Lazy.string({ produce: () => 'lazy/in/' });
    expect(() =>
      build({ inputPrefix: prefix, endpointName: Lazy.string({ produce: () => 'ep' }) }),
    ).not.toThrow();
  });
});

describe('AsyncEndpoint nag', () => {
  it('has zero findings in every pack with defaults', () => {
    expect(findingLines(build().stack)).toEqual([]);
  });

  it('turning network isolation off yields exactly the isolation finding', () => {
    expect(ruleIds(build({ networkIsolation: false }).stack)).toEqual([
      'MLOps-SageMakerModelNetworkIsolation',
    ]);
  });
});
