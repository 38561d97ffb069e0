import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstance } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { literal, resolved } from '../../rule-helpers';

/** Root on a notebook instance lets its user change the instance's software and controls, and read other users' files. */
export const SageMakerNotebookRootAccessDisabled: MLOpsRule = {
  name: 'SageMakerNotebookRootAccessDisabled',
  info: 'The SageMaker notebook instance allows root access.',
  explanation:
    'RootAccess defaults to Enabled, so any notebook user can install software, disable agents and alter the lifecycle configuration. Set RootAccess to Disabled; lifecycle configurations still run as root.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-6', 'AC-6(2)', 'CM-5'],
  securitySeverity: 6.0,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  check(node: CfnResource) {
    if (!(node instanceof CfnNotebookInstance)) return NagRuleCompliance.NOT_APPLICABLE;
    return literal(resolved(node, node.rootAccess), 'RootAccess') === 'Disabled'
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
