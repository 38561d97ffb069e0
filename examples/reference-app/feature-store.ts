import { FeatureContract } from '../../constructs/feature-store/feature-contract';
import { SecureFeatureGroup } from '../../constructs/feature-store/secure-feature-group';
import { PlatformStack } from './platform-stack';

/**
 * The reference platform's demo feature contract: churn signals per customer, with one `pii`
 * feature so the restricted feature group shows.
 */
export const CUSTOMER_CHURN_CONTRACT = FeatureContract.define({
  domain: 'marketing',
  name: 'customer-churn',
  version: '1.0.0',
  description: 'Churn signals per customer, refreshed daily by the churn feature pipeline',
  owner: 'churn-analytics',
  classification: 'confidential',
  recordIdentifier: 'customer_id',
  eventTime: 'event_time',
  features: [
    { name: 'customer_id', type: 'String', description: 'Pseudonymous customer key (not the CRM id)' },
    { name: 'event_time', type: 'String', description: 'When the features were computed, ISO 8601 UTC' },
    { name: 'tenure_months', type: 'Integral', description: 'Whole months since the customer signed up' },
    {
      name: 'monthly_spend_eur',
      type: 'Fractional',
      description: 'Average monthly spend over the last 90 days, EUR',
    },
    {
      name: 'support_tickets_90d',
      type: 'Integral',
      description: 'Support tickets opened in the last 90 days',
    },
    { name: 'plan', type: 'String', description: 'Current subscription plan', required: false },
    {
      name: 'email',
      type: 'String',
      description: 'Contact e-mail, for retention campaigns only',
      pii: 'pii',
    },
  ],
});

/**
 * Adds the demo feature store to the platform stack: the customer-churn contract's feature groups
 * (standard and restricted), encrypted with the platform's `data` key, offline store in the
 * stack's datasets bucket under `feature-store/`, freshness alarms to the platform alert topic.
 */
export function addFeatureStore(stack: PlatformStack): SecureFeatureGroup {
  return new SecureFeatureGroup(stack, 'CustomerChurnFeatures', {
    contract: CUSTOMER_CHURN_CONTRACT,
    alerts: stack.alerts,
    encryptionKey: stack.keys.data,
    offlineStoreBucket: stack.datasets.secureBucket,
    offlineStorePrefix: 'feature-store/',
  });
}
