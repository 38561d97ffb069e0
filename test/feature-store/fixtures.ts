import {
  FeatureContract,
  FeatureContractSpec,
  FeatureSpec,
} from '../../constructs/feature-store/feature-contract';

/** A churn contract with one pii feature, so the restricted split shows. */
export function churnSpec(
  overrides: Partial<FeatureContractSpec> = {},
  extra: FeatureSpec[] = [],
): FeatureContractSpec {
  return {
    domain: 'marketing',
    name: 'customer-churn',
    version: '1.0.0',
    description: 'Churn signals per customer',
    owner: 'churn-team',
    recordIdentifier: 'customer_id',
    eventTime: 'event_time',
    features: [
      { name: 'customer_id', type: 'String', description: 'Pseudonymous customer key' },
      { name: 'event_time', type: 'String', description: 'When the features were computed' },
      { name: 'tenure_months', type: 'Integral', description: 'Months since sign-up' },
      { name: 'monthly_spend', type: 'Fractional', description: 'Average monthly spend in EUR' },
      { name: 'email', type: 'String', description: 'Contact e-mail', pii: 'pii' },
      ...extra,
    ],
    ...overrides,
  };
}

export function churn(
  overrides: Partial<FeatureContractSpec> = {},
  extra: FeatureSpec[] = [],
): FeatureContract {
  return FeatureContract.define(churnSpec(overrides, extra));
}

/** The churn contract without personal features. */
export function plainContract(): FeatureContract {
  const spec = churnSpec();
  return FeatureContract.define({ ...spec, features: spec.features.filter((f) => f.name !== 'email') });
}
