import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { AUDIT_IAM_ACTIONS } from '../../lib/audit/permissions';
import { AUDIT_CHECKS } from '../../lib/audit/rules';
import { ruleIdSets } from '../../lib/cli/commands/rules';
import { anchorKey } from '../../lib/policy/anchors';
import { ANCHOR_MAPPING, coverageRows } from '../../lib/policy/anchor-mapping';

// Issue 16: every anchor control covered or not applicable, and `audit` at least Prowler's coverage
// (Prowler is the live-account anchor).
describe('live coverage of the anchors', () => {
  const rows = coverageRows(ruleIdSets());
  const row = (key: string) => rows.find((r) => anchorKey(r.control) === key)!;

  test('no anchor control is a gap', () => {
    expect(rows.filter((r) => r.status === 'gap').map((r) => anchorKey(r.control))).toEqual([]);
  });

  test("the audit runs every rule of every Prowler control it covers: live coverage >= Prowler's", () => {
    const prowler = rows.filter((r) => r.control.anchor === 'Prowler');
    expect(prowler.filter((r) => r.status !== 'na' && !r.live).map((r) => r.control.id)).toEqual([]);
    expect(prowler.filter((r) => r.live)).toHaveLength(prowler.filter((r) => r.status === 'covered').length);
  });

  test.each([
    ['Prowler:iam_user_access_not_stale_to_sagemaker', 'Audit-IamUserStaleSageMakerAccess'],
    ['Checkov:CKV_AWS_372', 'Audit-FlowDefinitionOutputKMS'],
    ['Prowler:sagemaker_notebook_instance_no_secrets', 'MLOps-SageMakerLifecycleConfigNoSecrets'],
    ['Config:sagemaker-image-description', 'MLOps-SageMakerImageDescription'],
    ['SecurityHub:SageMaker.23', 'MLOps-SageMakerInferenceExperimentKMS'],
    ['SecurityHub:SageMaker.24', 'MLOps-SageMakerInferenceExperimentKMS'],
    ['Config:sagemaker-inf-experiment-data-storage-kms-encrypted', 'MLOps-SageMakerInferenceExperimentKMS'],
  ])('%s is covered by %s and live', (key, rule) => {
    expect(row(key)).toMatchObject({ status: 'covered', live: true, rules: [rule] });
  });

  test('the flow-definition control says why it is live only', () => {
    const entry = ANCHOR_MAPPING['Checkov:CKV_AWS_372'];
    expect('note' in entry && entry.note).toMatch(/no AWS::SageMaker::FlowDefinition resource type/);
  });

  // Tags are not returned by Describe*: the audit reads them with ListTags for images and app
  // image configs only, so only those tag controls are live.
  test.each([
    ['SecurityHub:SageMaker.6', true],
    ['SecurityHub:SageMaker.7', true],
    ['Config:sagemaker-app-image-config-tagged', true],
    ['Config:sagemaker-image-tagged', true],
    ['Config:sagemaker-domain-tagged', false],
    ['Config:sagemaker-feature-group-tagged', false],
  ])('tag control %s live: %s', (key, live) => {
    expect(row(key)).toMatchObject({ status: 'covered', live, rules: ['MLOps-SageMakerRequiredTags'] });
    if (!live) expect(row(key).reason).toMatch(/^not live: the audit reads tags \(ListTags\) of images/);
  });
});

describe('README audit section', () => {
  const readme = readFileSync('README.md', 'utf8');
  const tableRows = readme.split('\n').filter((l) => l.startsWith('  | `'));

  test('every check group has a row in the table of rules per check group', () => {
    expect(AUDIT_CHECKS.filter((c) => !tableRows.some((r) => r.split('|')[1].includes(`\`${c}\``)))).toEqual(
      [],
    );
  });

  test('names every IAM action outside SageMaker the audit needs', () => {
    const section = readme.slice(readme.indexOf('- `audit --region'));
    const named = AUDIT_IAM_ACTIONS.filter((a) => !a.startsWith('sagemaker:'));
    expect(named.filter((a) => !section.includes(`\`${a}\``))).toEqual([]);
  });
});
