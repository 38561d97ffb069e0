import { CfnResource } from 'aws-cdk-lib';
import { CfnUserProfile } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, literal, resolved } from '../../rule-helpers';

/** A user profile can switch off the domain's idle shutdown for one user, silently reopening the cost and session leak. */
export const SageMakerStudioUserProfileIdleShutdown: MLOpsRule = {
  name: 'SageMakerStudioUserProfileIdleShutdown',
  info: 'The SageMaker Studio user profile disables idle shutdown.',
  explanation:
    'UserSettings.<App>AppSettings.AppLifecycleManagement.IdleSettings.LifecycleManagement set to DISABLED overrides the domain default for this user. Remove the override or set it to ENABLED. Findings: JupyterLab, CodeEditor. (Spaces cannot disable idle shutdown, only shorten the timeout, so they are not checked.)',
  level: NagMessageLevel.ERROR,
  nist: ['AC-12', 'SC-10', 'CM-7'],
  securitySeverity: 3.0,
  resourceTypes: ['AWS::SageMaker::UserProfile'],
  check(node: CfnResource) {
    if (!(node instanceof CfnUserProfile)) return NagRuleCompliance.NOT_APPLICABLE;
    const user = resolved(node, node.userSettings);
    const findings: string[] = [];
    for (const [label, key] of [
      ['JupyterLab', 'jupyterLabAppSettings'],
      ['CodeEditor', 'codeEditorAppSettings'],
    ] as const) {
      const what = `UserSettings.${key}`;
      const mode = literal(
        field(user, what, key, 'appLifecycleManagement', 'idleSettings', 'lifecycleManagement'),
        `${what}.LifecycleManagement`,
      );
      if (mode === 'DISABLED') findings.push(label);
    }
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
