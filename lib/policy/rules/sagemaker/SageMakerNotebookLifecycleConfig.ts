import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstance } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { isSet, resolved } from '../../rule-helpers';

/** The lifecycle configuration is where idle auto-stop, agents and hardening are installed on a notebook instance. */
export const SageMakerNotebookLifecycleConfig: MLOpsRule = {
  name: 'SageMakerNotebookLifecycleConfig',
  info: 'The SageMaker notebook instance has no lifecycle configuration.',
  explanation:
    'Without a lifecycle configuration nothing stops the instance when idle or installs the organisation baseline (auto-stop script, proxy settings, agents). Set LifecycleConfigName to a reviewed NotebookInstanceLifecycleConfig.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-2', 'CM-6', 'AC-12'],
  securitySeverity: 3.0,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  check(node: CfnResource) {
    if (!(node instanceof CfnNotebookInstance)) return NagRuleCompliance.NOT_APPLICABLE;
    return isSet(resolved(node, node.lifecycleConfigName), 'LifecycleConfigName')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
