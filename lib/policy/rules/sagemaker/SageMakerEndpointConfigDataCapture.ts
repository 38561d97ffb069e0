import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isSet, isTrue, list, resolved } from '../../rule-helpers';

/** Without captured requests and responses there is nothing to monitor for drift or to investigate an incident with. */
export const SageMakerEndpointConfigDataCapture: MLOpsRule = {
  name: 'SageMakerEndpointConfigDataCapture',
  info: 'The SageMaker endpoint config does not capture inference data encrypted with its own KMS key.',
  explanation:
    'Model Monitor and incident response need the requests and responses an endpoint served, and the captured payloads are sensitive data that need their own customer managed key. Set DataCaptureConfig with EnableCapture true and KmsKeyId. Findings: DataCaptureConfig (absent), EnableCapture, KmsKeyId. Serverless-only configs, which cannot capture, are not checked.',
  level: NagMessageLevel.ERROR,
  nist: ['AU-2', 'AU-12', 'SI-4', 'SC-28'],
  securitySeverity: 5.0,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpointConfig)) return NagRuleCompliance.NOT_APPLICABLE;
    const variants = list(resolved(node, node.productionVariants), 'ProductionVariants');
    const serverlessOnly =
      variants.length > 0 &&
      variants.every((v, i) => field(v, `ProductionVariants.${i}`, 'serverlessConfig') !== undefined);
    if (serverlessOnly) return NagRuleCompliance.NOT_APPLICABLE;
    const capture = resolved(node, node.dataCaptureConfig);
    if (!isSet(capture, 'DataCaptureConfig')) return ['DataCaptureConfig'];
    const findings: string[] = [];
    if (!isTrue(field(capture, 'DataCaptureConfig', 'enableCapture'), 'DataCaptureConfig.EnableCapture')) {
      findings.push('EnableCapture');
    }
    if (!isSet(field(capture, 'DataCaptureConfig', 'kmsKeyId'), 'DataCaptureConfig.KmsKeyId'))
      findings.push('KmsKeyId');
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
