/**
 * Which SageMaker ML instance types come with local NVMe instance storage. Their volumes are
 * encrypted by a hardware module on the instance, and SageMaker rejects a customer key for them:
 * `CreateEndpointConfig` fails when `KmsKeyId` is set and any production variant runs on such a
 * type, and `CreateTrainingJob`/`CreateProcessingJob`/`CreateTransformJob` fail when
 * `VolumeKmsKeyId` is set for one.
 *
 * This module is CDK-free: constructs (props validation), the MLOps pack and `audit` share it.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html#sagemaker-Type-ResourceConfig-VolumeKmsKeyId
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/host-instance-storage.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/InstanceStorage.html#instance-store-volumes
 */

/**
 * Instance families (the part between `ml.` and the size) with local NVMe instance storage, as
 * listed on the EC2 instance-store page for the families SageMaker offers. EBS-only families
 * (c5, m5, r5, p2, p3, g4ad's sibling inf1 …) are absent.
 */
export const NVME_INSTANCE_FAMILIES: readonly string[] = [
  // General purpose and compute / memory optimised with a "d" (local disk) suffix.
  'c5d',
  'm5d',
  'r5d',
  'c6id',
  'm6id',
  'r6id',
  'c6gd',
  'm6gd',
  'r6gd',
  'c7gd',
  'm7gd',
  'r7gd',
  'x2iedn',
  // Accelerated computing.
  'g4dn',
  'g5',
  'g6',
  'g6e',
  'gr6',
  'p3dn',
  'p4d',
  'p4de',
  'p5',
  'p5e',
  'p5en',
  'p6-b200',
  'trn1',
  'trn1n',
  'trn2',
];

const FAMILIES = new Set(NVME_INSTANCE_FAMILIES);

/** The family of an ML instance type: `ml.g5.xlarge` → `g5`; `undefined` for anything else. */
export function instanceFamily(instanceType: string): string | undefined {
  const m = /^ml\.([a-z0-9-]+)\.[a-z0-9]+$/.exec(instanceType);
  return m ? m[1] : undefined;
}

/**
 * Whether an ML instance type has local NVMe instance storage, so that SageMaker rejects a
 * customer-managed key for its volumes (`KmsKeyId`, `VolumeKmsKeyId`).
 */
export function hasNvmeInstanceStorage(instanceType: string): boolean {
  const family = instanceFamily(instanceType);
  return family !== undefined && FAMILIES.has(family);
}
