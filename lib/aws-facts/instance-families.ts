/**
 * Which SageMaker ML instance families are accelerated by NVIDIA GPUs, and by which GPU. An AWS
 * fact, not a choice: which of these families a construct allows by default is policy, and lives
 * with the construct (`DEFAULT_TRAINING_INSTANCE_FAMILIES` in constructs/training/defaults.ts).
 *
 * This module is CDK-free: constructs, the MLOps pack and `audit` may share it.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html
 * @see https://aws.amazon.com/sagemaker/pricing/
 */

import { instanceFamily } from './instance-storage';

/**
 * GPU instance families (the part between `ml.` and the size) and the GPU each carries. Previous
 * generations (p2, g3) are listed: they are GPU families still, whatever a default allows.
 */
export const GPU_INSTANCE_FAMILIES = {
  g3: 'NVIDIA Tesla M60',
  g4dn: 'NVIDIA T4',
  g5: 'NVIDIA A10G',
  g6: 'NVIDIA L4',
  g6e: 'NVIDIA L40S',
  p2: 'NVIDIA K80',
  p3: 'NVIDIA V100',
  p3dn: 'NVIDIA V100 (32 GB)',
  p4d: 'NVIDIA A100 (40 GB)',
  p4de: 'NVIDIA A100 (80 GB)',
  p5: 'NVIDIA H100',
  p5e: 'NVIDIA H200',
  p5en: 'NVIDIA H200',
} as const satisfies Readonly<Record<string, string>>;

/** A GPU instance family, e.g. `g5`. */
export type GpuInstanceFamily = keyof typeof GPU_INSTANCE_FAMILIES;

/** Whether an instance family (`g5`) is a GPU family. */
export function isGpuInstanceFamily(family: string): family is GpuInstanceFamily {
  return Object.prototype.hasOwnProperty.call(GPU_INSTANCE_FAMILIES, family);
}

/** Whether an ML instance type (`ml.g5.xlarge`) has NVIDIA GPUs. */
export function isGpuInstanceType(instanceType: string): boolean {
  const family = instanceFamily(instanceType);
  return family !== undefined && isGpuInstanceFamily(family);
}

/** The GPU of an ML instance type, e.g. `NVIDIA A10G` for `ml.g5.xlarge`; `undefined` for a CPU type. */
export function gpuOf(instanceType: string): string | undefined {
  const family = instanceFamily(instanceType);
  return family !== undefined && isGpuInstanceFamily(family) ? GPU_INSTANCE_FAMILIES[family] : undefined;
}
