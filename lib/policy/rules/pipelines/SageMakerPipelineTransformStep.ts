import { CfnResource } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { hasNvmeInstanceStorage } from '../../../aws-facts/instance-storage';
import {
  arg,
  argInstanceType,
  argIsSet,
  checkablePipelineSteps,
  pipelineParameters,
} from '../../rule-helpers';

/** Batch transform reads whole datasets and writes every prediction to S3: both outlive the job and need a key you control. */
export const SageMakerPipelineTransformStep: MLOpsRule = {
  name: 'SageMakerPipelineTransformStep',
  info: 'A SageMaker pipeline transform step does not encrypt its volumes or its output with a CMK.',
  explanation:
    'Every Transform step must set TransformOutput.KmsKeyId (the predictions written to S3) and TransformResources.VolumeKmsKeyId (the ML storage volume that holds the input while it is transformed), except on an instance type with local NVMe storage, which SageMaker encrypts in hardware and for which it rejects a key; a parameter is judged by its DefaultValue. Network isolation and the VPC of a transform job come from its model, which the model rules check. Each finding is <step>.<field>, e.g. Score.TransformOutput.KmsKeyId.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-13'],
  securitySeverity: 6.0,
  resourceTypes: ['AWS::SageMaker::Pipeline'],
  check(node: CfnResource) {
    const steps = checkablePipelineSteps(node)?.filter((s) => s.type === 'Transform');
    if (!steps || steps.length === 0 || !(node instanceof CfnPipeline))
      return NagRuleCompliance.NOT_APPLICABLE;
    const parameters = pipelineParameters(node);
    const findings: string[] = [];
    for (const { name, args } of steps) {
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TransformOutput.html
      if (!argIsSet(arg(args, 'TransformOutput', 'KmsKeyId')))
        findings.push(`${name}.TransformOutput.KmsKeyId`);
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TransformResources.html
      const type = argInstanceType(arg(args, 'TransformResources', 'InstanceType'), parameters);
      const nvme = type !== undefined && hasNvmeInstanceStorage(type);
      if (!nvme && !argIsSet(arg(args, 'TransformResources', 'VolumeKmsKeyId'))) {
        findings.push(`${name}.TransformResources.VolumeKmsKeyId`);
      }
    }
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
