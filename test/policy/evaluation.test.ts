import { CfnCondition, CfnMapping, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { CfnEndpointConfig, CfnModel, CfnModelProps } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { explore, MAX_SCENARIOS, resolved, simplify } from '../../lib/policy/rule-helpers';
import { judged, PINNED_IMAGE, ROLE_ARN, VPC } from './fixtures';

const ISOLATION = 'The SageMaker model does not enable network isolation.';
const base: CfnModelProps = {
  executionRoleArn: ROLE_ARN,
  vpcConfig: { subnets: VPC.Subnets, securityGroupIds: VPC.SecurityGroupIds },
  primaryContainer: { image: PINNED_IMAGE },
};

function model(stack: Stack, enableNetworkIsolation: unknown): void {
  new CfnModel(stack, 'Model', { ...base, enableNetworkIsolation: enableNetworkIsolation as boolean });
}

describe('scenario evaluation at synth (L1 parameters, conditions, mappings)', () => {
  it('names the condition, and the parameter value that decides it, of a failing branch', () => {
    const stack = new Stack();
    const env = new CfnParameter(stack, 'Env', { allowedValues: ['dev', 'prod'], default: 'dev' });
    new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(env.valueAsString, 'prod') });
    model(stack, Fn.conditionIf('IsProd', true, false));
    expect(judged(stack, 'SageMakerModelNetworkIsolation')).toEqual([
      `MLOps-SageMakerModelNetworkIsolation: when condition IsProd is false (parameter Env is "dev"): ${ISOLATION}`,
    ]);
  });
  it('resolves Fn::FindInMap with literal keys', () => {
    const stack = new Stack();
    new CfnMapping(stack, 'Iso', { mapping: { prod: { On: true }, dev: { On: false } } });
    model(stack, Fn.findInMap('Iso', 'prod', 'On'));
    expect(judged(stack, 'SageMakerModelNetworkIsolation')).toEqual([]);
    const other = new Stack();
    new CfnMapping(other, 'Iso', { mapping: { prod: { On: true }, dev: { On: false } } });
    model(other, Fn.findInMap('Iso', 'dev', 'On'));
    expect(judged(other, 'SageMakerModelNetworkIsolation')).toEqual([
      `MLOps-SageMakerModelNetworkIsolation: ${ISOLATION}`,
    ]);
  });
  it('judges a Number parameter at its bounds: MinValue 2 admits no single-instance variant, MinValue 1 does', () => {
    const stack = new Stack();
    const safe = new CfnParameter(stack, 'Safe', { type: 'Number', minValue: 2, default: 3 });
    const risky = new CfnParameter(stack, 'Risky', { type: 'Number', minValue: 1, maxValue: 4 });
    new CfnEndpointConfig(stack, 'Config', {
      productionVariants: [
        {
          variantName: 'a',
          modelName: 'm',
          instanceType: 'ml.m5.xlarge',
          initialInstanceCount: safe.valueAsNumber,
        },
        {
          variantName: 'b',
          modelName: 'm',
          instanceType: 'ml.m5.xlarge',
          initialInstanceCount: risky.valueAsNumber,
        },
      ],
    });
    expect(judged(stack, 'SageMakerEndpointConfigInstanceCount')).toEqual([
      'MLOps-SageMakerEndpointConfigInstanceCount[b]: when parameter Risky is 1: A SageMaker production variant starts with fewer than 2 instances.',
    ]);
  });
  it('judges an unconstrained parameter at its default, and says it cannot judge any other value', () => {
    const stack = new Stack();
    const p = new CfnParameter(stack, 'Isolate', { default: 'true' });
    model(stack, p.valueAsString);
    const [only, ...rest] = judged(stack, 'SageMakerModelNetworkIsolation');
    expect(rest).toEqual([]);
    expect(only).toMatch(
      /^MLOps-SageMakerModelNetworkIsolation: Rule threw an error during validation\. When parameter Isolate is another value than its default: /,
    );
    const noDefault = new Stack();
    model(noDefault, new CfnParameter(noDefault, 'Isolate').valueAsString);
    expect(judged(noDefault, 'SageMakerModelNetworkIsolation')[0]).toMatch(
      /^MLOps-SageMakerModelNetworkIsolation: Rule threw an error during validation\. EnableNetworkIsolation is \{"Ref":"Isolate"\}/,
    );
  });
  it('reports a rule it cannot judge in every combination instead of running without end', () => {
    const stack = new Stack();
    const params = Array.from(
      { length: 7 },
      (_, i) => new CfnParameter(stack, `P${i}`, { allowedValues: ['a', 'b'] }),
    );
    const node = new CfnModel(stack, 'Model', {
      ...base,
      modelName: Fn.join(
        '-',
        params.map((p) => p.valueAsString),
      ),
    });
    const runs = explore(() => resolved(node, node.modelName));
    expect(runs).toHaveLength(MAX_SCENARIOS + 1);
    const last = runs[runs.length - 1].outcome;
    expect('error' in last && last.error.message).toMatch(/more than 64 combinations/);
  });
  it('leaves out of a message the choices that do not change the outcome', () => {
    const a1 = [
      ['p:A', 'A is 1'],
      ['p:B', 'B is x'],
    ] as const;
    const a2 = [
      ['p:A', 'A is 1'],
      ['p:B', 'B is y'],
    ] as const;
    const b1 = [
      ['p:A', 'A is 2'],
      ['p:B', 'B is x'],
    ] as const;
    const b2 = [
      ['p:A', 'A is 2'],
      ['p:B', 'B is y'],
    ] as const;
    expect(simplify([a1, a2], [a1, a2, b1, b2])).toEqual([[['p:A', 'A is 1']]]);
    expect(simplify([a1, a2, b1, b2], [a1, a2, b1, b2])).toEqual([[]]);
    expect(simplify([a1], [a1, a2, b1, b2])).toEqual([a1]);
  });
});

