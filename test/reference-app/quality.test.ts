import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { ModelQualityMonitor } from '../../constructs/monitoring/model-quality-monitor';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import {
  addQualityMonitor,
  CHURN_FAIRNESS_ALARMS,
  REGISTERED_CHURN_METRICS,
} from '../../examples/reference-app/quality';
import { findingLines, testStack } from '../support/nag';

function build() {
  const stack = testStack('Serving');
  const keys = new EncryptionKeys(stack, 'Keys');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
  const models = new SecureBucket(stack, 'Models', { encryptionKey: keys.models });
  const monitor = addQualityMonitor(stack, {
    endpointName: 'churn',
    captureBucket: models,
    capturePrefix: 'data-capture/churn/',
    alerts,
    vpc: network.vpc,
    encryptionKey: keys.logs,
    alarmNamePrefix: 'churn-quality',
  });
  return { stack, monitor };
}

function buildRegistered() {
  const stack = testStack('Serving');
  const keys = new EncryptionKeys(stack, 'Keys');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
  const models = new SecureBucket(stack, 'Models', { encryptionKey: keys.models });
  const artifacts = new SecureBucket(stack, 'Artifacts', { encryptionKey: keys.models });
  const monitor = addQualityMonitor(stack, {
    endpointName: 'churn',
    captureBucket: models,
    capturePrefix: 'data-capture/churn/',
    alerts,
    vpc: network.vpc,
    encryptionKey: keys.logs,
    alarmNamePrefix: 'churn-quality',
    registeredVersion: { modelVersion: 1, artifactsBucket: artifacts },
  });
  return { stack, monitor };
}

describe('addQualityMonitor', () => {
  it('alarms on AUC degradation against the served version’s registered statistics, and on the fairness of gender and age', () => {
    const { stack, monitor } = buildRegistered();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'churn-quality-auc',
      MetricName: 'AUCDegradation',
      Threshold: 0.05,
    });
    expect(monitor.baselineAlarm).toBeDefined();
    for (const name of [
      'churn-quality-DPPL-gender',
      'churn-quality-DI-gender',
      'churn-quality-DPPL-age',
      'churn-quality-DI-age',
    ])
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: name });
    // The platform's retraining rule matches the same names.
    expect(
      ModelQualityMonitor.degradationEventPattern(
        'churn-quality',
        REGISTERED_CHURN_METRICS,
        CHURN_FAIRNESS_ALARMS,
      ).detail?.alarmName,
    ).toEqual([
      'churn-quality-auc',
      'churn-quality-DPPL-gender',
      'churn-quality-DI-gender',
      'churn-quality-DPPL-age',
      'churn-quality-DI-age',
    ]);
    expect(findingLines(stack)).toEqual([]);
  });

  it('adds a quality monitor that passes every pack in a stack with a SecureBucket and an InferenceNetwork', () => {
    const { stack, monitor } = build();
    expect(monitor).toBeInstanceOf(ModelQualityMonitor);
    expect(monitor.node.path).toBe('Serving/QualityMonitor');
    expect(findingLines(stack)).toEqual([]);
  });

  it('alarms when AUC falls below the registration gate (0.75) minus the default drop, by a name the retraining rule matches', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'churn-quality-auc',
      MetricName: 'AUC',
      Threshold: 0.7,
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(
      ModelQualityMonitor.degradationEventPattern('churn-quality', REGISTERED_CHURN_METRICS).detail,
    ).toEqual({
      alarmName: ['churn-quality-auc'],
      state: { value: ['ALARM'] },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          QUALITY_GROUND_TRUTH_PREFIX: 'ground-truth/churn/',
          QUALITY_PROBLEM_TYPE: 'binaryClassification',
        },
      },
    });
  });
});
