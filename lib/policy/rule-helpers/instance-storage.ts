import { hasNvmeInstanceStorage } from '../../aws-facts/instance-storage';
import { literal } from './properties';

// ---- Instance storage -------------------------------------------------------------------------

/**
 * Whether a resolved L1 instance type has local NVMe storage (so SageMaker encrypts its volumes in
 * hardware and rejects a key for them); `false` when absent; throws for an intrinsic.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html#sagemaker-Type-ResourceConfig-VolumeKmsKeyId
 */
export function onInstanceStorage(instanceType: unknown, what: string): boolean {
  const type = literal(instanceType, what);
  return typeof type === 'string' && hasNvmeInstanceStorage(type);
}
