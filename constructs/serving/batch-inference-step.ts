import { ArgumentValue, StepDefinition } from '../training/pipeline-definition';

// The Transform step of a SageMaker pipeline definition (its Arguments are a CreateTransformJob
// request), shared by BatchInference and any SpotTrainingPipeline-style definition of yours. Pure:
// tokens stay strings, so the result renders into PipelineDefinitionBody as the other steps do.
// https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html

/**
 * The CSV example of the AWS page: the first column is the record id, kept out of the model's
 * input (`$[1:]`), joined back (`JoinSource: Input`) and written with the prediction (`$[0,-1]`),
 * so every output line carries the id of the record it scores.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html
 */
export const RECORD_ID_FIRST_COLUMN = { inputFilter: '$[1:]', outputFilter: '$[0,-1]' } as const;

/** What a Transform step needs. */
export interface TransformStepOptions {
  /** The SageMaker model to run (its network isolation and VPC apply to the job). */
  readonly modelName: ArgumentValue;
  /** S3 prefix of the input records. */
  readonly inputS3Uri: ArgumentValue;
  /** S3 prefix the predictions are written under. */
  readonly outputS3Uri: ArgumentValue;
  /** Key of the output objects (`TransformOutput.KmsKeyId`). */
  readonly outputKeyArn: string;
  /** Key of the ML storage volume; undefined for instance types with local NVMe storage. */
  readonly volumeKeyArn?: string;
  /** Instance type of the job. */
  readonly instanceType: ArgumentValue;
  /** Instances of the job. */
  readonly instanceCount: number;
  /** Content type of the records (and of the output, `Accept`). */
  readonly contentType: string;
  /** JSONPath of the part of each record the model sees (`DataProcessing.InputFilter`). */
  readonly inputFilter: string;
  /** JSONPath of the joined record written out (`DataProcessing.OutputFilter`). */
  readonly outputFilter: string;
  /** Largest mini-batch, MB (`MaxPayloadInMB`). */
  readonly maxPayloadMb?: number;
}

/**
 * A `Transform` step: one record per line in and out, records split by line and joined with the
 * predictions, output and volume encrypted with customer managed keys (MLOps-SageMakerPipelineTransformStep).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html
 */
export function transformStepDefinition(name: string, o: TransformStepOptions): StepDefinition {
  return {
    Name: name,
    Type: 'Transform',
    Arguments: {
      ModelName: o.modelName,
      BatchStrategy: 'MultiRecord',
      MaxPayloadInMB: o.maxPayloadMb ?? 6,
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: o.inputS3Uri } },
        ContentType: o.contentType,
        SplitType: 'Line',
        CompressionType: 'None',
      },
      TransformOutput: {
        S3OutputPath: o.outputS3Uri,
        KmsKeyId: o.outputKeyArn,
        Accept: o.contentType,
        AssembleWith: 'Line',
      },
      TransformResources: {
        InstanceType: o.instanceType,
        InstanceCount: o.instanceCount,
        ...(o.volumeKeyArn ? { VolumeKmsKeyId: o.volumeKeyArn } : {}),
      },
      DataProcessing: { InputFilter: o.inputFilter, JoinSource: 'Input', OutputFilter: o.outputFilter },
    },
  };
}
