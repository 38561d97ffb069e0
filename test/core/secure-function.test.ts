import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SecureFunction, SecureFunctionProps } from '../../constructs/core/secure-function';
import { PropsValidationError } from '../../constructs/core/validate';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { findingLines, testStack } from '../support/nag';

function setup(props: Partial<SecureFunctionProps> = {}) {
  const stack = testStack();
  const keys = new EncryptionKeys(stack, 'Keys');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
  const build = () => new SecureFunction(stack, 'Fn', { handler: 'auto-shutdown', vpc: network.vpc, encryptionKey: keys.logs, ...props });
  return { stack, build };
}

function errorOf(props: Partial<SecureFunctionProps>): PropsValidationError {
  const { build } = setup(props);
  try {
    build();
  } catch (e) {
    if (e instanceof PropsValidationError) return e;
    throw e;
  }
  throw new Error('expected a PropsValidationError');
}

describe('SecureFunction', () => {
  it('passes every pack with default props', () => {
    const { stack, build } = setup();
    build();
    expect(findingLines(stack)).toEqual([]);
  });

  it('refuses a handler without a prebuilt bundle as a props error on handler', () => {
    const e = errorOf({ handler: 'no-such-bundle' });
    expect(e.message).toMatch(/^Test\/Fn: handler: has no prebuilt bundle \(got "no-such-bundle"; expected a bundle at assets\/handlers\/no-such-bundle\/index\.js/);
  });

  it('accepts isolated subnets in a zone of the VPC', () => {
    const { stack, build } = setup({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED, availabilityZones: ['dummy1a'] } });
    build();
    const [, fn] = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('Fn'))!;
    expect(fn.Properties.VpcConfig.SubnetIds).toHaveLength(1);
  });

  it.each([
    ['public subnets', { subnetType: ec2.SubnetType.PUBLIC }, 'vpcSubnets.subnetType'],
    ['subnets the isolated VPC does not have', { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, 'vpcSubnets'],
    ['a zone outside the VPC', { availabilityZones: ['nowhere-1a'] }, 'vpcSubnets'],
    ['a subnet group by name (not offered)', { subnetGroupName: 'missing' }, 'vpcSubnets.subnetGroupName'],
  ])('refuses a subnet selection of %s', (_name, vpcSubnets, field) => {
    const e = errorOf({ vpcSubnets: vpcSubnets as ec2.SubnetSelection });
    expect(e.problems.map((p) => p.field)).toEqual([field]);
    expect(e.message.startsWith(`Test/Fn: ${field}: `)).toBe(true);
  });
});
