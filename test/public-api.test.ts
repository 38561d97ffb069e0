import { describe, expect, it } from 'vitest';
import * as lib from '../constructs';
import * as policy from '../lib/policy';

describe('public entry points', () => {
  it('compliant-mlops exports the constructs, the packs and the checker API', () => {
    for (const name of [
      'EncryptionKeys',
      'SecureBucket',
      'TieredDatasetBucket',
      'SecureFeatureGroup',
      'FeatureContract',
      'SpotTrainingPipeline',
      'ModelRegistry',
      'IsolatedEndpoint',
      'InferenceApi',
      'InferenceNetwork',
      'DriftMonitor',
      'AuditTrail',
      'AutoShutdown',
      'CostGuardrails',
      'AlertTopic',
      'RequiredTags',
      'acknowledge',
      'MLOpsChecks',
      'createPacks',
      'checkPaths',
      'checkPathsInParallel',
      'writeReport',
    ]) {
      expect(typeof (lib as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('compliant-mlops/policy exports the packs alone', () => {
    expect(typeof policy.MLOpsChecks).toBe('function');
    expect(policy.PLATFORM_PACKS).toContain('MLOps');
    expect('SecureBucket' in policy).toBe(false);
  });
});
