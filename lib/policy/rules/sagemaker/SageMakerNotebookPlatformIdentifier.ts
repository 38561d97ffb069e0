import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstance } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { literal, resolved } from '../../rule-helpers';

/**
 * Platform identifiers AWS no longer supports, with the source:
 * - `notebook-al1-v1` runs Amazon Linux (AL1), which is no longer supported
 *   (https://docs.aws.amazon.com/linux/);
 * - `notebook-al2-v1` (JupyterLab 1) and `notebook-al2-v2` (JupyterLab 3) reached end of support
 *   on June 30, 2025: no new or restarted instance runs on them and running ones get no security
 *   updates (https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-al2.html).
 * Add an identifier here, with its source, when AWS ends its support.
 */
export const UNSUPPORTED_NOTEBOOK_PLATFORMS: ReadonlySet<string> = new Set([
  'notebook-al1-v1',
  'notebook-al2-v1',
  'notebook-al2-v2',
]);

/**
 * The platform identifiers AWS supports: JupyterLab 4 on Amazon Linux 2 and on AL2023
 * (`notebook-al2023-v1`, the CreateNotebookInstance default). They pass, as does an absent
 * identifier (the AWS default); an identifier in neither list is left to CloudFormation, which
 * rejects an unknown one.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-al2.html
 */
export const SUPPORTED_NOTEBOOK_PLATFORMS: ReadonlySet<string> = new Set([
  'notebook-al2-v3',
  'notebook-al2023-v1',
]);

/** A notebook on an operating system past its end of support gets no security patches. */
export const SageMakerNotebookPlatformIdentifier: MLOpsRule = {
  name: 'SageMakerNotebookPlatformIdentifier',
  info: 'The SageMaker notebook instance uses a platform identifier whose operating system is past its end of support.',
  explanation:
    'PlatformIdentifier selects the notebook operating system and JupyterLab version. notebook-al1-v1 runs Amazon Linux 1, and notebook-al2-v1 (JupyterLab 1) and notebook-al2-v2 (JupyterLab 3) reached end of support on June 30, 2025: they receive no security updates and stopped instances cannot restart. Omit PlatformIdentifier (the AWS default) or set a supported JupyterLab 4 identifier: notebook-al2023-v1 or notebook-al2-v3.',
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
