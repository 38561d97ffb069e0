import { CfnResource } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { hasNvmeInstanceStorage } from '../../../aws-facts/instance-storage';
import {
  arg,
  argInstanceType,
  argIsSet,
  argIsTrue,
  checkablePipelineSteps,
  isObject,
  pipelineParameters,
} from '../../rule-helpers';

/** Pipeline processing steps prepare and evaluate on the same sensitive data as training. */
export const SageMakerPipelineProcessingStep: MLOpsRule = {
  name: 'SageMakerPipelineProcessingStep',
  info: 'A SageMaker pipeline processing step lacks network isolation, inter-container encryption or a CMK.',
  explanation:
    'Every Processing step must set NetworkConfig.EnableNetworkIsolation and NetworkConfig.EnableInterContainerTrafficEncryption to literal true, ProcessingResources.ClusterConfig.VolumeKmsKeyId (except on an instance type with local NVMe storage, which SageMaker encrypts in hardware and for which it rejects a key; a parameter is judged by its DefaultValue), and ProcessingOutputConfig.KmsKeyId when it has outputs. Each finding is <step>.<field>, e.g. Preprocess.NetworkConfig.EnableNetworkIsolation.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-7', 'SC-8', 'AC-4'],
  securitySeverity: 6.5,
  resourceTypes: ['AWS::SageMaker::Pipeline'],
  check(node: CfnResource) {
    const steps = checkablePipelineSteps(node)?.filter((s) => s.type === 'Processing');
    if (!steps || steps.length === 0 || !(node instanceof CfnPipeline))
      return NagRuleCompliance.NOT_APPLICABLE;
    const parameters = pipelineParameters(node);
    const findings: string[] = [];
    for (const { name, args } of steps) {
      const missing = (ok: boolean, f: string) => {
        if (!ok) findings.push(`${name}.${f}`);
      };
      missing(
        argIsTrue(arg(args, 'NetworkConfig', 'EnableNetworkIsolation')),
        'NetworkConfig.EnableNetworkIsolation',
      );
      missing(
        argIsTrue(arg(args, 'NetworkConfig', 'EnableInterContainerTrafficEncryption')),
        'NetworkConfig.EnableInterContainerTrafficEncryption',
      );
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProcessingClusterConfig.html
      const type = argInstanceType(
        arg(args, 'ProcessingResources', 'ClusterConfig', 'InstanceType'),
        parameters,
      );
      missing(
        (type !== undefined && hasNvmeInstanceStorage(type)) ||
          argIsSet(arg(args, 'ProcessingResources', 'ClusterConfig', 'VolumeKmsKeyId')),
        'ProcessingResources.ClusterConfig.VolumeKmsKeyId',
      );
      if (isObject(args.ProcessingOutputConfig)) {
        missing(argIsSet(arg(args, 'ProcessingOutputConfig', 'KmsKeyId')), 'ProcessingOutputConfig.KmsKeyId');
      }
    }
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
