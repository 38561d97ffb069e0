import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { literal, resolved } from '../../rule-helpers';

/** The settings under which a pushed tag keeps naming the same image. */
const IMMUTABLE = ['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'];

/** A mutable tag can be re-pointed at another image after review. */
export const ECRRepositoryImmutableTags: MLOpsRule = {
  name: 'ECRRepositoryImmutableTags',
  info: 'The ECR repository allows image tags to be overwritten (ImageTagMutability is not IMMUTABLE).',
  explanation:
    'With mutable tags (the default) anyone who can push may re-point a reviewed tag such as v1.4 at a different image, so what is deployed or retrained is no longer what was scanned and approved. Set ImageTagMutability to IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION with exclusion filters only for tags that are meant to move (never for release tags); deploy by digest as well (MLOps-SageMakerModelImageDigest).',
  level: NagMessageLevel.ERROR,
  nist: ['CM-2', 'CM-14', 'SI-7'],
  securitySeverity: 5.5,
  resourceTypes: ['AWS::ECR::Repository'],
  check(node: CfnResource) {
    if (!(node instanceof CfnRepository)) return NagRuleCompliance.NOT_APPLICABLE;
    const v = literal(resolved(node, node.imageTagMutability), 'ImageTagMutability');
    return typeof v === 'string' && IMMUTABLE.includes(v)
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
