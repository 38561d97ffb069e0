import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstanceLifecycleConfig, CfnStudioLifecycleConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import {
  field,
  isObject,
  list,
  PLACEHOLDER,
  resolved,
  templateString,
  UnresolvableError,
} from '../../rule-helpers';
import { findSecrets } from './secret-scan';

/**
 * The script text of a lifecycle `Content` (base64 in the template): a literal is decoded; an
 * `Fn::Base64` of a literal, `Fn::Sub` or `Fn::Join` is its text, with the unknown parts left out.
 * Anything else (a `Ref` to a parameter, an import) hides the script, so the rule cannot judge it.
 */
function scriptText(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return Buffer.from(value, 'base64').toString('utf8');
  if (isObject(value) && 'Fn::Base64' in value) {
    const text = templateString(value['Fn::Base64']);
    if (text !== undefined && text.replaceAll(PLACEHOLDER, '').trim() !== '')
      return text.replaceAll(PLACEHOLDER, ' ');
  }
  throw new UnresolvableError(what, value);
}

/** The scripts of a notebook instance or Studio lifecycle configuration, with where each came from. */
function scripts(node: CfnResource): { readonly what: string; readonly text: string | undefined }[] {
  if (node instanceof CfnStudioLifecycleConfig) {
    const what = 'StudioLifecycleConfigContent';
    return [{ what, text: scriptText(resolved(node, node.studioLifecycleConfigContent), what) }];
  }
  if (!(node instanceof CfnNotebookInstanceLifecycleConfig)) return [];
  const out: { what: string; text: string | undefined }[] = [];
  for (const [hook, value] of [
    ['OnCreate', node.onCreate],
    ['OnStart', node.onStart],
  ] as const) {
    list(resolved(node, value), hook).forEach((entry, i) => {
      const what = `${hook}[${i}].Content`;
      out.push({ what, text: scriptText(field(entry, hook, 'content'), what) });
    });
  }
  return out;
}

/** A lifecycle script runs as root on every start, and its text is readable by anyone who can describe the config. */
export const SageMakerLifecycleConfigNoSecrets: MLOpsRule = {
  name: 'SageMakerLifecycleConfigNoSecrets',
  info: 'The SageMaker lifecycle configuration script contains a secret (access key, token, private key or password).',
  explanation:
    'Lifecycle configuration scripts are stored in plain text (base64) in the template and returned by DescribeNotebookInstanceLifecycleConfig / DescribeStudioLifecycleConfig to anyone with read access; a credential written in them leaks to every reader and outlives its rotation. Read secrets at run time from AWS Secrets Manager or SSM Parameter Store with the execution role instead. The scripts are scanned with secretlint’s recommended rule preset (AWS, GCP, GitHub, Slack, npm, private keys, basic-auth URLs and more).',
  level: NagMessageLevel.ERROR,
  nist: ['IA-5(7)', 'SC-28', 'AC-3'],
  securitySeverity: 8.0,
  resourceTypes: ['AWS::SageMaker::NotebookInstanceLifecycleConfig', 'AWS::SageMaker::StudioLifecycleConfig'],
  check(node: CfnResource) {
    if (!(node instanceof CfnNotebookInstanceLifecycleConfig) && !(node instanceof CfnStudioLifecycleConfig))
      return NagRuleCompliance.NOT_APPLICABLE;
    const leaking = scripts(node).some(({ text }) => text !== undefined && findSecrets(text).length > 0);
    return leaking ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
