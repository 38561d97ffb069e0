import type { SdkCall } from '../auto-shutdown/sdk-calls';

/**
 * Every AWS API call the legal-hold handler sends. The handler's loopback-fake test fails on an
 * operation missing here, and the authorization proof (test/deploy) checks that the synthesized
 * role allows each one on the resources it targets. A legal hold on a specific version (the
 * `versionId` query parameter) is still authorized as `s3:PutObjectLegalHold` /
 * `s3:GetObjectLegalHold`; `ListModelPackages` has no resource-level permissions.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
export const LEGAL_HOLD_SDK_CALLS: readonly SdkCall[] = [
  { service: 'sagemaker', operation: 'DescribeModelPackage', iamAction: 'sagemaker:DescribeModelPackage' },
  { service: 'sagemaker', operation: 'ListModelPackages', iamAction: 'sagemaker:ListModelPackages' },
  { service: 's3', operation: 'GetObject', iamAction: 's3:GetObject' },
  { service: 's3', operation: 'PutObjectLegalHold', iamAction: 's3:PutObjectLegalHold' },
  { service: 's3', operation: 'GetObjectLegalHold', iamAction: 's3:GetObjectLegalHold' },
  { service: 'cloudwatch', operation: 'PutMetricData', iamAction: 'cloudwatch:PutMetricData' },
];
