import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig, CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { hasNvmeInstanceStorage } from '../../../aws-facts/instance-storage';
import { MLOpsRule } from '../../rule';
import {
  argInstanceType,
  argIsSet,
  checkablePipelineSteps,
  endpointVariants,
  field,
  isSet,
  onInstanceStorage,
  pipelineJobVolumes,
  pipelineParameters,
  PROCESSING_JOB_TYPES,
  processingJobSettings,
  resolved,
  UnresolvableError,
} from '../../rule-helpers';

/** AWS rejects a volume key for instance types with local NVMe storage, so the deployment or the job fails. */
export const SageMakerVolumeKmsOnInstanceStorage: MLOpsRule = {
  name: 'SageMakerVolumeKmsOnInstanceStorage',
  info: 'A SageMaker volume KMS key is set for an instance type with local NVMe storage: AWS rejects this request.',
  explanation:
    'Instance types with local NVMe instance storage (g4dn, g5, g6, p4d, p5, m5d, c5d, r5d ...) have their volumes encrypted by a hardware module, and SageMaker rejects a customer key for them: CreateEndpointConfig fails when KmsKeyId is set and any variant (production or shadow) uses such a type, and CreateTrainingJob/CreateProcessingJob fail with VolumeKmsKeyId. Remove the key (the output and data capture keys stay), or choose an EBS-only instance type. Findings: <variant>.KmsKeyId, ClusterConfig.VolumeKmsKeyId, <step>.ResourceConfig.VolumeKmsKeyId, <step>.ProcessingResources.ClusterConfig.VolumeKmsKeyId.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-6', 'SC-28'],
  securitySeverity: 3.0,
  resourceTypes: ['AWS::SageMaker::EndpointConfig', 'AWS::SageMaker::Pipeline', ...PROCESSING_JOB_TYPES],
  check(node: CfnResource) {
    const findings: string[] = [];
    if (node instanceof CfnEndpointConfig) {
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId
      if (!isSet(resolved(node, node.kmsKeyId), 'KmsKeyId')) return NagRuleCompliance.COMPLIANT;
      // "when using any nitro-based instances with local storage": shadow variants included.
      for (const { what, label, variant } of endpointVariants(node)) {
        if (onInstanceStorage(field(variant, what, 'instanceType'), `${what}.InstanceType`))
          findings.push(`${label}.KmsKeyId`);
      }
    } else if (node instanceof CfnPipeline) {
      const steps = checkablePipelineSteps(node);
      if (!steps) return NagRuleCompliance.NOT_APPLICABLE;
      const parameters = pipelineParameters(node);
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html and API_ProcessingClusterConfig.html
      for (const volume of pipelineJobVolumes(steps)) {
        if (!argIsSet(volume.volumeKmsKeyId)) continue;
        const type = argInstanceType(volume.instanceType, parameters);
        if (type === undefined && volume.instanceType !== undefined) {
          throw new UnresolvableError(`${volume.label}.InstanceType`, volume.instanceType);
        }
        if (type !== undefined && hasNvmeInstanceStorage(type))
          findings.push(`${volume.label}.${volume.keyPath}`);
      }
    } else {
      const job = processingJobSettings(node);
      if (!job) return NagRuleCompliance.NOT_APPLICABLE;
      if (!isSet(job.volumeKmsKeyId, 'ClusterConfig.VolumeKmsKeyId')) return NagRuleCompliance.COMPLIANT;
      if (onInstanceStorage(job.instanceType, 'ClusterConfig.InstanceType'))
        findings.push('ClusterConfig.VolumeKmsKeyId');
    }
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
