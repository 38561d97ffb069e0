import { describe, expect, it } from 'vitest';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import {
  ModelQualityMonitor,
  type ModelQualityMonitorProps,
} from '../../constructs/monitoring/model-quality-monitor';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { ModelRegistry } from '../../constructs/training/model-registry';
import { ENV } from '../../lib/handlers/model-quality-monitor/contract';
import { findingLines, testStack } from '../support/nag';

type Fixture = { stack: Stack; props: ModelQualityMonitorProps; capture: SecureBucket; alerts: AlertTopic };

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
      groundTruthPrefix: 'ground-truth/churn/',
      problemType: 'binaryClassification',
      baseline: { f1: 0.8, auc: 0.9 },
      alerts,
      vpc: network.vpc,
      encryptionKey: logsKey,
    },
  };
}

function build(overrides: Partial<ModelQualityMonitorProps> = {}): {
  monitor: ModelQualityMonitor;
  t: Template;
  f: Fixture;
} {
  const f = fixture();
  const monitor = new ModelQualityMonitor(f.stack, 'Quality', { ...f.props, ...overrides });
  return { monitor, t: Template.fromStack(f.stack), f };
}

function errorOf(overrides: Partial<ModelQualityMonitorProps>): string {
  const f = fixture();
  try {
    new ModelQualityMonitor(f.stack, 'Quality', { ...f.props, ...overrides });
  } catch (e) {
    expect(f.stack.node.tryFindChild('Quality')?.node.children ?? []).toHaveLength(0);
    return (e as Error).message;
  }
  return '';
}

