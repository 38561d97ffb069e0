import { CfnResource } from 'aws-cdk-lib';
import { CfnDomain } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, literal, resolved } from '../../rule-helpers';

/** Idle Studio apps keep GPU instances billing, and keep sessions with data access open, long after their users left. */
export const SageMakerStudioDomainIdleShutdown: MLOpsRule = {
  name: 'SageMakerStudioDomainIdleShutdown',
  info: 'The SageMaker Studio domain does not enable idle shutdown for JupyterLab or Code Editor apps.',
  explanation:
    'Without idle shutdown, apps run until someone stops them: cost leaks, and long-lived sessions that hold credentials. Set DefaultUserSettings.JupyterLabAppSettings (or CodeEditorAppSettings).AppLifecycleManagement.IdleSettings.LifecycleManagement to ENABLED with an IdleTimeoutInMinutes, and do not set it to DISABLED anywhere in the domain defaults.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-12', 'SC-10', 'CM-7'],
  securitySeverity: 3.0,
  resourceTypes: ['AWS::SageMaker::Domain'],
  check(node: CfnResource) {
    if (!(node instanceof CfnDomain)) return NagRuleCompliance.NOT_APPLICABLE;
    const user = resolved(node, node.defaultUserSettings);
    const space = resolved(node, node.defaultSpaceSettings);
    const settings = [
      [
        'DefaultUserSettings.JupyterLabAppSettings',
        field(user, 'DefaultUserSettings', 'jupyterLabAppSettings'),
      ],
      [
        'DefaultUserSettings.CodeEditorAppSettings',
        field(user, 'DefaultUserSettings', 'codeEditorAppSettings'),
      ],
      [
        'DefaultSpaceSettings.JupyterLabAppSettings',
        field(space, 'DefaultSpaceSettings', 'jupyterLabAppSettings'),
      ],
    ] as const;
    const modes = settings.map(([what, s]) =>
      literal(
        field(s, what, 'appLifecycleManagement', 'idleSettings', 'lifecycleManagement'),
        `${what}.AppLifecycleManagement.IdleSettings.LifecycleManagement`,
      ),
    );
    const enabledForUsers = modes[0] === 'ENABLED' || modes[1] === 'ENABLED';
    return enabledForUsers && !modes.includes('DISABLED')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