// Issue 15 leftover: a condition decided by a parameter that has a Default but no AllowedValues
// is false at the default and free for any other value. A finding in its false branch holds in
// two scenarios (the default, and another value with the condition false) but not in a third,
// so it must keep the "when ..." prefix; the merge of scenarios dropped it, for granular
// findings (per variant) as for the rule's own id.
describe('a finding in one branch of Fn::If keeps its "when" prefix', () => {
  const COUNT = 'A SageMaker production variant starts with fewer than 2 instances.';
  const WHEN_FALSE =
    'when condition IsProd is false (parameter Env is "dev" (its default)), or when parameter Env is another value than its default and condition IsProd is false: ';
  function withCondition(stack: Stack): void {
    const env = new CfnParameter(stack, 'Env', { default: 'dev' });
    new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(env.valueAsString, 'prod') });
  }
  it('on a granular finding (one variant)', () => {
    const stack = new Stack();
    withCondition(stack);
    new CfnEndpointConfig(stack, 'Config', {
      productionVariants: [
        {
          variantName: 'a',
          modelName: 'm',
          instanceType: 'ml.m5.xlarge',
          initialInstanceCount: Fn.conditionIf('IsProd', 2, 1) as unknown as number,
        },
      ],
    });
    expect(judged(stack, 'SageMakerEndpointConfigInstanceCount')).toEqual([
      `MLOps-SageMakerEndpointConfigInstanceCount[a]: ${WHEN_FALSE}${COUNT}`,
    ]);
  });
  it('on the rule id of an ungranular rule', () => {
    const stack = new Stack();
    withCondition(stack);
    model(stack, Fn.conditionIf('IsProd', true, false));
    expect(judged(stack, 'SageMakerModelNetworkIsolation')).toEqual([
      `MLOps-SageMakerModelNetworkIsolation: ${WHEN_FALSE}${ISOLATION}`,
    ]);
  });
  it('and none when the finding holds in every scenario', () => {
    const stack = new Stack();
    withCondition(stack);
    model(stack, Fn.conditionIf('IsProd', false, false));
    expect(judged(stack, 'SageMakerModelNetworkIsolation')).toEqual([
      `MLOps-SageMakerModelNetworkIsolation: ${ISOLATION}`,
    ]);
  });
});

// Issue 15 leftover: AllowedPattern was ignored. It is a regular expression a String parameter's
// value must match as a whole, and a Default must satisfy the parameter's constraints
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
// Where the pattern admits only a few values, each is judged like an allowed value; where it
// admits too many to list, a default it rejects is not judged, and the rest is as before.
describe('AllowedPattern', () => {
  function isolated(props: { allowedPattern: string; default?: string; allowedValues?: string[] }): Stack {
    const stack = new Stack();
    model(stack, new CfnParameter(stack, 'Isolate', props).valueAsString);
    return stack;
  }
  it('a pattern that admits only compliant values gives no finding', () => {
    expect(
      judged(isolated({ allowedPattern: '^true$', default: 'true' }), 'SageMakerModelNetworkIsolation'),
    ).toEqual([]);
    expect(judged(isolated({ allowedPattern: '(?:t)rue' }), 'SageMakerModelNetworkIsolation')).toEqual([]);
  });
  it('a pattern that admits a failing value reports it, naming the parameter and the value', () => {
    expect(
      judged(
        isolated({ allowedPattern: '^(true|false)$', default: 'true' }),
        'SageMakerModelNetworkIsolation',
      ),
    ).toEqual([`MLOps-SageMakerModelNetworkIsolation: when parameter Isolate is "false": ${ISOLATION}`]);
  });
  it('narrows AllowedValues to the values the pattern also admits', () => {
    expect(
      judged(
        isolated({ allowedPattern: 'true', allowedValues: ['true', 'false'], default: 'true' }),
        'SageMakerModelNetworkIsolation',
      ),
    ).toEqual([]);
  });
  it('judges each instance type a finite pattern admits (character classes, optional parts)', () => {
    const stack = new Stack();
    const type = new CfnParameter(stack, 'Type', {
      allowedPattern: 'ml\\.[mc]5d?\\.large',
      default: 'ml.m5.large',
    });
    new CfnEndpointConfig(stack, 'Config', {
      kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k',
      productionVariants: [
        { variantName: 'a', modelName: 'm', instanceType: type.valueAsString, initialInstanceCount: 2 },
      ],
    });
    expect(judged(stack, 'SageMakerVolumeKmsOnInstanceStorage')).toEqual([
      'MLOps-SageMakerVolumeKmsOnInstanceStorage[a.KmsKeyId]: when parameter Type is "ml.m5d.large", or when parameter Type is "ml.c5d.large": A SageMaker volume KMS key is set for an instance type with local NVMe storage: AWS rejects this request.',
    ]);
  });
  it("keeps today's behaviour for a pattern with too many values, but does not judge a default it rejects", () => {
    const open = judged(
      isolated({ allowedPattern: '[a-z]+', default: 'true' }),
      'SageMakerModelNetworkIsolation',
    );
    expect(open).toHaveLength(1);
    expect(open[0]).toMatch(
      /Rule threw an error during validation\. When parameter Isolate is another value than its default/,
    );
    const rejected = judged(
      isolated({ allowedPattern: '[a-z]+', default: 'TRUE' }),
      'SageMakerModelNetworkIsolation',
    );
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).not.toContain('its default');
    expect(rejected[0]).toMatch(
      /^MLOps-SageMakerModelNetworkIsolation: Rule threw an error during validation\. /,
    );
  });
});
