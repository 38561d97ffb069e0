import type { SdkCall } from '../auto-shutdown/sdk-calls';

/**
 * Every AWS API call the drift-monitor handler sends. The handler's loopback-fake test fails on an
 * operation missing here, and the authorization proof (test/deploy) checks that the synthesized
 * role and bucket policy allow each one on the objects it reads and writes. `ListObjectsV2` is
 * authorized as `s3:ListBucket`; `PutObject` carries SSE-KMS headers (see store.ts).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const DRIFT_MONITOR_SDK_CALLS: readonly SdkCall[] = [
  { service: 's3', operation: 'ListObjectsV2', iamAction: 's3:ListBucket' },
  { service: 's3', operation: 'GetObject', iamAction: 's3:GetObject' },
  { service: 's3', operation: 'PutObject', iamAction: 's3:PutObject' },
  { service: 'cloudwatch', operation: 'PutMetricData', iamAction: 'cloudwatch:PutMetricData' },
];
