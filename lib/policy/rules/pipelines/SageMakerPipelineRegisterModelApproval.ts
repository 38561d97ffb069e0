import { CfnResource } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { argValue, checkablePipelineSteps, pipelineParameters } from '../../rule-helpers';

/** A model registered as Approved can be deployed by automation with no human review of its evaluation. */
export const SageMakerPipelineRegisterModelApproval: MLOpsRule = {
  name: 'SageMakerPipelineRegisterModelApproval',
  info: 'A SageMaker pipeline register-model step does not default to PendingManualApproval.',
  explanation:
    'Deployment pipelines usually trigger on Approved model packages, so a register step that sets Approved (or leaves the status unstated) skips the review gate. Set Arguments.ModelApprovalStatus to PendingManualApproval, or to a pipeline parameter whose DefaultValue is PendingManualApproval. Findings: <step>.ModelApprovalStatus.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-3', 'CM-3(2)', 'SA-10', 'AC-5'],
  securitySeverity: 5.0,
  resourceTypes: ['AWS::SageMaker::Pipeline'],
  check(node: CfnResource) {
    const steps = checkablePipelineSteps(node)?.filter((s) => s.type === 'RegisterModel');
    if (!steps || steps.length === 0 || !(node instanceof CfnPipeline))
      return NagRuleCompliance.NOT_APPLICABLE;
    const parameters = pipelineParameters(node);
    const findings = steps
      .filter(({ args }) => argValue(args.ModelApprovalStatus, parameters) !== 'PendingManualApproval')
      .map(({ name }) => `${name}.ModelApprovalStatus`);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
