import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import { CfnFeatureGroup, CfnModel, CfnNotebookInstanceLifecycleConfig } from 'aws-cdk-lib/aws-sagemaker';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { judged, PINNED_IMAGE, ROLE_ARN } from '../fixtures';

const rule = 'SageMakerRequiredTags';
const INFO = 'The SageMaker resource lacks a required cost-allocation tag.';
const props = { requiredTagKeys: ['owner'] };
const OWNER = { Key: 'owner', Value: 'ml-platform' };

// Issue 15 leftover: the tag rules read the tag manager's literal values, so a Tags list behind
// Fn::If, or one tag whose Value is an Fn::If, was either taken as missing in every scenario or
// made the rule throw. CloudFormation creates the tags of the branch the condition takes
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-if),
// so each branch is judged and a failing one names its condition.
describe('MLOps-SageMakerRequiredTags: tags behind Fn::If, in a template checked with CfnInclude', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tags-if-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Judges one resource of the given type whose Tags property is `tags`. */
  function judgeTemplate(type: string, properties: object, tags: unknown, keys = props): string[] {
    const file = path.join(dir, `t${Math.random()}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
        Resources: { R: { Type: type, Properties: { ...properties, Tags: tags } } },
      }),
    );
    const stack = new Stack(new App(), 'S');
    new CfnInclude(stack, 'T', { templateFile: file });
    return judged(stack, rule, keys);
  }
  const MODEL = [
    'AWS::SageMaker::Model',
    { ExecutionRoleArn: ROLE_ARN, PrimaryContainer: { Image: PINNED_IMAGE } },
  ] as const;
  const LCC = [
    'AWS::SageMaker::NotebookInstanceLifecycleConfig',
    { OnStart: [{ Content: 'ZWNobw==' }] },
  ] as const;

  for (const [type, properties] of [MODEL, LCC]) {
    const kind = type.split('::')[2];
    it(`${kind}: a Tags list behind Fn::If names the condition of the branch without the tag`, () => {
      expect(
        judgeTemplate(type, properties, { 'Fn::If': ['IsProd', [OWNER], { Ref: 'AWS::NoValue' }] }),
      ).toEqual([`MLOps-${rule}[owner]: when condition IsProd is false: ${INFO}`]);
    });
    it(`${kind}: a tag Value behind Fn::If names the condition of the empty branch`, () => {
      expect(
        judgeTemplate(type, properties, [
          { Key: 'owner', Value: { 'Fn::If': ['IsProd', 'ml-platform', ''] } },
        ]),
      ).toEqual([`MLOps-${rule}[owner]: when condition IsProd is false: ${INFO}`]);
    });
    it(`${kind}: both branches tagged gives no finding`, () => {
      expect(
        judgeTemplate(type, properties, {
          'Fn::If': ['IsProd', [OWNER], [{ Key: 'owner', Value: 'data-science' }]],
        }),
      ).toEqual([]);
    });
  }
});

describe('MLOps-SageMakerRequiredTags and data-classification: tags behind Fn::If on L1 resources', () => {
  it('a tag whose value is an Fn::If is judged per branch (ITaggable L1)', () => {
    const stack = new Stack();
    new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(Fn.ref('AWS::Region'), 'eu-west-1') });
    new CfnModel(stack, 'Model', {
      executionRoleArn: ROLE_ARN,
      primaryContainer: { image: PINNED_IMAGE },
      tags: [{ key: 'owner', value: Fn.conditionIf('IsProd', 'ml-platform', '').toString() }],
    });
    expect(judged(stack, rule, props)).toEqual([
      `MLOps-${rule}[owner]: when condition IsProd is false: ${INFO}`,
    ]);
  });
  it('a tag whose value is an Fn::If is judged per branch (ITaggableV2 L1)', () => {
    const stack = new Stack();
    new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(Fn.ref('AWS::Region'), 'eu-west-1') });
    new CfnNotebookInstanceLifecycleConfig(stack, 'Lcc', {
      onStart: [{ content: 'ZWNobw==' }],
      tags: [{ key: 'owner', value: Fn.conditionIf('IsProd', '', 'ml-platform').toString() }],
    });
    expect(judged(stack, rule, props)).toEqual([
      `MLOps-${rule}[owner]: when condition IsProd is true: ${INFO}`,
    ]);
  });
  it('a tag whose value is a reference (always a value) counts as set', () => {
    const stack = new Stack();
    new CfnModel(stack, 'Model', {
      executionRoleArn: ROLE_ARN,
      primaryContainer: { image: PINNED_IMAGE },
      tags: [{ key: 'owner', value: Fn.ref('AWS::StackName') }],
    });
    expect(judged(stack, rule, props)).toEqual([]);
  });
  it('MLOps-SageMakerFeatureGroupDataClassification judges a data-classification tag behind Fn::If per branch', () => {
    const stack = new Stack();
    new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(Fn.ref('AWS::Region'), 'eu-west-1') });
    new CfnFeatureGroup(stack, 'Group', {
      featureGroupName: 'g',
      recordIdentifierFeatureName: 'id',
      eventTimeFeatureName: 't',
      featureDefinitions: [
        { featureName: 'id', featureType: 'String' },
        { featureName: 't', featureType: 'String' },
      ],
      tags: [{ key: 'data-classification', value: Fn.conditionIf('IsProd', 'confidential', '').toString() }],
    });
    expect(judged(stack, 'SageMakerFeatureGroupDataClassification')).toEqual([
      'MLOps-SageMakerFeatureGroupDataClassification: when condition IsProd is false: The SageMaker feature group has no data-classification tag.',
    ]);
  });
});
