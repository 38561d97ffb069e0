import { describe, expect, it } from 'vitest';
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { acknowledge, acknowledgmentsOf } from '../../constructs/core/acknowledge';
import { INHERENT } from '../../constructs/core/inherent';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import {
  DriftMonitor,
  rateExpression,
  ratePeriod,
  type DriftMonitorProps,
} from '../../constructs/monitoring/drift-monitor';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import { findingLines, testStack } from '../support/nag';

const rate = (d: Duration) => scheduler.ScheduleExpression.rate(d);

type Fixture = { stack: Stack; props: DriftMonitorProps; capture: SecureBucket; alerts: AlertTopic };

function fixture(): Fixture {
  const stack = testStack();
  const logsKey = createDomainKey(stack, 'LogsKey', 'logs');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: logsKey });
  const capture = new SecureBucket(stack, 'Capture');
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: logsKey });
  return {
    stack,
    capture,
    alerts,
    props: {
      endpoint: { endpointName: 'churn' },
      captureBucket: capture,
      capturePrefix: 'data-capture/churn/',
      baselineKey: 'baselines/churn/baseline.json',
      alerts,
      vpc: network.vpc,
      encryptionKey: logsKey,
    },
  };
}

function build(overrides: Partial<DriftMonitorProps> = {}): {
  stack: Stack;
  monitor: DriftMonitor;
  t: Template;
  f: Fixture;
} {
  const f = fixture();
  const monitor = new DriftMonitor(f.stack, 'Drift', { ...f.props, ...overrides });
  return { stack: f.stack, monitor, t: Template.fromStack(f.stack), f };
}