describe('ModelQualityMonitor', () => {
  it('passes every pack with default props, and for a regression model', () => {
    expect(findingLines(build().f.stack)).toEqual([]);
    expect(findingLines(build({ problemType: 'regression', baseline: { rmse: 3, mae: 2 } }).f.stack)).toEqual(
      [],
    );
  });

  it('runs the prebuilt model-quality-monitor bundle with its settings in the environment', () => {
    const { t } = build({ positiveLabel: 'churned', minSamples: 50 });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      Timeout: 600,
      Environment: {
        Variables: Match.objectLike({
          [ENV.endpointName]: 'churn',
          [ENV.variantName]: 'primary',
          [ENV.capturePrefix]: 'data-capture/churn/',
          [ENV.groundTruthPrefix]: 'ground-truth/churn/',
          [ENV.problemType]: 'binaryClassification',
          [ENV.positiveLabel]: 'churned',
          [ENV.classificationOutput]: 'probability',
          [ENV.probabilityThreshold]: '0.5',
          [ENV.windowMinutes]: '360',
          [ENV.maxLabelDelayMinutes]: '1440',
          [ENV.minSamples]: '50',
        }),
      },
    });
  });

  it('runs every 6 hours by default through EventBridge Scheduler, with the dead-letter queue', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 60 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });

  it('reads only the capture prefix of the variant and the ground-truth prefix, and writes nothing', () => {
    const { t } = build();
    const mine = Object.values(t.findResources('AWS::S3::BucketPolicy'))
      .flatMap(
        (r) =>
          (
            r as {
              Properties: {
                PolicyDocument: {
                  Statement: {
                    Action: unknown;
                    Resource: unknown;
                    Principal?: unknown;
                    Condition?: unknown;
                  }[];
                };
              };
            }
          ).Properties.PolicyDocument.Statement,
      )
      .filter((s) => JSON.stringify(s.Principal ?? '').includes('QualityFunctionRole'));
    const resources = mine.map((s) => JSON.stringify(s.Resource));
    expect(resources.some((r) => r.includes('/data-capture/churn/churn/primary/*'))).toBe(true);
    expect(resources.some((r) => r.includes('/ground-truth/churn/*'))).toBe(true);
    expect(JSON.stringify(mine.map((s) => s.Action))).not.toMatch(/PutObject|DeleteObject/);
    expect(
      mine.filter((s) => JSON.stringify(s.Action).includes('s3:ListBucket')).map((s) => s.Condition),
    ).toEqual([
      { StringLike: { 's3:prefix': ['data-capture/churn/churn/primary/*'] } },
      { StringLike: { 's3:prefix': ['ground-truth/churn/*'] } },
    ]);
  });

  it('lets the function publish metrics only in the ML/ModelQuality namespace', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^QualityFunctionRole') }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublishModelQualityMetrics',
            Effect: 'Allow',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'ML/ModelQuality' } },
          },
        ],
      },
    });
  });

  it('alarms on each baseline metric below baseline − maxDrop, ignoring periods without metrics', () => {
    const { t, monitor } = build({
      baseline: { accuracy: 0.85, f1: 0.8, auc: 0.9 },
      maxDrop: 0.1,
      alarmNamePrefix: 'churn-quality',
    });
    for (const [name, threshold] of [
      ['Accuracy', 0.75],
      ['F1', 0.7],
      ['AUC', 0.8],
    ] as const) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'ML/ModelQuality',
        MetricName: name,
        Dimensions: [{ Name: 'EndpointName', Value: 'churn' }],
        Threshold: threshold,
        ComparisonOperator: 'LessThanThreshold',
        Statistic: 'Minimum',
        Period: 21600,
        TreatMissingData: 'ignore',
        AlarmName: `churn-quality-${name.toLowerCase()}`,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
        OKActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
      });
    }
    expect(Object.keys(monitor.degradationAlarms)).toEqual(['accuracy', 'f1', 'auc']);
    // 3 degradation alarms, the analysis-error and the missing-run alarm.
    t.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AnalysisRuns',
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
    });
  });

  it('alarms on regression errors above baseline × (1 + maxIncrease)', () => {
    const { t } = build({ problemType: 'regression', baseline: { rmse: 2.5 }, maxIncrease: 0.2 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RMSE',
      Threshold: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      Statistic: 'Maximum',
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ [ENV.positiveLabel]: Match.absent(), [ENV.problemType]: 'regression' }),
      },
    });
  });

  it('alarms on multiclass accuracy and macro/weighted metrics below baseline − maxDrop, with no binary settings', () => {
    const { t, monitor, f } = build({
      problemType: 'multiclassClassification',
      baseline: { accuracy: 0.8, macroF1: 0.7, weightedPrecision: 0.75 },
      alarmNamePrefix: 'segment-quality',
    });
    for (const [name, threshold, alarmName] of [
      ['Accuracy', 0.75, 'segment-quality-accuracy'],
      ['MacroF1', 0.65, 'segment-quality-macroF1'],
      ['WeightedPrecision', 0.7, 'segment-quality-weightedPrecision'],
    ] as const) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: name,
        Threshold: threshold,
        ComparisonOperator: 'LessThanThreshold',
        Statistic: 'Minimum',
        AlarmName: alarmName,
      });
    }
    expect(Object.keys(monitor.degradationAlarms)).toEqual(['accuracy', 'macroF1', 'weightedPrecision']);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.problemType]: 'multiclassClassification',
          [ENV.positiveLabel]: Match.absent(),
          [ENV.classificationOutput]: Match.absent(),
        }),
      },
    });
    expect(findingLines(f.stack)).toEqual([]);
  });

  // Post-training metrics per facet: https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-post-training-bias.html
  // Alarm expressions (ABS, IF): https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
  it('publishes fairness per facet and alarms on |DPPL| > x and DI outside [x, 1/x], by retraining-pattern names', () => {
    const f0 = fixture();
    const monitor = new ModelQualityMonitor(f0.stack, 'Quality', {
      ...f0.props,
      fairnessFacets: ['gender=female', 'age:>=40'],
      fairnessGroup: 'region',
      requestColumns: ['age', 'tenure', 'region'],
      fairnessThresholds: { DPPL: 0.1, DI: 0.8 },
      alarmNamePrefix: 'churn-quality',
    });
    const f = f0;
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.fairness]: JSON.stringify({
            facets: ['gender=female', 'age:>=40'],
            metrics: ['DPPL', 'DI'],
            group: 'region',
            requestColumns: ['age', 'tenure', 'region'],
          }),
        }),
      },
    });
    const facetMetric = (metric: string, facet: string) =>
      Match.arrayWith([
        Match.objectLike({
          Id: 'm',
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'ML/ModelQuality',
              MetricName: metric,
              Dimensions: [
                { Name: 'EndpointName', Value: 'churn' },
                { Name: 'Facet', Value: facet },
              ],
            },
            Stat: 'Maximum',
          }),
          ReturnData: false,
        }),
      ]);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'churn-quality-DPPL-gender',
      Threshold: 0.1,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'ignore',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'ABS(m)', ReturnData: true })]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'churn-quality-DPPL-gender',
      Metrics: facetMetric('DPPL', 'gender=female'),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'churn-quality-DI-age',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(m < 0.8, 1, 0) + IF(m > 1.25, 1, 0)', ReturnData: true }),
      ]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'churn-quality-DI-age',
      Metrics: facetMetric('DI', 'age:>=40'),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
    });
    expect(monitor.fairnessAlarms).toHaveLength(4);
    // 2 degradation, 4 fairness, the analysis-error and the missing-run alarm.
    t.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    expect(
      ModelQualityMonitor.degradationEventPattern(
        'churn-quality',
        ['auc'],
        [{ metric: 'DPPL', column: 'gender' }],
      ).detail,
    ).toEqual({ alarmName: ['churn-quality-auc', 'churn-quality-DPPL-gender'], state: { value: ['ALARM'] } });
    expect(monitor.metricFairness('DI', 'age:>=40').dimensions).toEqual({
      EndpointName: 'churn',
      Facet: 'age:>=40',
    });
    expect(findingLines(f.stack)).toEqual([]);
  });

  // DescribeModelPackage returns ModelMetrics.ModelQuality.Statistics.S3Uri:
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
  it('takes the baselines from the registered package: alarms on the degradation, reads only that group and prefix', () => {
    const f = fixture();
    const artifacts = new SecureBucket(f.stack, 'Artifacts');
    const registry = ModelRegistry.fromModelPackageGroupName(f.stack, 'Registry', 'churn-model');
    const monitor = new ModelQualityMonitor(f.stack, 'Quality', {
      ...f.props,
      baseline: undefined,
      packageBaseline: {
        registry,
        modelVersion: 3,
        statisticsBucket: artifacts,
        statisticsPrefix: 'evaluation/churn-model/',
        metrics: ['auc', 'f1'],
      },
      maxDrop: 0.04,
      alarmNamePrefix: 'churn-quality',
    });
    const t = Template.fromStack(f.stack);
    for (const [m, name] of [
      ['auc', 'AUCDegradation'],
      ['f1', 'F1Degradation'],
    ] as const) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `churn-quality-${m}`,
        MetricName: name,
        Statistic: 'Maximum',
        Threshold: 0.04,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'ignore',
      });
    }
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'BaselineNotRead',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
    });
    expect(monitor.baselineAlarm).toBeDefined();
    const env = Object.values(t.findResources('AWS::Lambda::Function'))
      .map((r) => (r as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties)
      .find((p) => p.Environment?.Variables?.[ENV.packageBaseline] !== undefined)!.Environment!.Variables!;
    const resolved = JSON.stringify(f.stack.resolve(env[ENV.packageBaseline]));
    expect(resolved).toContain(':model-package/churn-model/3');
    expect(resolved).toContain('\\"statisticsPrefix\\":\\"evaluation/churn-model/\\"');
    const statements = [
      ...Object.values(t.findResources('AWS::IAM::Policy')),
      ...Object.values(t.findResources('AWS::IAM::ManagedPolicy')),
      // A SecureBucket of the same stack grants through its bucket policy.
      ...Object.values(t.findResources('AWS::S3::BucketPolicy')),
    ].flatMap(
      (r) =>
        (r as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties
          .PolicyDocument.Statement,
    );
    const describe = statements.filter((s) => [s.Action].flat().includes('sagemaker:DescribeModelPackage'));
    expect(describe).toHaveLength(1);
    // That one version, no wildcard.
    expect(JSON.stringify(describe[0].Resource)).toContain(':model-package/churn-model/3"');
    const reads = statements.filter((s) => JSON.stringify(s).includes('evaluation/churn-model/'));
    expect(JSON.stringify(reads.map((s) => s.Action))).toContain('s3:GetObject');
    expect(JSON.stringify(reads)).toContain('QualityFunctionRole');
    expect(JSON.stringify(reads.map((s) => s.Action))).not.toMatch(/PutObject|DeleteObject/);
    expect(findingLines(f.stack)).toEqual([]);
  });

  // Retraining as for drift: CloudWatch emits a "CloudWatch Alarm State Change" event on the default
  // bus for each state change, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
  it('retrains an unfair model like a degraded one: onDegradation matches the fairness alarms too', () => {
    const f = fixture();
    const monitor = new ModelQualityMonitor(f.stack, 'Quality', {
      ...f.props,
      fairnessFacets: ['gender=female'],
      fairnessThresholds: { DPPL: 0.1 },
    });
    monitor.onDegradation(new targets.SqsQueue(new sqs.Queue(f.stack, 'Retrain', { enforceSSL: true })));
    Template.fromStack(f.stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        resources: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityF1Alarm'), 'Arn'] },
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityAucAlarm'), 'Arn'] },
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityFairnessAlarmDPPLgender'), 'Arn'] },
        ],
      }),
    });
  });

  it('sends degradation alarm transitions to ALARM to the onDegradation targets through one rule', () => {
    const f = fixture();
    const monitor = new ModelQualityMonitor(f.stack, 'Quality', f.props);
    const queue = new sqs.Queue(f.stack, 'Retrain', { enforceSSL: true });
    const first = monitor.onDegradation(new targets.SqsQueue(queue));
    expect(monitor.onDegradation(new targets.SqsQueue(queue))).toBe(first);
    const t = Template.fromStack(f.stack);
    t.resourceCountIs('AWS::Events::Rule', 1);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityF1Alarm'), 'Arn'] },
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityAucAlarm'), 'Arn'] },
        ],
        detail: { state: { value: ['ALARM'] } },
      },
    });
  });

  it('matches exactly the named degradation alarms with degradationEventPattern, not the analysis alarms', () => {
    const pattern = ModelQualityMonitor.degradationEventPattern('churn-quality');
    expect(pattern.detail).toEqual({
      alarmName: [
        'churn-quality-accuracy',
        'churn-quality-precision',
        'churn-quality-recall',
        'churn-quality-f1',
        'churn-quality-auc',
        'churn-quality-macroPrecision',
        'churn-quality-macroRecall',
        'churn-quality-macroF1',
        'churn-quality-weightedPrecision',
        'churn-quality-weightedRecall',
        'churn-quality-weightedF1',
        'churn-quality-rmse',
        'churn-quality-mae',
      ],
      state: { value: ['ALARM'] },
    });
    expect(ModelQualityMonitor.degradationEventPattern('churn-quality', ['f1', 'auc']).detail).toEqual({
      alarmName: ['churn-quality-f1', 'churn-quality-auc'],
      state: { value: ['ALARM'] },
    });
    const { t } = build({ alarmNamePrefix: 'churn-quality' });
    const names = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map(
      (r) => (r as { Properties: { AlarmName?: string } }).Properties.AlarmName,
    );
    expect(names.filter((n) => n !== undefined).sort()).toEqual(['churn-quality-auc', 'churn-quality-f1']);
  });

  it('reads ground truth from another bucket, or an imported one through the role, prefix-scoped', () => {
    const f = fixture();
    const key = kms.Key.fromKeyArn(
      f.stack,
      'TheirKey',
      'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    const labels = SecureBucket.fromBucketAttributes(f.stack, 'Labels', {
      bucket: s3.Bucket.fromBucketName(f.stack, 'Theirs', 'team-labels'),
      encryptionKey: key,
    });
    new ModelQualityMonitor(f.stack, 'Quality', { ...f.props, groundTruthBucket: labels });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:ListBucket', 's3:GetBucketLocation'],
            Condition: { StringLike: { 's3:prefix': ['ground-truth/churn/*'] } },
          }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: key.keyArn }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.groundTruthBucket]: 'team-labels' }) },
    });
    expect(findingLines(f.stack)).toEqual([]);
  });

  describe('validation', () => {
    it('refuses a baseline without metrics, or with metrics of the other problem type', () => {
      expect(errorOf({ baseline: {} })).toBe(
        'Test/Quality: baseline: names no metric, so nothing could alarm on degradation (got {}; expected at least one of accuracy, precision, recall, f1, auc)',
      );
      expect(errorOf({ baseline: { f1: 0.8, rmse: 2 } })).toBe(
        'Test/Quality: baseline.rmse: is not a metric of binaryClassification models (got 2; expected one of accuracy, precision, recall, f1, auc)',
      );
    });

    it('refuses an AUC baseline or a probability threshold for a model that returns labels', () => {
      expect(errorOf({ classificationOutput: 'label', probabilityThreshold: 0.7 }).split('\n')).toEqual([
        "Test/Quality: baseline.auc: needs scores, and the model returns labels (got 0.9; expected no auc, or classificationOutput 'probability')",
        "Test/Quality: probabilityThreshold: needs scores, and the model returns labels (got 0.7; expected no probabilityThreshold, or classificationOutput 'probability')",
      ]);
    });

    it('refuses options of the other problem type', () => {
      expect(errorOf({ maxIncrease: 0.5 })).toBe(
        'Test/Quality: maxIncrease: does not apply to binaryClassification models (got 0.5; expected no maxIncrease)',
      );
      expect(
        errorOf({
          problemType: 'regression',
          baseline: { mae: 1 },
          positiveLabel: 'yes',
          maxDrop: 0.1,
        }).split('\n'),
      ).toEqual([
        'Test/Quality: positiveLabel: does not apply to regression models (got yes; expected no positiveLabel)',
        'Test/Quality: maxDrop: does not apply to regression models (got 0.1; expected no maxDrop)',
      ]);
    });

    it('refuses binary metrics and binary settings for a multiclass model', () => {
      expect(
        errorOf({
          problemType: 'multiclassClassification',
          baseline: { auc: 0.9, weightedF1: 0.7 },
          positiveLabel: 'cat',
        }).split('\n'),
      ).toEqual([
        'Test/Quality: baseline.auc: is not a metric of multiclassClassification models (got 0.9; expected one of accuracy, macroPrecision, macroRecall, macroF1, weightedPrecision, weightedRecall, weightedF1)',
        'Test/Quality: positiveLabel: does not apply to multiclassClassification models (got cat; expected no positiveLabel)',
      ]);
    });

    it('refuses fairness settings that could not work, each with its field', () => {
      expect(
        errorOf({
          fairnessFacets: ['gender', 'age:>=40', 'age:<20', 'bad col=1'],
          fairnessThresholds: { DI: 1.5, CDDPL: 0.1 },
          fairnessMetrics: ['DI', 'CDDPL'],
        }).split('\n'),
      ).toEqual([
        'Test/Quality: fairnessFacets.0: is not a facet with a sensitive group (got gender; expected column=value or column:>=number, the column of letters, digits and _ . - (at most 64))',
        'Test/Quality: fairnessFacets.2: repeats a facet column: its alarms and metrics would collide (got age:<20; expected one facet per column)',
        'Test/Quality: fairnessFacets.3: is not a facet with a sensitive group (got bad col=1; expected column=value or column:>=number, the column of letters, digits and _ . - (at most 64))',
        'Test/Quality: fairnessThresholds.DI: is a ratio bound: the alarm fires outside [x, 1/x] (got 1.5; expected a number in (0, 1], e.g. 0.8)',
        'Test/Quality: fairnessGroup: is needed for CDDPL, which conditions on a group attribute (got undefined; expected a request or ground-truth column, or no CDDPL)',
      ]);
      expect(errorOf({ fairnessThresholds: { DPPL: 0.1 } })).toBe(
        'Test/Quality: fairnessThresholds: applies to fairness facets, and none is given (got {"DPPL":0.1}; expected no fairnessThresholds, or fairnessFacets)',
      );
      expect(
        errorOf({ fairnessFacets: ['gender=f'], fairnessThresholds: { RD: 0.1 }, fairnessMetrics: ['DPPL'] }),
      ).toBe(
        'Test/Quality: fairnessThresholds.RD: names a metric that fairnessMetrics does not publish, so its alarm could never fire (got 0.1; expected one of DPPL, or RD in fairnessMetrics)',
      );
      expect(errorOf({ problemType: 'regression', baseline: { mae: 1 }, fairnessFacets: ['gender=f'] })).toBe(
        "Test/Quality: fairnessFacets: needs predicted and observed binary outcomes, and regression models have none (got gender=f; expected no fairnessFacets, or problemType 'binaryClassification')",
      );
    });

    it('refuses a package baseline given with a static one, or with metrics of the other problem type', () => {
      const f = fixture();
      const registry = ModelRegistry.fromModelPackageGroupName(f.stack, 'Registry', 'churn-model');
      let message = '';
      try {
        new ModelQualityMonitor(f.stack, 'Quality', {
          ...f.props,
          classificationOutput: 'label',
          packageBaseline: {
            registry,
            modelVersion: 1,
            statisticsBucket: f.capture,
            statisticsPrefix: 'evaluation/',
            metrics: ['auc', 'rmse'],
          },
        });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message.split('\n')).toEqual([
        'Test/Quality: baseline: is given with packageBaseline, which replaces it: one of them must go (got {"f1":0.8,"auc":0.9}; expected baseline or packageBaseline)',
        'Test/Quality: packageBaseline.metrics: rmse is not a metric of binaryClassification models (got rmse; expected one of accuracy, precision, recall, f1, auc)',
        "Test/Quality: packageBaseline.metrics: auc needs scores, and the model returns labels (got auc; expected no auc, or classificationOutput 'probability')",
      ]);
    });

    it('refuses a maxDrop that leaves no threshold', () => {
      expect(errorOf({ baseline: { recall: 0.04 } })).toBe(
        'Test/Quality: maxDrop: leaves no threshold for baseline.recall: the alarm could never fire (got 0.05; expected less than baseline.recall (0.04))',
      );
    });

    it('refuses out-of-range thresholds and prefixes with the field and the bound', () => {
      expect(errorOf({ baseline: { f1: 1.2 } })).toMatch(
        /^Test\/Quality: baseline.f1: is too large \(got 1.2; expected <= 1\)/m,
      );
      expect(errorOf({ maxDrop: 0 })).toMatch(/^Test\/Quality: maxDrop: is too small/m);
      expect(errorOf({ probabilityThreshold: 1 })).toMatch(
        /^Test\/Quality: probabilityThreshold: is too large/m,
      );
      expect(errorOf({ groundTruthPrefix: 'ground-truth' })).toMatch(/^Test\/Quality: groundTruthPrefix: /m);
      expect(errorOf({ groundTruthPrefix: '' })).toMatch(/^Test\/Quality: groundTruthPrefix: /m);
      expect(errorOf({ minSamples: 0 })).toMatch(/^Test\/Quality: minSamples: is too small/m);
    });

    it('refuses a window shorter than the schedule and a timeout that could overlap the next run, at once', () => {
      const lines = errorOf({
        schedule: scheduler.ScheduleExpression.rate(Duration.minutes(10)),
        window: Duration.minutes(5),
        timeout: Duration.minutes(9),
      }).split('\n');
      expect(lines.map((l) => l.split(':')[1]?.trim())).toEqual(['window', 'timeout']);
      expect(lines[0]).toBe(
        'Test/Quality: window: is shorter than the schedule, so labels between runs would never be evaluated (got Duration.minutes(5); expected at least the schedule (Duration.minutes(10)))',
      );
    });

    it('refuses a cron schedule', () => {
      expect(errorOf({ schedule: scheduler.ScheduleExpression.cron({ minute: '0' }) })).toMatch(
        /^Test\/Quality: schedule: must be a rate expression of 5 minutes to 12 hours/m,
      );
    });

    it('accepts tokens for the endpoint name and the prefixes', () => {
      const f = fixture();
      const name = f.capture.bucketName; // any token
      expect(
        () =>
          new ModelQualityMonitor(f.stack, 'Quality', {
            ...f.props,
            endpoint: { endpointName: name },
            groundTruthPrefix: `${name}/`,
          }),
      ).not.toThrow();
    });
  });
});
