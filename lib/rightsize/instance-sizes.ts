import { ProductionVariantInstanceType, TrainingInstanceType } from '@aws-sdk/client-sagemaker';
import { instanceFamily } from '../aws-facts/instance-storage';

/** Where an instance type is used: its own list of types and its own Price List usage type. */
export type InstanceUse = 'hosting' | 'training';

/**
 * The size part of an ML instance type (`xlarge`, `12xlarge`) as a multiple of `large`: EC2 sizes
 * double vCPUs and memory at each step within a family (`medium` is half of `large`). Used only to
 * order the sizes of a family; capacity ratios come from the Price List's `vCpu`, `memory` and `gpu`.
 */
export function sizeUnits(instanceType: string): number | undefined {
  const size = /^ml\.[a-z0-9-]+\.([a-z0-9]+)$/.exec(instanceType)?.[1];
  if (size === undefined) return undefined;
  if (size === 'medium') return 0.5;
  if (size === 'large') return 1;
  if (size === 'xlarge') return 2;
  const m = /^(\d+)xlarge$/.exec(size);
  return m ? Number(m[1]) * 2 : undefined;
}

function typesOf(use: InstanceUse): readonly string[] {
  // The SDK's enums are the list of types SageMaker accepts for each use (a CreateEndpointConfig
  // or CreateTrainingJob with another value is rejected): the table of sizes is derived from them.
  return Object.values(use === 'hosting' ? ProductionVariantInstanceType : TrainingInstanceType);
}

/**
 * The instance types of `instanceType`'s family that SageMaker offers for `use` and that are
 * smaller than it, largest first. Empty for an unknown type or the smallest size of its family.
 */
export function smallerSizes(instanceType: string, use: InstanceUse): string[] {
  const family = instanceFamily(instanceType);
  const units = sizeUnits(instanceType);
  if (family === undefined || units === undefined) return [];
  return typesOf(use)
    .filter((t) => instanceFamily(t) === family)
    .map((t) => ({ t, u: sizeUnits(t) }))
    .filter((x): x is { t: string; u: number } => x.u !== undefined && x.u < units)
    .sort((a, b) => b.u - a.u)
    .map((x) => x.t);
}
