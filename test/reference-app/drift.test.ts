import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { DriftMonitor } from '../../constructs/monitoring/drift-monitor';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { addDriftMonitor } from '../../examples/reference-app/drift';
import { findingLines, testStack } from '../support/nag';

function build() {
  const stack = testStack('Serving');
  const keys = new EncryptionKeys(stack, 'Keys');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
  const models = new SecureBucket(stack, 'Models', { encryptionKey: keys.models });
  const monitor = addDriftMonitor(stack, {
    endpointName: 'churn',
    captureBucket: models,
    capturePrefix: 'data-capture/churn/',
    alerts,
    vpc: network.vpc,
    encryptionKey: keys.logs,
  });
  return { stack, monitor };
}

describe('addDriftMonitor', () => {
  it('adds a drift monitor that passes every pack in a stack with a SecureBucket and an InferenceNetwork', () => {
    const { stack, monitor } = build();
    expect(monitor).toBeInstanceOf(DriftMonitor);
    expect(monitor.node.path).toBe('Serving/DriftMonitor');
    expect(findingLines(stack)).toEqual([]);
  });

  it('reads the default baseline key and analyses hourly', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    const fn = Object.values(t.findResources('AWS::Lambda::Function')).find((r) =>
      JSON.stringify(r).includes('DRIFT_BASELINE_KEY'),
    ) as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    expect(fn.Properties.Environment.Variables.DRIFT_BASELINE_KEY).toBe(
      'drift-baselines/churn/baseline.json',
    );
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });
});
