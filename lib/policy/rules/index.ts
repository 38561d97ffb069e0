import { MLOpsRule } from '../rule';
import { SageMakerModelNetworkIsolation } from './sagemaker/SageMakerModelNetworkIsolation';

/** Every rule of the MLOps pack, in the order the pack applies them. A test pins this list. */
export const MLOPS_RULES: readonly MLOpsRule[] = [SageMakerModelNetworkIsolation];
