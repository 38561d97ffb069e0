import type { SdkCall } from '../auto-shutdown/sdk-calls';

/**
 * Every AWS API call the review-gate handler sends. The handler's loopback-fake test fails on an
 * operation missing here, and the authorization proof (test/deploy) checks that the synthesized
 * role allows each one on the resources it targets. `HeadObject` is authorized as `s3:GetObject`.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 */
export const REVIEW_GATE_SDK_CALLS: readonly SdkCall[] = [
  { service: 'sagemaker', operation: 'DescribeModelPackage', iamAction: 'sagemaker:DescribeModelPackage' },
  { service: 'sagemaker', operation: 'UpdateModelPackage', iamAction: 'sagemaker:UpdateModelPackage' },
  { service: 's3', operation: 'HeadObject', iamAction: 's3:GetObject' },
  { service: 'cloudwatch', operation: 'PutMetricData', iamAction: 'cloudwatch:PutMetricData' },
];
