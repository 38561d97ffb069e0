import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstance } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, literal, resolved } from '../../rule-helpers';

/** IMDSv1 answers unauthenticated GET requests, so an SSRF in notebook code can steal the instance role's credentials. */
export const SageMakerNotebookIMDSv2: MLOpsRule = {
  name: 'SageMakerNotebookIMDSv2',
  info: 'The SageMaker notebook instance does not require IMDSv2.',
  explanation:
    'With IMDSv1 allowed, any request forgery from code running in the notebook can read the execution role credentials from the metadata service. Set InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion to 2.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-3', 'SC-8', 'CM-6'],
  securitySeverity: 6.5,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  check(node: CfnResource) {
    if (!(node instanceof CfnNotebookInstance)) return NagRuleCompliance.NOT_APPLICABLE;
    const imds = resolved(node, node.instanceMetadataServiceConfiguration);
    const version = literal(
      field(imds, 'InstanceMetadataServiceConfiguration', 'minimumInstanceMetadataServiceVersion'),
      'InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion',
    );
    return String(version) === '2' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
