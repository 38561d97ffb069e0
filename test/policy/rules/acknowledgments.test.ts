import { Stack, Validations } from 'aws-cdk-lib';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { acknowledge, ACKNOWLEDGMENT_TEMPLATE_KEY } from '../../../constructs/core/acknowledge';
import { ROLE_ARN, ruleIds } from '../fixtures';

const TODAY = '2030-06-15';
const good = {
  reason: 'Model network isolation is off for the demo only',
  owner: 'ml-platform',
  expires: '2030-12-31',
};

function model(): [Stack, CfnModel] {
  const stack = new Stack();
  return [stack, new CfnModel(stack, 'Model', { executionRoleArn: ROLE_ARN })];
}

describe('MLOps-Ack* rules', () => {
  it('pass a valid acknowledgment, and one that expires today', () => {
    const [stack, m] = model();
    acknowledge(m, 'MLOps-SageMakerModelNetworkIsolation', good);
    acknowledge(m, 'MLOps-SageMakerModelVpcConfig', { ...good, expires: TODAY });
    for (const rule of ['AckExpired', 'AckOwner', 'AckReason'])
      expect(ruleIds(stack, rule, { today: TODAY })).toEqual([]);
  });

  it('MLOps-AckExpired flags a past or invalid expiry, naming the acknowledged finding', () => {
    const [stack, m] = model();
    acknowledge(m, 'MLOps-SageMakerModelNetworkIsolation', { ...good, expires: '2030-06-14' });
    acknowledge(m, 'AwsSolutions-IAM5[Resource::*]', { ...good, expires: '2030-02-30' });
    acknowledge(m, 'MLOps-SageMakerModelVpcConfig', { ...good, expires: 'next year' });
    expect(ruleIds(stack, 'AckExpired', { today: TODAY })).toEqual([
      'MLOps-AckExpired[AwsSolutions-IAM5[Resource::*]]',
      'MLOps-AckExpired[MLOps-SageMakerModelNetworkIsolation]',
      'MLOps-AckExpired[MLOps-SageMakerModelVpcConfig]',
    ]);
  });

  it('MLOps-AckOwner flags a blank owner', () => {
    const [stack, m] = model();
    acknowledge(m, 'MLOps-SageMakerModelNetworkIsolation', { ...good, owner: '  ' });
    expect(ruleIds(stack, 'AckOwner', { today: TODAY })).toEqual([
      'MLOps-AckOwner[MLOps-SageMakerModelNetworkIsolation]',
    ]);
  });

  it('MLOps-AckReason flags a reason under 20 characters', () => {
    const [stack, m] = model();
    acknowledge(m, 'MLOps-SageMakerModelNetworkIsolation', { ...good, reason: 'false positive' });
    expect(ruleIds(stack, 'AckReason', { today: TODAY })).toEqual([
      'MLOps-AckReason[MLOps-SageMakerModelNetworkIsolation]',
    ]);
  });

  it('read acknowledgments from template Metadata too (templates loaded by the checker), without double counting', () => {
    const [stack, m] = model();
    m.addMetadata(ACKNOWLEDGMENT_TEMPLATE_KEY, {
      acknowledgments: [{ id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: 'short', expires: '2020-01-01' }],
    });
    acknowledge(m, 'MLOps-SageMakerModelVpcConfig', { ...good, owner: '' }); // recorded in both places
    expect(ruleIds(stack, 'AckExpired', { today: TODAY })).toEqual([
      'MLOps-AckExpired[NIST.800.53.R5-IAMNoInlinePolicy]',
    ]);
    expect(ruleIds(stack, 'AckOwner', { today: TODAY })).toEqual([
      'MLOps-AckOwner[MLOps-SageMakerModelVpcConfig]',
      'MLOps-AckOwner[NIST.800.53.R5-IAMNoInlinePolicy]',
    ]);
    expect(ruleIds(stack, 'AckReason', { today: TODAY })).toEqual([
      'MLOps-AckReason[NIST.800.53.R5-IAMNoInlinePolicy]',
    ]);
  });

  it('cannot themselves be acknowledged: acknowledge() refuses MLOps-Ack* ids', () => {
    const [, m] = model();
    expect(() => acknowledge(m, 'MLOps-AckExpired[MLOps-SageMakerModelVpcConfig]', good)).toThrow(
      /Default\/Model: acknowledge: MLOps-Ack\* findings cannot be acknowledged \(got "MLOps-AckExpired\[MLOps-SageMakerModelVpcConfig\]"/,
    );
    expect(() => acknowledge(m, 'MLOps-AckReason', good)).toThrow(/cannot be acknowledged/);
  });

  it('judge the acknowledgment while the pack still reports the namespaced finding for CDK to move to suppressedViolations', () => {
    const [stack, m] = model();
    acknowledge(m, 'MLOps-SageMakerModelNetworkIsolation', { ...good, expires: '2020-01-01' });
    // namespaced form: cdk-nag still reports it and CDK moves it to suppressedViolations at synth
    expect(ruleIds(stack, 'SageMakerModelNetworkIsolation', { today: TODAY })).toEqual([
      'MLOps-SageMakerModelNetworkIsolation',
    ]);
    expect(ruleIds(stack, 'AckExpired', { today: TODAY })).toEqual([
      'MLOps-AckExpired[MLOps-SageMakerModelNetworkIsolation]',
    ]);
  });

  it('MLOps-AckExpired flags an acknowledgment without an expiry date (the checker gives the same verdict)', () => {
    const [stack, m] = model();
    m.addMetadata(ACKNOWLEDGMENT_TEMPLATE_KEY, {
      acknowledgments: [{ id: 'MLOps-SageMakerModelVpcConfig', reason: good.reason, owner: good.owner }],
    });
    expect(ruleIds(stack, 'AckExpired', { today: TODAY })).toEqual([
      'MLOps-AckExpired[MLOps-SageMakerModelVpcConfig]',
    ]);
    expect(ruleIds(stack, 'AckOwner', { today: TODAY })).toEqual([]);
  });

  it('judge a plain CDK Validations.of(c).acknowledge({ id, reason }): no owner and no expiry, on the resource or an ancestor', () => {
    const [stack, m] = model();
    Validations.of(m).acknowledge({ id: 'MLOps::MLOps-SageMakerModelVpcConfig', reason: good.reason });
    Validations.of(stack).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'n/a' });
    expect(ruleIds(stack, 'AckOwner', { today: TODAY })).toEqual([
      'MLOps-AckOwner[AwsSolutions-IAM5[Resource::*]]',
      'MLOps-AckOwner[MLOps-SageMakerModelVpcConfig]',
    ]);
    expect(ruleIds(stack, 'AckExpired', { today: TODAY })).toEqual([
      'MLOps-AckExpired[AwsSolutions-IAM5[Resource::*]]',
      'MLOps-AckExpired[MLOps-SageMakerModelVpcConfig]',
    ]);
    expect(ruleIds(stack, 'AckReason', { today: TODAY })).toEqual([
      'MLOps-AckReason[AwsSolutions-IAM5[Resource::*]]',
    ]);
  });

  it('do not count the CDK entry acknowledge() writes as a second, plain acknowledgment', () => {
    const [stack, m] = model();
    acknowledge(m, 'MLOps-SageMakerModelVpcConfig', good);
    for (const rule of ['AckExpired', 'AckOwner', 'AckReason'])
      expect(ruleIds(stack, rule, { today: TODAY })).toEqual([]);
  });

  it('judge cdk-nag v2 Metadata.cdk_nag.rules_to_suppress entries like any other acknowledgment', () => {
    const [stack, m] = model();
    m.addMetadata('cdk_nag', {
      rules_to_suppress: [
        { id: 'MLOps-SageMakerModelVpcConfig', reason: good.reason },
        { id: 'MLOps-SageMakerModelNetworkIsolation', ...good },
      ],
    });
    expect(ruleIds(stack, 'AckOwner', { today: TODAY })).toEqual([
      'MLOps-AckOwner[MLOps-SageMakerModelVpcConfig]',
    ]);
    expect(ruleIds(stack, 'AckExpired', { today: TODAY })).toEqual([
      'MLOps-AckExpired[MLOps-SageMakerModelVpcConfig]',
    ]);
  });
});
