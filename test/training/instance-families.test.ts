import { describe, expect, it } from 'vitest';
import {
  GPU_INSTANCE_FAMILIES,
  gpuOf,
  isGpuInstanceFamily,
  isGpuInstanceType,
} from '../../lib/aws-facts/instance-families';
import { DEFAULT_TRAINING_INSTANCE_FAMILIES, instanceFamily } from '../../constructs/training/defaults';

// The GPU of each accelerated-computing family:
// https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html
describe('GPU instance families (lib/aws-facts)', () => {
  it.each([
    ['ml.g4dn.xlarge', 'NVIDIA T4'],
    ['ml.g5.xlarge', 'NVIDIA A10G'],
    ['ml.g6.2xlarge', 'NVIDIA L4'],
    ['ml.g6e.xlarge', 'NVIDIA L40S'],
    ['ml.p3.2xlarge', 'NVIDIA V100'],
    ['ml.p4d.24xlarge', 'NVIDIA A100 (40 GB)'],
    ['ml.p5.48xlarge', 'NVIDIA H100'],
  ])('%s has an %s', (type, gpu) => {
    expect(isGpuInstanceType(type)).toBe(true);
    expect(gpuOf(type)).toBe(gpu);
  });

  it.each(['ml.m5.xlarge', 'ml.c6i.2xlarge', 'ml.r7i.large', 'ml.trn1.2xlarge', 'g5.xlarge', 'ml.g5'])(
    '%s is not a GPU instance type',
    (type) => {
      expect(isGpuInstanceType(type)).toBe(false);
      expect(gpuOf(type)).toBeUndefined();
    },
  );

  it('does not take inherited object keys for families', () => {
    expect(isGpuInstanceFamily('constructor')).toBe(false);
    expect(isGpuInstanceType('ml.constructor.xlarge')).toBe(false);
  });
});

describe('DEFAULT_TRAINING_INSTANCE_FAMILIES (the policy built on the facts)', () => {
  const gpu = DEFAULT_TRAINING_INSTANCE_FAMILIES.filter(isGpuInstanceFamily);

  it('allows the current G and P GPU families, not the previous generations', () => {
    expect(gpu).toEqual(['g4dn', 'g5', 'g6', 'g6e', 'p3', 'p4d', 'p4de', 'p5', 'p5e', 'p5en']);
    for (const old of ['p2', 'g3']) {
      expect(isGpuInstanceFamily(old)).toBe(true);
      expect(DEFAULT_TRAINING_INSTANCE_FAMILIES).not.toContain(old);
    }
  });

  it('allows the current general-purpose, compute- and memory-optimised CPU families', () => {
    expect(DEFAULT_TRAINING_INSTANCE_FAMILIES.filter((f) => !isGpuInstanceFamily(f))).toEqual([
      'm5',
      'm6i',
      'm7i',
      'c5',
      'c6i',
      'c7i',
      'r5',
      'r6i',
      'r7i',
    ]);
  });

  it('parses families with the shared aws-facts parser', () => {
    expect(instanceFamily('ml.g6e.12xlarge')).toBe('g6e');
    expect(instanceFamily('g5.xlarge')).toBeUndefined();
    expect(Object.keys(GPU_INSTANCE_FAMILIES).every((f) => instanceFamily(`ml.${f}.xlarge`) === f)).toBe(
      true,
    );
  });
});
