import type { SdkCall } from '../auto-shutdown/sdk-calls';

/**
 * Every AWS API call the dataset-manifest handler sends. Its loopback-fake test fails on an
 * operation missing here, and the authorization proof (test/deploy) checks that the synthesized
 * role allows each one. `ListObjectsV2` is authorized as `s3:ListBucket`; GetObject without a
 * VersionId reads the current version and returns its version id (`x-amz-version-id`), so no
 * `s3:GetObjectVersion` is needed.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const DATASET_MANIFEST_SDK_CALLS: readonly SdkCall[] = [
  { service: 's3', operation: 'ListObjectsV2', iamAction: 's3:ListBucket' },
  { service: 's3', operation: 'GetObject', iamAction: 's3:GetObject' },
  { service: 's3', operation: 'PutObject', iamAction: 's3:PutObject' },
];
