import { ArnFormat, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { childPath, describeValue, PropsValidationError } from '../core/validate';
import { grantStart } from './pipeline-grants';
import type { ISpotTrainingPipeline } from './spot-training-pipeline';

/**
 * PipelineArn's documented pattern, with a non-empty region and the PipelineName pattern after
 * `pipeline/`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Pipeline.html
 */
const PIPELINE_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:pipeline\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;

/** PipelineName's documented pattern (same page). */
const PIPELINE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;

/** See {@link SpotTrainingPipeline.fromPipelineArn}. */
export function importPipelineByArn(
  scope: Construct,
  id: string,
  pipelineArn: string,
): ISpotTrainingPipeline {
  if (!Token.isUnresolved(pipelineArn) && !PIPELINE_ARN.test(pipelineArn)) {
    throw new PropsValidationError(childPath(scope, id), [
      {
        field: 'pipelineArn',
        problem: 'is not a SageMaker pipeline ARN',
        got: describeValue(pipelineArn),
        expected: 'arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>',
      },
    ]);
  }
  const name =
    Stack.of(scope).splitArn(pipelineArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? pipelineArn;
  return new ImportedPipeline(scope, id, name, pipelineArn);
}

/** See {@link SpotTrainingPipeline.fromPipelineName}. */
export function importPipelineByName(
  scope: Construct,
  id: string,
  pipelineName: string,
): ISpotTrainingPipeline {
  if (!Token.isUnresolved(pipelineName) && (pipelineName.length > 256 || !PIPELINE_NAME.test(pipelineName))) {
    throw new PropsValidationError(childPath(scope, id), [
      {
        field: 'pipelineName',
        problem: 'is not a SageMaker pipeline name',
        got: describeValue(pipelineName),
        expected: 'letters, digits and single or repeated hyphens between them, at most 256 characters',
      },
    ]);
  }
  return new ImportedPipeline(scope, id, pipelineName, pipelineArnFor(Stack.of(scope), pipelineName));
}

/** The ARN of a pipeline of `stack`'s account and region. */
export function pipelineArnFor(stack: Stack, pipelineName: string): string {
  return stack.formatArn({
    service: 'sagemaker',
    resource: 'pipeline',
    // SageMaker writes pipeline names into ARNs in lowercase; IAM compares ARNs case-sensitively.
    resourceName: Token.isUnresolved(pipelineName) ? pipelineName : pipelineName.toLowerCase(),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** A pipeline imported by name or ARN. */
class ImportedPipeline extends Resource implements ISpotTrainingPipeline {
  public readonly pipelineName: string;
  public readonly pipelineArn: string;

  constructor(scope: Construct, id: string, pipelineName: string, pipelineArn: string) {
    // The ARN's account and region make a pipeline of another account a cross-account resource.
    super(scope, id, { environmentFromArn: pipelineArn });
    this.pipelineName = pipelineName;
    this.pipelineArn = pipelineArn;
  }

  public get pipelineRef(): sagemaker.PipelineReference {
    return { pipelineName: this.pipelineName };
  }

  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return grantStart(grantee, this.pipelineArn);
  }
}
