import { CfnResource } from 'aws-cdk-lib';
import { CfnDomain } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { literal, resolved } from '../../rule-helpers';

/** With IAM auth, Studio access is whoever can call CreatePresignedDomainUrl, outside your identity provider's lifecycle. */
export const SageMakerStudioDomainSsoAuth: MLOpsRule = {
  name: 'SageMakerStudioDomainSsoAuth',
  info: 'The SageMaker Studio domain does not authenticate users through IAM Identity Center (AuthMode SSO).',
  explanation:
    'With AuthMode IAM, anyone allowed sagemaker:CreatePresignedDomainUrl for a user profile opens Studio as that user: sign-in, MFA and offboarding are not those of your identity provider, and user profiles are not tied to people. Set AuthMode to SSO so users sign in through IAM Identity Center. AuthMode cannot be changed after the domain is created (the domain is replaced).',
  level: NagMessageLevel.ERROR,
  nist: ['IA-2', 'IA-2(1)', 'AC-2', 'IA-5'],
  securitySeverity: 5.0,
  resourceTypes: ['AWS::SageMaker::Domain'],
  check(node: CfnResource) {
    if (!(node instanceof CfnDomain)) return NagRuleCompliance.NOT_APPLICABLE;
    return literal(resolved(node, node.authMode), 'AuthMode') === 'SSO'
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
