import { CfnResource } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { hasNvmeInstanceStorage } from '../../../aws-facts/instance-storage';
import {
  arg,
  argImage,
  argInstanceType,
  argIsSet,
  argIsTrue,
  checkablePipelineSteps,
  endsWithDigest,
  pipelineParameters,
  pipelineTrainingJobs,
} from '../../rule-helpers';

/** Training jobs see the most sensitive data in the platform and produce the artifacts that get deployed. */
export const SageMakerPipelineTrainingStep: MLOpsRule = {
  name: 'SageMakerPipelineTrainingStep',
  info: 'A SageMaker pipeline training job lacks a required protection (CMK, network isolation, inter-container encryption, VPC or pinned image).',
  explanation:
    'Every Training step (and every training job definition of a Tuning step) must set ResourceConfig.VolumeKmsKeyId (except on an instance type with local NVMe storage, which SageMaker encrypts in hardware and for which it rejects a key; a parameter is judged by its DefaultValue) and OutputDataConfig.KmsKeyId, EnableNetworkIsolation and EnableInterContainerTrafficEncryption to literal true (a pipeline parameter can be overridden per execution), a VpcConfig with subnets and security groups, and AlgorithmSpecification.TrainingImage pinned by @sha256 digest. Each finding is <step>.<field>, e.g. Train.EnableNetworkIsolation.',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-7', 'SC-7(5)', 'SC-8', 'AC-4', 'CM-2', 'SI-7'],
  securitySeverity: 7.5,
  resourceTypes: ['AWS::SageMaker::Pipeline'],
  check(node: CfnResource) {
    const steps = checkablePipelineSteps(node);
    if (!steps || !(node instanceof CfnPipeline)) return NagRuleCompliance.NOT_APPLICABLE;
    const parameters = pipelineParameters(node);
    const jobs = pipelineTrainingJobs(steps);
    if (jobs.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const findings: string[] = [];
    for (const { label, args } of jobs) {
      const missing = (ok: boolean, f: string) => {
        if (!ok) findings.push(`${label}.${f}`);
      };
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html#sagemaker-Type-ResourceConfig-VolumeKmsKeyId
      const type = argInstanceType(arg(args, 'ResourceConfig', 'InstanceType'), parameters);
      const local = type !== undefined && hasNvmeInstanceStorage(type);
      missing(
        local || argIsSet(arg(args, 'ResourceConfig', 'VolumeKmsKeyId')),
        'ResourceConfig.VolumeKmsKeyId',
      );
      missing(argIsSet(arg(args, 'OutputDataConfig', 'KmsKeyId')), 'OutputDataConfig.KmsKeyId');
      missing(argIsTrue(args.EnableNetworkIsolation), 'EnableNetworkIsolation');
      missing(argIsTrue(args.EnableInterContainerTrafficEncryption), 'EnableInterContainerTrafficEncryption');
      const subnets = arg(args, 'VpcConfig', 'Subnets');
      const groups = arg(args, 'VpcConfig', 'SecurityGroupIds');
      missing(
        Array.isArray(subnets) && subnets.length > 0 && Array.isArray(groups) && groups.length > 0,
        'VpcConfig',
      );
      const image = arg(args, 'AlgorithmSpecification', 'TrainingImage');
      // A job that names an AlgorithmName runs the algorithm resource's image, which is versioned with it.
      const byAlgorithm =
        image === undefined && argIsSet(arg(args, 'AlgorithmSpecification', 'AlgorithmName'));
      missing(byAlgorithm || endsWithDigest(argImage(image) ?? ''), 'AlgorithmSpecification.TrainingImage');
    }
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
