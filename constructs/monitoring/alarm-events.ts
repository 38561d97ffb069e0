import type * as events from 'aws-cdk-lib/aws-events';

/**
 * The EventBridge pattern of CloudWatch alarms entering ALARM: the `CloudWatch Alarm State Change`
 * event CloudWatch sends on the default bus, matched by alarm ARN (a rule next to the alarms) or
 * by alarm name (a rule where the alarms are out of reach). The drift and quality monitors'
 * retraining triggers both use it.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 */
export function alarmEntersAlarmPattern(
  alarms: { readonly arns: readonly string[] } | { readonly names: readonly string[] },
): events.EventPattern {
  const head = { source: ['aws.cloudwatch'], detailType: ['CloudWatch Alarm State Change'] };
  return 'arns' in alarms
    ? { ...head, resources: [...alarms.arns], detail: { state: { value: ['ALARM'] } } }
    : { ...head, detail: { alarmName: [...alarms.names], state: { value: ['ALARM'] } } };
}
