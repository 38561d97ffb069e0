import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isTrue, resolved } from '../../rule-helpers';

/** Images that are never scanned reach endpoints and training jobs with known vulnerabilities. */
export const ECRRepositoryScanOnPush: MLOpsRule = {
  name: 'ECRRepositoryScanOnPush',
  info: 'The ECR repository does not scan images on push (ImageScanningConfiguration.ScanOnPush is not true).',
  explanation:
    'Model-serving and training images carry large dependency trees (CUDA, Python wheels); without scan on push a vulnerable image is deployed without anyone seeing a finding. Set ImageScanningConfiguration.ScanOnPush to true (an account-level enhanced scanning configuration, AWS::ECR::RegistryScanningConfiguration, is stronger still but lives outside this resource, so this rule asks for the repository setting).',
  level: NagMessageLevel.ERROR,
  nist: ['RA-5', 'SI-2', 'SI-3'],
  securitySeverity: 5.0,
  resourceTypes: ['AWS::ECR::Repository'],
  check(node: CfnResource) {
    if (!(node instanceof CfnRepository)) return NagRuleCompliance.NOT_APPLICABLE;
    const scanning = resolved(node, node.imageScanningConfiguration);
    return isTrue(
      field(scanning, 'ImageScanningConfiguration', 'scanOnPush'),
      'ImageScanningConfiguration.ScanOnPush',
    )
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
