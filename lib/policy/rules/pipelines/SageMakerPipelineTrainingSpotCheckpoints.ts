import { CfnResource } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import {
  arg,
  argIsSet,
  argValue,
  checkablePipelineSteps,
  pipelineParameters,
  pipelineTrainingJobs,
} from '../../rule-helpers';

/** SageMaker's default MaxRuntimeInSeconds when a job sets none (one day). */
const DEFAULT_MAX_RUNTIME_SECONDS = 86_400;

/** Spot capacity is reclaimed without notice; without checkpoints an interrupted job restarts from zero or never finishes. */
export const SageMakerPipelineTrainingSpotCheckpoints: MLOpsRule = {
  name: 'SageMakerPipelineTrainingSpotCheckpoints',
  info: 'A SageMaker pipeline managed-spot training job has no checkpoint location or a MaxWaitTimeInSeconds below MaxRuntimeInSeconds.',
  explanation:
    'With EnableManagedSpotTraining, SageMaker can interrupt the job at any time; CheckpointConfig.S3Uri lets it resume, and StoppingCondition.MaxWaitTimeInSeconds must be at least MaxRuntimeInSeconds (default 86400) or the job is rejected or cut short. Set both. Pipeline parameters are judged by their DefaultValue. Findings: <step>.CheckpointConfig, <step>.MaxWaitTimeInSeconds.',
  level: NagMessageLevel.ERROR,
  nist: ['CP-9', 'CP-10', 'SC-5'],
  securitySeverity: 2.0,
  resourceTypes: ['AWS::SageMaker::Pipeline'],
  check(node: CfnResource) {
    const steps = checkablePipelineSteps(node);
    if (!steps || !(node instanceof CfnPipeline)) return NagRuleCompliance.NOT_APPLICABLE;
    const parameters = pipelineParameters(node);
    const spotJobs = pipelineTrainingJobs(steps).filter(
      ({ args }) => argValue(args.EnableManagedSpotTraining, parameters) === true,
    );
    if (spotJobs.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const findings: string[] = [];
    for (const { label, args } of spotJobs) {
      if (!argIsSet(arg(args, 'CheckpointConfig', 'S3Uri'))) findings.push(`${label}.CheckpointConfig`);
      const maxWait = argValue(arg(args, 'StoppingCondition', 'MaxWaitTimeInSeconds'), parameters);
      const maxRuntime =
        argValue(arg(args, 'StoppingCondition', 'MaxRuntimeInSeconds'), parameters) ??
        DEFAULT_MAX_RUNTIME_SECONDS;
      if (typeof maxWait !== 'number' || typeof maxRuntime !== 'number' || maxWait < maxRuntime) {
        findings.push(`${label}.MaxWaitTimeInSeconds`);
      }
    }
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
