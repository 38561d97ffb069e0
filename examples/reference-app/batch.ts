import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { BatchInference } from '../../constructs/serving/batch-inference';
import { ISecureBucket } from '../../constructs/storage/secure-bucket';

/** Options of {@link addBatchInference}. */
export interface BatchInferenceOptions {
  readonly vpc: ec2.IVpc;
  readonly imageRepository: ecr.IRepository;
  readonly imageDigest: string;
  /** The platform's model artifact bucket: the job's role reads exactly `modelDataKey` in it. */
  readonly modelBucket: ISecureBucket;
  readonly modelDataKey: string;
  /** The serving stack's own bucket: records in, predictions out (its policy takes the prefix grants). */
  readonly ioBucket: ISecureBucket;
  /** The volume key (the platform's `models` key). */
  readonly encryptionKey: kms.IKey;
}

/**
 * The batch mode of the served model (issue 18: one model served in two modes, here three): every
 * night at 02:00 UTC a SageMaker pipeline runs one transform job over the CSV records landed under
 * `batch-inference/<pipeline>/input/` of the serving stack's bucket (record id first), with the
 * same network-isolated, digest-pinned model as the endpoint, in the inference network's isolated
 * subnets, volume encrypted with the `models` key and predictions with the bucket's key, each
 * prediction joined to its record id under `…/output/<execution id>/`.
 */
export function addBatchInference(scope: Construct, o: BatchInferenceOptions): BatchInference {
  return new BatchInference(scope, 'BatchInference', {
    vpc: o.vpc,
    imageRepository: o.imageRepository,
    imageDigest: o.imageDigest,
    modelBucket: o.modelBucket,
    modelDataKey: o.modelDataKey,
    ioBucket: o.ioBucket,
    encryptionKey: o.encryptionKey,
    schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }),
  });
}
