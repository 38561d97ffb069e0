import { expect, it } from 'vitest';
import * as featureStore from '../../constructs/feature-store';

it('exports the feature store runtime API and nothing internal', () => {
  expect(Object.keys(featureStore).sort()).toEqual([
    'ABSOLUTE_MAX_ACCESS_WINDOW',
    'DEFAULT_FRESHNESS_WINDOW',
    'DEFAULT_MAX_ACCESS_WINDOW',
    'FEATURE_TYPES',
    'FeatureContract',
    'RESERVED_FEATURE_NAMES',
    'RISK_TIERS',
    'RecordValidationError',
    'RestrictedFeatureGroup',
    'SecureFeatureGroup',
  ]);
});
