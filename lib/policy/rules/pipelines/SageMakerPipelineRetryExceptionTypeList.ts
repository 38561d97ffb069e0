import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { checkablePipelineSteps, isObject, PLACEHOLDER, UnresolvableError } from '../../rule-helpers';

/** SageMaker reads a retry policy's ExceptionType as a list of strings; a single string is not a valid definition. */
export const SageMakerPipelineRetryExceptionTypeList: MLOpsRule = {
  name: 'SageMakerPipelineRetryExceptionTypeList',
  info: 'A SageMaker pipeline retry policy gives ExceptionType as a string, not a list of strings: AWS rejects this definition.',
  explanation:
    'The retry policy JSON schema is "ExceptionType": [String] (pipelines-retry-policy.html), e.g. ["SageMaker.CAPACITY_ERROR"]. A plain string is not a list of exception types, so the step is not retried as intended or the definition is refused. Write each ExceptionType as an array. Findings: <step>.RetryPolicies.<i>.ExceptionType, steps nested in Condition steps included.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-6', 'CP-10', 'SI-11'],
  securitySeverity: 2.0,
  resourceTypes: ['AWS::SageMaker::Pipeline'],
  check(node: CfnResource) {
    const steps = checkablePipelineSteps(node)?.filter((s) => Array.isArray(s.step.RetryPolicies));
    if (!steps || steps.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const findings: string[] = [];
    for (const { name, step } of steps) {
      (step.RetryPolicies as unknown[]).forEach((policy, i) => {
        if (!isObject(policy)) return;
        const type = policy.ExceptionType;
        const what = `${name}.RetryPolicies.${i}.ExceptionType`;
        // A CloudFormation reference spliced in place of the list is unknown text, not a string.
        if (type === PLACEHOLDER) throw new UnresolvableError(what, type);
        // https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html
        if (!Array.isArray(type) || type.length === 0 || !type.every((t) => typeof t === 'string'))
          findings.push(what);
      });
    }
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
