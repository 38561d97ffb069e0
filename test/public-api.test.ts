import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ExtractorConfig } from '@microsoft/api-extractor';
import { describe, expect, it } from 'vitest';
import * as lib from '../constructs';
import * as validate from '../constructs/core/validate';
import * as encryption from '../constructs/encryption/domain-key';
import * as contracts from '../constructs/contracts';
import * as check from '../lib/check/api';
import * as policy from '../lib/policy';

const ROOT = path.join(__dirname, '..');

describe('public entry points', () => {
  it('compliant-mlops exports the constructs and the packs', () => {
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
    ]) {
      expect(typeof (lib as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('compliant-mlops leaves the checker and its report writers to compliant-mlops/check', () => {
    for (const name of [
      'checkPaths',
      'checkPathsInParallel',
      'exitCodeOf',
      'loadAcknowledgmentsFile',
      'writeReport',
      'writeSarif',
      'requireAlertPublishers',
    ]) {
      expect(name in lib, name).toBe(false);
    }
  });

  // Issue 14: `export *` of the construct modules leaked what the constructs share among themselves
  // (props validation, key-policy and tag bookkeeping, handler lookup, zod schemas, IAM action
  // lists): a user importing one would pin an internal, and every refactor would break them.
  it('compliant-mlops exports no construct internals', () => {
    const internals = [
      // core/validate and core/problems: the props-validation kernel
      'tokenOr',
      'childPath',
      'fieldOf',
      'constructRef',
      'refs',
      'describeValue',
      'problemsFromIssues',
      'validateProps',
      'validatePropsAt',
      'throwIfProblems',
      'durationBetween',
      'retentionDays',
      'literalList',
      // core/acknowledge, core/tags, core/secure-function: metadata and asset bookkeeping
      'ACKNOWLEDGMENT_METADATA_KEY',
      'ACKNOWLEDGMENT_TEMPLATE_KEY',
      'acknowledgedIds',
      'packOf',
      'markTaggedAtCreationOnly',
      'isTaggedAtCreationOnly',
      'missingTags',
      'findHandlerAsset',
      // encryption: key creation and key-policy statements behind the constructs
      'createDomainKey',
      'grantKey',
      'keyServiceStatements',
      'recordDomainKey',
      'requireKeyServiceAccess',
      'KEY_SERVICE_STATEMENT_IDS',
      // storage, monitoring, serving, cost
      'AccessLogBucket',
      'rateExpression',
      'CLOSER_SERVICE_TIMEOUT',
      'DEFAULT_SECURITY_GROUP_ACTIONS',
      'idleCheckScript',
      // training: the props schema, helpers, render helpers and IAM action lists
      'spotTrainingPipelineSchema',
      'isPinnedImageUri',
      'instanceFamily',
      'defaultRetryPolicies',
      'pipelineDefinition',
      'trainingPerms',
    ];
    const leaked = internals.filter((name) => name in lib);
    expect(leaked).toEqual([]);
    // The list names real exports of the construct modules, so the test fails if they leak again.
    expect(typeof validate.tokenOr).toBe('function');
    expect(typeof encryption.createDomainKey).toBe('function');
  });

  it('compliant-mlops still exports what the documented escape hatches need', () => {
    // DefaultSecurityGroupCloser on a VPC of your own needs the S3 gateway statement
    // (constructs/serving/README.md); studioIdleSettings for a Studio domain defined elsewhere
    // (constructs/cost/AUTO-SHUTDOWN.md); PropsValidationError to tell a props error apart.
    for (const name of ['customResourceResponseStatement', 'studioIdleSettings', 'PropsValidationError']) {
      expect(typeof (lib as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(lib.DATASET_VERSION_PARAMETER).toBe('DatasetVersion');
  });

  it('compliant-mlops/check exports the checker API and the report writers', () => {
    for (const name of [
      'checkPaths',
      'checkPathsInParallel',
      'exitCodeOf',
      'loadAcknowledgmentsFile',
      'writeReport',
    ]) {
      expect(typeof (check as Record<string, unknown>)[name], name).toBe('function');
    }
    expect('SecureBucket' in check).toBe(false);
  });

  it('compliant-mlops/policy exports the packs alone', () => {
    expect(typeof policy.MLOpsChecks).toBe('function');
    expect(policy.PLATFORM_PACKS).toContain('MLOps');
    expect('SecureBucket' in policy).toBe(false);
  });

  it('compliant-mlops/contracts exports FeatureContract and no construct', () => {
    expect(typeof contracts.FeatureContract.define).toBe('function');
    expect(typeof contracts.RecordValidationError).toBe('function');
    expect('SecureFeatureGroup' in contracts).toBe(false);
  });

  // `npm run api:check` (scripts/api-report.mjs) needs the build; this part holds without it.
  it('every package.json export has an API report config and a committed report in etc/', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { types: string }>;
    };
    const reports: string[] = [];
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target !== 'object') continue;
      const file = entry === '.' ? 'api-extractor.json' : `api-extractor.${entry.slice(2)}.json`;
      const config = ExtractorConfig.loadFile(path.join(ROOT, file));
      expect(config.mainEntryPointFilePath, file).toBe(`<projectFolder>/${target.types.slice(2)}`);
      expect(config.apiReport?.enabled, file).toBe(true);
      const report = config.apiReport?.reportFileName ?? '';
      expect(existsSync(path.join(ROOT, 'etc', report)), `etc/${report}`).toBe(true);
      reports.push(report);
    }
    expect(readdirSync(path.join(ROOT, 'etc')).sort()).toEqual(reports.sort());
  });

  it('every package.json export is built from a source file, with its declarations', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { types: string; default: string }>;
    };
    const entries = Object.entries(pkg.exports).filter(
      (e): e is [string, { types: string; default: string }] => typeof e[1] === 'object',
    );
    expect(entries.map(([k]) => k).sort()).toEqual(['.', './check', './contracts', './fairness', './policy']);
    for (const [name, { types, default: js }] of entries) {
      const source = js.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts');
      expect(existsSync(path.join(ROOT, source)), `${name}: ${source}`).toBe(true);
      expect(types, name).toBe(js.replace(/\.js$/, '.d.ts'));
    }
  });
});
