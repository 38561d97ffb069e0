import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkPaths } from '../../lib/check/api';

// The same evaluation in `check` (templates loaded with CfnInclude): the corpus pins which rule
// fires on which resource; these pin that the message names the failing branch or value.
const cwd = join(__dirname, '..', '..');

function lines(fixture: string, rule: string): string[] {
  const report = checkPaths([`test/fixtures/corpus/${fixture}`], {
    cwd,
    packs: ['MLOps'],
    today: '2026-06-01',
  });
  expect(report.errors).toEqual([]);
  return report.findings
    .filter((f) => f.ruleId === `MLOps-${rule}`)
    .map((f) => `${f.findingId} @ ${f.logicalId}: ${f.message}`);
}

describe('check names the parameter value or condition of a failing case', () => {
  test('AllowedPattern: a pattern admitting only true passes, one admitting false names it', () => {
    expect(lines('model-parameter-pattern.yaml', 'SageMakerModelNetworkIsolation')).toEqual([
      'MLOps-SageMakerModelNetworkIsolation @ LegacyModel: when parameter LegacyIsolation is "false": The SageMaker model does not enable network isolation.',
    ]);
  });
  test('tags behind Fn::If: the branch without a tag is named, per key and resource', () => {
    const found = lines('tags-if.yaml', 'SageMakerRequiredTags');
    const dev = 'when condition IsProd is false (parameter Stage is "dev"): ';
    expect(found).toContain(
      `MLOps-SageMakerRequiredTags[owner] @ Model: ${dev}The SageMaker resource lacks a required cost-allocation tag.`,
    );
    expect(found).toContain(
      `MLOps-SageMakerRequiredTags[owner] @ Image: ${dev}The SageMaker resource lacks a required cost-allocation tag.`,
    );
    expect(found.filter((l) => l.includes('@ Image'))).toHaveLength(1);
    // The app image config's missing keys are missing in every scenario: no prefix.
    expect(found.filter((l) => l.includes('@ AppImageConfig'))).toEqual([
      'MLOps-SageMakerRequiredTags[cost-center] @ AppImageConfig: The SageMaker resource lacks a required cost-allocation tag.',
      'MLOps-SageMakerRequiredTags[data-classification] @ AppImageConfig: The SageMaker resource lacks a required cost-allocation tag.',
      'MLOps-SageMakerRequiredTags[environment] @ AppImageConfig: The SageMaker resource lacks a required cost-allocation tag.',
    ]);
  });
  test('a shadow variant on local NVMe storage is named for the key AWS rejects; its single instance is not reported', () => {
    expect(lines('endpoint-config-shadow.yaml', 'SageMakerVolumeKmsOnInstanceStorage')).toEqual([
      'MLOps-SageMakerVolumeKmsOnInstanceStorage[Shadow.KmsKeyId] @ EndpointConfig: A SageMaker volume KMS key is set for an instance type with local NVMe storage: AWS rejects this request.',
    ]);
    expect(lines('endpoint-config-shadow.yaml', 'SageMakerEndpointConfigInstanceCount')).toEqual([]);
  });
});
