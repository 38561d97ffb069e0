import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { MLOpsChecks } from '../../../lib/policy/mlops-checks';

// Regression: resources with the newer tag manager (ITaggableV2) loaded from a template keep their
// Tags in the L1 property, not in the tag manager; the rule must read them (found by `check cdk.out`).
describe('SageMakerRequiredTags on an included template', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tags-included-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function ruleNames(tags: { Key: string; Value: string }[] | undefined): string[] {
    const file = path.join(dir, `t${Math.random()}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        Resources: {
          Lcc: {
            Type: 'AWS::SageMaker::NotebookInstanceLifecycleConfig',
            Properties: { OnStart: [{ Content: 'ZWNobw==' }], ...(tags ? { Tags: tags } : {}) },
          },
        },
      }),
    );
    const stack = new Stack(new App(), 'S');
    new CfnInclude(stack, 'T', { templateFile: file });
    return new MLOpsChecks(undefined, { requiredTagKeys: ['owner', 'cost-center'] })
      .validateScope(stack)
      .violations.map((v) => v.ruleName);
  }

  it('reads tags written in the template', () => {
    expect(
      ruleNames([
        { Key: 'owner', Value: 'a' },
        { Key: 'cost-center', Value: 'b' },
      ]),
    ).not.toContain('MLOps-SageMakerRequiredTags[owner]');
  });

  it('still reports each missing key', () => {
    expect(ruleNames([{ Key: 'owner', Value: 'a' }])).toContain('MLOps-SageMakerRequiredTags[cost-center]');
    expect(ruleNames(undefined)).toEqual(
      expect.arrayContaining([
        'MLOps-SageMakerRequiredTags[owner]',
        'MLOps-SageMakerRequiredTags[cost-center]',
      ]),
    );
  });
});
