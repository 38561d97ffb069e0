import { CfnResource } from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isObject, list, PLACEHOLDER, resolved, templateString } from '../../rule-helpers';
import { oneOrMany, statementsOf } from './policy-grammar';

const BROAD_POLICY = /:policy\/(?:.*\/)?([^/]*FullAccess[^/]*|AdministratorAccess[^/]*)$/;

/** The ARN texts a managed-policy entry can take: both branches of an Fn::If, else the rebuilt string. */
function candidates(value: unknown): string[] {
  if (isObject(value) && Array.isArray(value['Fn::If'])) {
    const [, whenTrue, whenFalse] = value['Fn::If'] as unknown[];
    return [...candidates(whenTrue), ...candidates(whenFalse)];
  }
  const text = templateString(value);
  return text === undefined ? [] : [text];
}

/** Whether a trust policy lets the SageMaker service assume the role (`Statement` and `Service` one or many). */
function trustsSageMaker(node: CfnRole): boolean {
  const doc = resolved(node, node.assumeRolePolicyDocument);
  return statementsOf(doc, 'AssumeRolePolicyDocument').some(({ statement, what }) => {
    if (field(statement, what, 'Effect') === 'Deny') return false;
    const services = oneOrMany(field(statement, what, 'Principal', 'Service'), `${what}.Principal.Service`);
    return services.some((v) => /^sagemaker\./.test(templateString(v) ?? ''));
  });
}

/** A SageMaker execution role runs code from notebooks, images and pipelines: a broad AWS policy hands that code the account. */
export const SageMakerExecutionRoleNoFullAccess: MLOpsRule = {
  name: 'SageMakerExecutionRoleNoFullAccess',
  info: 'A role SageMaker can assume carries a *FullAccess or AdministratorAccess managed policy.',
  explanation:
    'Execution roles run arbitrary user code (notebooks, training scripts, containers). AmazonSageMakerFullAccess, AmazonS3FullAccess, AdministratorAccess and the like grant every action on every resource of a service, so one compromised job reaches all data and models in the account. Replace them with a customer managed policy scoped to the buckets, keys and resources the role needs. Findings name the policy; ARNs supplied only through a reference to another resource or a parameter are not judged.',
  level: NagMessageLevel.ERROR,
  nist: ['AC-6', 'AC-6(10)', 'AC-3', 'AC-2'],
  securitySeverity: 8.5,
  resourceTypes: ['AWS::IAM::Role'],
  check(node: CfnResource) {
    if (!(node instanceof CfnRole) || !trustsSageMaker(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const findings = new Set<string>();
    for (const entry of list(resolved(node, node.managedPolicyArns), 'ManagedPolicyArns')) {
      for (const arn of candidates(entry)) {
        const name = BROAD_POLICY.exec(arn)?.[1];
        if (name !== undefined && !name.includes(PLACEHOLDER)) findings.add(name);
      }
    }
    return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
  },
};
