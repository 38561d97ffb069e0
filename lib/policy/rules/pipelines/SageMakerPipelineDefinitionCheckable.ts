import { CfnResource } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { pipelineDefinitionOf } from '../../rule-helpers';

/** The pipeline rules can only vouch for steps they can read; an unreadable definition is unreviewed code. */
export const SageMakerPipelineDefinitionCheckable: MLOpsRule = {
  name: 'SageMakerPipelineDefinitionCheckable',
  info: 'The SageMaker pipeline definition cannot be checked (stored in S3, or not parseable JSON).',
  explanation:
    'The MLOps pipeline rules read the definition JSON to check every training, processing and register-model step. A definition in S3 (PipelineDefinitionS3Location) or a body that is not JSON after resolving Fn::Join/Fn::Sub cannot be checked, so none of those controls is verified. Inline the definition as PipelineDefinitionBody, or acknowledge this finding with an owner and an expiry after reviewing the definition. Findings: DefinitionInS3, DefinitionNotParseable.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-2', 'CM-3', 'SA-11'],
  securitySeverity: 4.0,
  resourceTypes: ['AWS::SageMaker::Pipeline'],
  check(node: CfnResource) {
    if (!(node instanceof CfnPipeline)) return NagRuleCompliance.NOT_APPLICABLE;
    const result = pipelineDefinitionOf(node);
    if (result.kind === 's3') return ['DefinitionInS3'];
    if (result.kind === 'unparseable') return ['DefinitionNotParseable'];
    return NagRuleCompliance.COMPLIANT;
  },
};
