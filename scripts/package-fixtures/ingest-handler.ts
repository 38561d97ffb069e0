// An ingestion Lambda as a consumer writes it: the contract from `compliant-mlops/contracts`, which
// must bundle without aws-cdk-lib (scripts/test-package.sh checks the size and the contents).
import { FeatureContract, RecordValidationError } from 'compliant-mlops/contracts';

const contract = FeatureContract.define({
  domain: 'marketing',
  name: 'customer-churn',
  version: '1.0.0',
  description: 'Churn signals per customer',
  owner: 'churn-analytics',
  recordIdentifier: 'customer_id',
  eventTime: 'event_time',
  features: [
    { name: 'customer_id', type: 'String', description: 'Pseudonymous customer key' },
    { name: 'event_time', type: 'String', description: 'When the features were computed' },
    { name: 'tenure_months', type: 'Integral', description: 'Months since sign-up' },
    { name: 'email', type: 'String', description: 'Contact e-mail', pii: 'pii' },
  ],
});

/** Returns the PutRecord inputs of a good record, or the problems of a bad one. */
export const handler = async (event: unknown) => {
  try {
    return contract.toPutRecordInputs(event).map((i) => i.FeatureGroupName);
  } catch (e) {
    if (e instanceof RecordValidationError) return e.problems.map((p) => p.field);
    throw e;
  }
};
