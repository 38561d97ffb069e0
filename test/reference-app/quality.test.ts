import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { ModelQualityMonitor } from '../../constructs/monitoring/model-quality-monitor';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { addQualityMonitor, REGISTERED_CHURN_METRICS } from '../../examples/reference-app/quality';
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

describe('addQualityMonitor', () => {
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
