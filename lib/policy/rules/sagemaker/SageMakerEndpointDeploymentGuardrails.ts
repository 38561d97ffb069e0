import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpoint } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isSet, resolved } from '../../rule-helpers';

/** Without deployment guardrails a bad model version replaces the good one at once and stays there. */
export const SageMakerEndpointDeploymentGuardrails: MLOpsRule = {
  name: 'SageMakerEndpointDeploymentGuardrails',
  info: 'The SageMaker endpoint has no deployment guardrails (auto-rollback alarms with a blue/green or rolling update).',
  explanation:
    'An update without a traffic-shifting policy sends all traffic to the new fleet at once, and without rollback alarms a failing model stays in service. Set DeploymentConfig with AutoRollbackConfiguration.Alarms and a BlueGreenUpdatePolicy (canary or linear) or RollingUpdatePolicy. Findings: AutoRollbackConfiguration, UpdatePolicy.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-3', 'CM-4', 'SI-4', 'CP-10'],
  securitySeverity: 4.0,
  resourceTypes: ['AWS::SageMaker::Endpoint'],
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpoint)) return NagRuleCompliance.NOT_APPLICABLE;
    const config = resolved(node, node.deploymentConfig);
    const findings: string[] = [];
    if (
      !isSet(
        field(config, 'DeploymentConfig', 'autoRollbackConfiguration', 'alarms'),
        'AutoRollbackConfiguration.Alarms',
      )
    ) {
      findings.push('AutoRollbackConfiguration');
    }
    const blueGreen = isSet(
      field(config, 'DeploymentConfig', 'blueGreenUpdatePolicy'),
      'BlueGreenUpdatePolicy',
    );
    const rolling = isSet(field(config, 'DeploymentConfig', 'rollingUpdatePolicy'), 'RollingUpdatePolicy');
    if (!blueGreen && !rolling) findings.push('UpdatePolicy');
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
