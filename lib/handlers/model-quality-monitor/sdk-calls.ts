import type { SdkCall } from '../auto-shutdown/sdk-calls';

/**
 * Every AWS API call the model-quality-monitor handler sends. Its loopback-fake test fails on an
 * operation missing here, and the authorization proof (test/deploy) checks that the synthesized
 * role and bucket policies allow each one on the prefixes it reads. `ListObjectsV2` is authorized
 * as `s3:ListBucket`. Reading SSE-KMS objects also needs `kms:Decrypt`, which the bucket grants add.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const MODEL_QUALITY_MONITOR_SDK_CALLS: readonly SdkCall[] = [
  { service: 's3', operation: 'ListObjectsV2', iamAction: 's3:ListBucket' },
  { service: 's3', operation: 'GetObject', iamAction: 's3:GetObject' },
  { service: 'cloudwatch', operation: 'PutMetricData', iamAction: 'cloudwatch:PutMetricData' },
  // With a package baseline: the registered version's ModelQuality statistics (then GetObject).
  { service: 'sagemaker', operation: 'DescribeModelPackage', iamAction: 'sagemaker:DescribeModelPackage' },
];
