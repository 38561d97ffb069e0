import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstance } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { literal, resolved } from '../../rule-helpers';

/**
 * Platform identifiers whose operating system no longer receives security updates. `notebook-al1-v1`
 * runs Amazon Linux (AL1), which is no longer supported
 * (https://docs.aws.amazon.com/linux/). Add an identifier here, with its source, when AWS ends its
 * support; an identifier not listed (or none: the AWS default) passes.
 */
export const UNSUPPORTED_NOTEBOOK_PLATFORMS: ReadonlySet<string> = new Set(['notebook-al1-v1']);

/** A notebook on an operating system past its end of support gets no security patches. */
export const SageMakerNotebookPlatformIdentifier: MLOpsRule = {
  name: 'SageMakerNotebookPlatformIdentifier',
  info: 'The SageMaker notebook instance uses a platform identifier whose operating system is past its end of support.',
  explanation:
    'PlatformIdentifier selects the notebook operating system and JupyterLab version. notebook-al1-v1 runs Amazon Linux 1, which no longer receives security updates. Omit PlatformIdentifier (the AWS default) or set a current Amazon Linux 2 identifier such as notebook-al2-v3.',
  level: NagMessageLevel.ERROR,
  nist: ['SI-2', 'SA-22', 'CM-2'],
  securitySeverity: 5.0,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  check(node: CfnResource) {
    if (!(node instanceof CfnNotebookInstance)) return NagRuleCompliance.NOT_APPLICABLE;
    const platform = literal(resolved(node, node.platformIdentifier), 'PlatformIdentifier');
    return platform !== undefined && UNSUPPORTED_NOTEBOOK_PLATFORMS.has(String(platform))
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;
  },
};
