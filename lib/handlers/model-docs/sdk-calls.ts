import type { SdkCall } from '../auto-shutdown/sdk-calls';

/**
 * Every AWS API call the model-docs handler sends. The handler's loopback-fake test fails on an
 * operation missing here, and the authorization proof (test/deploy) checks that the synthesized
 * role allows each one on the resources it targets.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
export const MODEL_DOCS_SDK_CALLS: readonly SdkCall[] = [
  { service: 'sagemaker', operation: 'DescribeModelPackage', iamAction: 'sagemaker:DescribeModelPackage' },
  { service: 'sagemaker', operation: 'DescribeModelCard', iamAction: 'sagemaker:DescribeModelCard' },
  { service: 'sagemaker', operation: 'CreateModelCard', iamAction: 'sagemaker:CreateModelCard' },
  { service: 'sagemaker', operation: 'UpdateModelCard', iamAction: 'sagemaker:UpdateModelCard' },
  { service: 's3', operation: 'GetObject', iamAction: 's3:GetObject' },
  { service: 'cloudwatch', operation: 'PutMetricData', iamAction: 'cloudwatch:PutMetricData' },
];