function policyStatements(t: Template, logicalIdPrefix: RegExp): Record<string, unknown>[] {
  const policies = t.findResources('AWS::IAM::ManagedPolicy');
  return Object.entries(policies)
    .filter(([id]) => logicalIdPrefix.test(id))
    .flatMap(
      ([, r]) =>
        (r as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties
          .PolicyDocument.Statement,
    );
}

describe('DriftMonitor', () => {
  it('passes every pack with default props', () => {
    const { stack } = build();
    expect(findingLines(stack)).toEqual([]);
  });

  it('runs the prebuilt drift-monitor bundle on nodejs22.x arm64 in the VPC with the thresholds in its environment', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 300,
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      Environment: {
        Variables: Match.objectLike({
          DRIFT_ENDPOINT_NAME: 'churn',
          DRIFT_VARIANT_NAME: 'primary',
          DRIFT_CAPTURE_PREFIX: 'data-capture/churn/',
          DRIFT_BASELINE_KEY: 'baselines/churn/baseline.json',
          DRIFT_REPORT_PREFIX: 'drift-reports/',
          DRIFT_WINDOW_MINUTES: '60',
          DRIFT_PSI_THRESHOLD: '0.2',
          DRIFT_P_VALUE: '0.01',
          DRIFT_MIN_SAMPLE_SIZE: '100',
          DRIFT_DRIFTED_SHARE_THRESHOLD: '0.3',
          DRIFT_REPORT_KMS_KEY_ID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CaptureKey'), 'Arn'] },
        }),
      },
    });
  });

  it('is scheduled hourly by EventBridge Scheduler with retries and the dead-letter queue', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      // ScheduleExpression.rate carries UTC; Scheduler reads a time zone for cron and at only.
      ScheduleExpressionTimezone: 'Etc/UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftFunction'), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftScheduleRole'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 60 },
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftFunctionDeadLetters'), 'Arn'] },
        },
        Input: '{"source":"compliant-mlops.drift-monitor"}',
      },
    });
  });

  it("gives the schedule's role only InvokeFunction on this function and the dead-letter queue", () => {
    const { t } = build();
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          }),
        ],
      },
    });
    const statements = policyStatements(t, /^DriftScheduleRolePolicy/);
    const fn = { 'Fn::GetAtt': [expect.stringMatching(/^DriftFunction[0-9A-F]+$/), 'Arn'] };
    expect(statements).toEqual([
      {
        Sid: 'UndeliveredRunsKey',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'] },
      },
      // aws-cdk-lib's LambdaInvoke target: the function and its qualified ARNs (versions, aliases).
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [fn, { 'Fn::Join': ['', [fn, ':*']] }],
      },
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^DriftFunctionDeadLetters/), 'Arn'] },
      },
    ]);
  });

  it("acknowledges exactly the function's qualified-ARN wildcard of the target grant, on the schedule role policy", () => {
    const { stack } = build();
    const policy = stack.node
      .findAll()
      .find((c) => c.node.path === 'Test/Drift/ScheduleRole/Policy/Resource');
    const acks = policy ? acknowledgmentsOf(policy).map((a) => a.id) : [];
    expect(acks).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<DriftFunction[0-9A-F]+\.Arn>:\*\]$/),
    ]);
  });

  it('scopes the function to the capture prefix, the baseline key and the report prefix in the bucket policy', () => {
    const { t } = build();
    const doc = Object.values(t.findResources('AWS::S3::BucketPolicy'))
      .map((r) => JSON.stringify(r))
      .find((s) => s.includes('DriftFunctionRole'));
    expect(doc).toBeDefined();
    const policy = JSON.parse(doc as string) as {
      Properties: {
        PolicyDocument: {
          Statement: {
            Action: string | string[];
            Resource: unknown;
            Condition?: unknown;
            Principal?: unknown;
          }[];
        };
      };
    };
    const mine = policy.Properties.PolicyDocument.Statement.filter((s) =>
      JSON.stringify(s.Principal ?? '').includes('DriftFunctionRole'),
    );
    const resources = mine.map((s) => JSON.stringify(s.Resource));
    expect(resources.some((r) => r.includes('/data-capture/churn/churn/primary/*'))).toBe(true);
    expect(resources.some((r) => r.includes('/baselines/churn/baseline.json*'))).toBe(true);
    expect(resources.some((r) => r.includes('/drift-reports/churn/*'))).toBe(true);
    const write = mine.find((s) => JSON.stringify(s.Resource).includes('drift-reports'));
    expect(write?.Action).toEqual(['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload']);
    const reads = mine.filter((s) => JSON.stringify(s.Action).includes('s3:GetObject'));
    expect(reads.map((s) => JSON.stringify(s.Resource)).every((r) => !r.includes('drift-reports'))).toBe(
      true,
    );
    // Listing is limited to the same prefixes.
    const lists = mine.filter((s) => JSON.stringify(s.Action).includes('s3:ListBucket'));
    expect(lists.map((s) => JSON.stringify(s.Condition))).toEqual([
      JSON.stringify({ StringLike: { 's3:prefix': ['data-capture/churn/churn/primary/*'] } }),
      JSON.stringify({ StringLike: { 's3:prefix': ['baselines/churn/baseline.json*'] } }),
    ]);
  });

  it('lets the function publish metrics only in the ML/Drift namespace, in its own acknowledged policy', () => {
    const { t } = build();
    expect(policyStatements(t, /^DriftMetricsPolicy/)).toEqual([
      {
        Sid: 'PublishDriftMetrics',
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'ML/Drift' } },
      },
    ]);
    const functionStatements = policyStatements(t, /^DriftFunctionRolePolicy/);
    expect(JSON.stringify(functionStatements)).not.toContain('cloudwatch:PutMetricData');
    t.hasResource('AWS::IAM::ManagedPolicy', {
      Properties: {
        Roles: [{ Ref: Match.stringLikeRegexp('^DriftFunctionRole') }],
        PolicyDocument: Match.anyValue(),
      },
      Metadata: {
        'compliant-mlops': { acknowledgments: [Match.objectLike({ id: 'AwsSolutions-IAM5[Resource::*]' })] },
      },
    });
  });

  it('acknowledges exactly the Resource::* finding of PutMetricData, on the metrics policy only', () => {
    const f = fixture();
    const monitor = new DriftMonitor(f.stack, 'Drift', f.props);
    Template.fromStack(f.stack);
    // The raw pack report still lists the finding: the acknowledgment, not a missing check, removes it.
    const raw = new AwsSolutionsChecks().validateScope(f.stack);
    const onMetricsPolicy = raw.violations.filter((v) =>
      v.violatingResources.some((r) => r.constructPath === 'Test/Drift/MetricsPolicy/Resource'),
    );
    expect(onMetricsPolicy.map((v) => v.ruleName)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
    const cfn = monitor.metricsPolicy.node.defaultChild as CfnResource;
    expect(cfn.getMetadata('compliant-mlops')).toEqual({
      acknowledgments: [
        expect.objectContaining({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: expect.stringMatching(/no resource-level permissions/),
        }),
      ],
    });
  });

  it('alarms on max PSI, drifted share, analysis errors and missing runs, all to the alert topic', () => {
    const { t } = build();
    const topic = { Ref: Match.stringLikeRegexp('^Alerts') };
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ML/Drift',
      MetricName: 'MaxPSI',
      Dimensions: [{ Name: 'EndpointName', Value: 'churn' }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 0.2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DriftedShare',
      Threshold: 0.3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AnalysisErrors',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AnalysisRuns',
      Statistic: 'SampleCount',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
      AlarmActions: [topic],
    });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  it('takes custom thresholds, schedule and window', () => {
    const { t } = build({
      psiThreshold: 0.1,
      pValue: 0.001,
      minSampleSize: 500,
      driftedShareThreshold: 0.5,
      schedule: rate(Duration.minutes(30)),
      window: Duration.hours(2),
      endpoint: { endpointName: 'churn', variantName: 'blue' },
      reportPrefix: 'reports/',
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MaxPSI', Threshold: 0.1, Period: 1800 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DriftedShare', Threshold: 0.5 });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DRIFT_VARIANT_NAME: 'blue',
          DRIFT_WINDOW_MINUTES: '120',
          DRIFT_P_VALUE: '0.001',
          DRIFT_MIN_SAMPLE_SIZE: '500',
          DRIFT_REPORT_PREFIX: 'reports/',
        }),
      },
    });
  });

  it('sends drift alarm transitions to ALARM to the onDrift targets through one rule', () => {
    const f = fixture();
    const stack = f.stack;
    const monitor = new DriftMonitor(stack, 'Drift', f.props);
    const queueKey = createDomainKey(stack, 'QueueKey', 'logs'); // MLOps-SQSQueueCMK: queues need a customer-managed key
    const dlq = new sqs.Queue(stack, 'TriggerDlq', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: queueKey,
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'])
      acknowledge(dlq, id, { reason: 'test dead-letter queue of the drift rule target', ...INHERENT });
    const queue = new sqs.Queue(stack, 'Retrain', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: queueKey,
      deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
    });
    const rule = monitor.onDrift(new targets.SqsQueue(queue, { deadLetterQueue: dlq, retryAttempts: 5 }));
    expect(monitor.onDrift(new targets.SqsQueue(queue, { deadLetterQueue: dlq }))).toBe(rule);
    expect(rule).toBeInstanceOf(events.Rule);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Events::Rule', 1);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftMaxPsiAlarm'), 'Arn'] },
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftDriftedShareAlarm'), 'Arn'] },
        ],
        detail: { state: { value: ['ALARM'] } },
      },
      Targets: Match.arrayWith([
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Retrain'), 'Arn'] } }),
      ]),
    });
    expect(findingLines(stack)).toEqual([]);
  });

  it('has metric helpers with the endpoint dimension and documented defaults', () => {
    const { monitor } = build();
    const max = monitor.metricMaxPsi();
    expect(max.namespace).toBe('ML/Drift');
    expect(max.metricName).toBe('MaxPSI');
    expect(max.statistic).toBe('Maximum');
    expect(max.period.toSeconds()).toBe(3600);
    expect(max.dimensions).toEqual({ EndpointName: 'churn' });
    expect(monitor.metricDriftedShare().metricName).toBe('DriftedShare');
    expect(monitor.metricAnalysisErrors({ period: Duration.hours(6) }).period.toSeconds()).toBe(21600);
    expect(monitor.metricAnalysisRuns().statistic).toBe('SampleCount');
    expect(monitor.metricRecordsAnalyzed().statistic).toBe('Sum');
    expect(monitor.metricFeaturePsi('age').dimensions).toEqual({ EndpointName: 'churn', Feature: 'age' });
    expect(monitor.metricFeaturePValue('age').metricName).toBe('PValue');
    expect(monitor.reportS3Uri).toMatch(/\/drift-reports\/churn\/$/);
  });

  it('accepts an endpoint object with more members, and tokens', () => {
    const f = fixture();
    const endpoint = {
      endpointName: f.capture.bucketName,
      variantName: 'primary',
      endpointArn: 'arn:aws:sagemaker:eu-west-1:1:endpoint/x',
    };
    const monitor = new DriftMonitor(f.stack, 'Drift', { ...f.props, endpoint });
    expect(monitor.endpointName).toBe(f.capture.bucketName);
  });

  it('writes reports to another bucket and reads the baseline from another bucket', () => {
    const f = fixture();
    const reports = new SecureBucket(f.stack, 'Reports');
    const baselines = new SecureBucket(f.stack, 'Baselines');
    new DriftMonitor(f.stack, 'Drift', { ...f.props, reportBucket: reports, baselineBucket: baselines });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DRIFT_REPORT_BUCKET: { Ref: Match.stringLikeRegexp('^Reports') },
          DRIFT_BASELINE_BUCKET: { Ref: Match.stringLikeRegexp('^Baselines') },
          DRIFT_REPORT_KMS_KEY_ID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportsKey'), 'Arn'] },
        }),
      },
    });
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('takes a TieredDatasetBucket for capture, baseline and reports: each grant stays prefix-scoped in its bucket policy', () => {
    const f = fixture();
    const tiered = new TieredDatasetBucket(f.stack, 'Tiered');
    new DriftMonitor(f.stack, 'Drift', {
      ...f.props,
      captureBucket: tiered,
      baselineBucket: tiered,
      reportBucket: tiered,
    });
    const t = Template.fromStack(f.stack);
    const [policy] = Object.values(
      t.findResources('AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: Match.stringLikeRegexp('^Tiered') } },
      }),
    );
    const granted = (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[])
      .filter((st) => JSON.stringify(st.Principal).includes('DriftFunctionRole'))
      .map((st) => JSON.stringify(st.Resource));
    expect(granted).toEqual([
      expect.stringMatching(/"Arn"\]\}$/), // ListBucket, conditioned on s3:prefix
      expect.stringContaining('/data-capture/churn/churn/primary/*'),
      expect.stringMatching(/"Arn"\]\}$/),
      expect.stringContaining('/baselines/churn/baseline.json*'),
      expect.stringContaining('/drift-reports/churn/*'),
    ]);
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('takes an imported bucket (SecureBucket.fromBucketAttributes): grants land in the function role, prefix-scoped', () => {
    const f = fixture();
    const key = kms.Key.fromKeyArn(
      f.stack,
      'TheirKey',
      'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    const imported = SecureBucket.fromBucketAttributes(f.stack, 'Imported', {
      bucket: s3.Bucket.fromBucketName(f.stack, 'Theirs', 'team-ml-capture'),
      encryptionKey: key,
    });
    new DriftMonitor(f.stack, 'Drift', { ...f.props, captureBucket: imported });
    const t = Template.fromStack(f.stack);
    const objects = (k: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::team-ml-capture/${k}`]],
    });
    const statements = policyStatements(t, /^DriftFunctionRolePolicy/);
    for (const resource of [
      objects('data-capture/churn/churn/primary/*'),
      objects('baselines/churn/baseline.json*'),
      objects('drift-reports/churn/*'),
    ]) {
      expect(statements).toContainEqual(expect.objectContaining({ Resource: resource }));
    }
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['s3:ListBucket', 's3:GetBucketLocation'],
        Condition: { StringLike: { 's3:prefix': ['data-capture/churn/churn/primary/*'] } },
      }),
    );
    expect(JSON.stringify(t.findResources('AWS::S3::BucketPolicy'))).not.toContain('DriftFunctionRole');
    // The three prefix wildcards sit in the identity policy now: each acknowledged there, exactly.
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('sends its alarms to a topic of yours wrapped with AlertTopic.fromTopic', () => {
    const f = fixture();
    const topic = new sns.Topic(f.stack, 'OwnTopic', { masterKey: f.props.encryptionKey });
    const monitor = new DriftMonitor(f.stack, 'Drift', { ...f.props, alerts: AlertTopic.fromTopic(topic) });
    const resources = Template.fromStack(f.stack).toJSON().Resources;
    const own = { Ref: f.stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };
    for (const alarm of monitor.alarms) {
      const props =
        resources[f.stack.getLogicalId(alarm.node.defaultChild as cloudwatch.CfnAlarm)].Properties;
      expect(props).toMatchObject({ AlarmActions: [own], OKActions: [own] });
    }
  });

  it('names the drift alarms from alarmNamePrefix, and the drift pattern matches exactly those two', () => {
    const { t } = build({ alarmNamePrefix: 'churn-drift' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'churn-drift-max-psi' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'churn-drift-drifted-share' });
    expect(
      Object.values(t.findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.AlarmName),
    ).toHaveLength(2);
    expect(DriftMonitor.driftEventPattern('churn-drift')).toEqual({
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      detail: {
        alarmName: ['churn-drift-max-psi', 'churn-drift-drifted-share'],
        state: { value: ['ALARM'] },
      },
    });
  });

  it('leaves alarm names to CloudFormation without a prefix, and refuses a malformed one', () => {
    const { t } = build();
    expect(
      Object.values(t.findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.AlarmName),
    ).toHaveLength(0);
    const f = fixture();
    expect(() => new DriftMonitor(f.stack, 'Drift', { ...f.props, alarmNamePrefix: 'bad name' })).toThrow(
      /Test\/Drift: alarmNamePrefix: has an invalid format/,
    );
  });

  describe('validation', () => {
    const cases: [string, Partial<DriftMonitorProps>, RegExp][] = [
      [
        'endpoint name',
        { endpoint: { endpointName: 'bad name!' } },
        /^Test\/Drift: endpoint\.endpointName: has an invalid format \(got "bad name!"/m,
      ],
      [
        'variant name',
        { endpoint: { endpointName: 'ok', variantName: '-x' } },
        /^Test\/Drift: endpoint\.variantName: has an invalid format/m,
      ],
      [
        'capture prefix',
        { capturePrefix: 'no-slash' },
        /^Test\/Drift: capturePrefix: has an invalid format \(got "no-slash"/m,
      ],
      ['baseline key', { baselineKey: 'dir/' }, /^Test\/Drift: baselineKey: has an invalid format/m],
      ['report prefix', { reportPrefix: '/abs/' }, /^Test\/Drift: reportPrefix: has an invalid format/m],
      ['psi', { psiThreshold: 0 }, /^Test\/Drift: psiThreshold: is too small \(got 0; expected > 0\)/m],
      ['p-value', { pValue: 0.9 }, /^Test\/Drift: pValue: is too large \(got 0.9; expected <= 0.5\)/m],
      [
        'sample size',
        { minSampleSize: 1.5 },
        /^Test\/Drift: minSampleSize: has the wrong type \(got 1.5; expected int\)/m,
      ],
      [
        'share',
        { driftedShareThreshold: 1.5 },
        /^Test\/Drift: driftedShareThreshold: is too large \(got 1.5; expected <= 1\)/m,
      ],
      [
        'schedule range',
        { schedule: rate(Duration.days(1)) },
        /^Test\/Drift: schedule: is out of range \(got "rate\(1 day\)"; expected between rate\(5 minutes\) and rate\(12 hours\)\)/m,
      ],
      [
        'schedule below five minutes',
        { schedule: rate(Duration.minutes(4)) },
        /^Test\/Drift: schedule: is out of range \(got "rate\(4 minutes\)"; expected between rate\(5 minutes\) and rate\(12 hours\)\)/m,
      ],
      [
        'cron schedule',
        { schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '*/2' }) },
        /^Test\/Drift: schedule: must be a rate expression: its period sets the timeout, the window and the alarm periods, which a cron or one-time schedule hides \(got "cron\(0 \*\/2 \* \* \? \*\)"; expected ScheduleExpression.rate\(duration\), 5 minutes to 12 hours\)/m,
      ],
      [
        'duration instead of an expression',
        { schedule: Duration.hours(1) as unknown as scheduler.ScheduleExpression },
        /^Test\/Drift: schedule: is not a scheduler.ScheduleExpression \(got Duration.hours\(1\); expected ScheduleExpression.rate\(duration\)\)/m,
      ],
      [
        'window vs schedule',
        { window: Duration.minutes(30) },
        /^Test\/Drift: window: is shorter than the schedule, so captures between runs would never be analysed \(got Duration.minutes\(30\); expected at least the schedule \(Duration.hours\(1\)\)\)/m,
      ],
      [
        'schema hash',
        { expectedSchemaHash: 'abc' },
        /^Test\/Drift: expectedSchemaHash: has an invalid format/m,
      ],
    ];
    for (const [name, override, message] of cases) {
      it(`rejects a bad ${name}`, () => {
        const f = fixture();
        expect(() => new DriftMonitor(f.stack, 'Drift', { ...f.props, ...override })).toThrow(message);
        expect(f.stack.node.tryFindChild('Drift')?.node.children ?? []).toHaveLength(0);
      });
    }

    it('lists every problem at once, including a wrong bucket type', () => {
      const f = fixture();
      const bad = {
        ...f.props,
        captureBucket: f.alerts,
        psiThreshold: -1,
        unknown: 1,
      } as unknown as DriftMonitorProps;
      let message = '';
      try {
        new DriftMonitor(f.stack, 'Drift', bad);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message.split('\n')).toEqual([
        'Test/Drift: captureBucket: is not an ISecureBucket (got construct Test/Alerts; expected an ISecureBucket (SecureBucket, TieredDatasetBucket, or SecureBucket.fromBucketAttributes))',
        expect.stringMatching(/^Test\/Drift: psiThreshold: is too small/),
        expect.stringMatching(/^Test\/Drift: unknown: is not a known prop/),
      ]);
    });
  });

  // Retraining starts on a drift alarm's change to ALARM (CloudWatch sends an event on each state
  // change, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
  // A second event needs ALARM -> OK -> ALARM. With missing data read as not breaching, a period
  // without a run (a delayed, dropped or bunched run: runs are not aligned to the alarm's clock
  // periods) turned the alarm OK and the next drifted run started a second retraining. Missing data
  // now keeps the state ("ignore"), https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html;
  // the missing-run alarm reports the gap instead.
  it('keeps the drift alarms in their state when a period has no run, so a gap cannot re-emit drift', () => {
    const { t } = build();
    for (const metric of ['MaxPSI', 'DriftedShare']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        TreatMissingData: 'ignore',
        EvaluationPeriods: 1,
      });
    }
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AnalysisRuns',
      TreatMissingData: 'breaching',
    });
  });

  // One run at a time without reserved concurrency, as AutoShutdown (constructs/core/README.md): a run
  // starts at most Scheduler's event age + Lambda's event age after its scheduled time (or goes to the
  // dead-letter queue), is never retried by Lambda, and ends within the timeout, so it has ended before
  // the next one is due when timeout + both ages <= the schedule period.
  // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html (MaximumRetryAttempts
  // 0-2, MaximumEventAgeInSeconds 60-21600) and
  // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html (MaximumEventAgeInSeconds >= 60).
  it.each([5, 6, 30, 60, 720])(
    'runs one at a time with a %d-minute schedule: timeout + event ages fit in the period',
    (minutes) => {
      const { t } = build({ schedule: rate(Duration.minutes(minutes)) });
      t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
      });
      const [schedule] = Object.values(t.findResources('AWS::Scheduler::Schedule'));
      const schedulerAge = schedule.Properties.Target.RetryPolicy.MaximumEventAgeInSeconds as number;
      expect(schedulerAge).toBe(60);
      const [fn] = Object.values(
        t.findResources('AWS::Lambda::Function', {
          Properties: {
            Handler: 'index.handler',
            Environment: { Variables: Match.objectLike({ DRIFT_ENDPOINT_NAME: 'churn' }) },
          },
        }),
      );
      expect(fn.Properties.Timeout + schedulerAge + 60).toBeLessThanOrEqual(minutes * 60);
      expect(fn.Properties.Timeout).toBe(Math.min(300, minutes * 60 - 120));
    },
  );

  it('reports a short window and a long timeout in one error', () => {
    const f = fixture();
    let message = '';
    try {
      new DriftMonitor(f.stack, 'Drift', {
        ...f.props,
        schedule: rate(Duration.minutes(10)),
        window: Duration.minutes(5),
        timeout: Duration.minutes(10),
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n').map((l) => l.split(':')[1]?.trim())).toEqual(['window', 'timeout']);
  });

  it('refuses a timeout that would let a run overlap the next one', () => {
    const f = fixture();
    expect(
      () =>
        new DriftMonitor(f.stack, 'Drift', {
          ...f.props,
          schedule: rate(Duration.minutes(10)),
          timeout: Duration.minutes(9),
        }),
    ).toThrow(
      /^Test\/Drift: timeout: leaves no room for the 2 minutes a run may start late, so runs could overlap \(got Duration.minutes\(9\); expected at most the schedule minus 2 minutes \(Duration.minutes\(8\)\)\)$/,
    );
    expect(
      () =>
        new DriftMonitor(f.stack, 'Ok', {
          ...f.props,
          schedule: rate(Duration.minutes(10)),
          timeout: Duration.minutes(8),
        }),
    ).not.toThrow();
  });

  it('renders rate expressions in the largest whole unit', () => {
    expect(rateExpression(Duration.hours(1))).toBe('rate(1 hour)');
    expect(rateExpression(Duration.minutes(90))).toBe('rate(90 minutes)');
    expect(rateExpression(Duration.hours(6))).toBe('rate(6 hours)');
    expect(rateExpression(Duration.minutes(5))).toBe('rate(5 minutes)');
  });

  // Rate expressions are `rate(value unit)`, unit minute(s), hour(s) or day(s):
  // https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#rate-based
  it('reads the period back from rate expressions only', () => {
    for (const d of [
      Duration.minutes(5),
      Duration.minutes(90),
      Duration.hours(1),
      Duration.hours(12),
      Duration.days(2),
    ]) {
      expect(ratePeriod(rate(d))?.toMinutes()).toBe(d.toMinutes());
      expect(ratePeriod(scheduler.ScheduleExpression.expression(rateExpression(d)))?.toMinutes()).toBe(
        d.toMinutes(),
      );
    }
    expect(ratePeriod(scheduler.ScheduleExpression.cron({ minute: '0' }))).toBeUndefined();
    expect(ratePeriod(scheduler.ScheduleExpression.at(new Date('2027-01-01T00:00:00Z')))).toBeUndefined();
  });

  it('keeps the period of an expression rate for the timeout and alarms', () => {
    const { t, monitor } = build({ schedule: scheduler.ScheduleExpression.expression('rate(20 minutes)') });
    expect(monitor.period.toMinutes()).toBe(20);
    t.hasResourceProperties('AWS::Lambda::Function', { Timeout: 300 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MaxPSI', Period: 1200 });
  });
});
