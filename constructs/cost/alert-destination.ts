import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import { requireKeyServiceAccess } from '../encryption/service-access';
import type { IAlertDestination } from '../monitoring/alert-topic';

/**
 * The `alerts` prop of the cost constructs: any {@link IAlertDestination} (the platform's
 * `AlertTopic`, or `AlertTopic.fromTopic(topic)`).
 * @internal
 */
export const alertsRef = z.custom<IAlertDestination>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Partial<IAlertDestination>).notify === 'function' &&
    Construct.isConstruct((v as Partial<IAlertDestination>).topic),
  {
    params: { expected: 'an IAlertDestination (an AlertTopic, or AlertTopic.fromTopic(topic))' },
    message: 'is not an IAlertDestination',
  },
);

/**
 * CloudWatch alarms and AWS Budgets publish to the destination's topic only if its key lets them:
 * a domain key without the `AlertPublishers` statement is a validation error, an app `kms.Key`
 * gets it, an imported key is trusted. Without a known key there is nothing to check.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @internal
 */
export function requireAlertPublishers(scope: IConstruct, alerts: IAlertDestination): void {
  if (alerts.encryptionKey)
    requireKeyServiceAccess(scope, 'alerts.encryptionKey', alerts.encryptionKey, ['alert-publishers']);
}
