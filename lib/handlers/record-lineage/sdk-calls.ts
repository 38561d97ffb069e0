import type { SdkCall } from '../auto-shutdown/sdk-calls';

/**
 * Every AWS API call the record-lineage handler sends (its loopback-fake test fails on any other;
 * the authorization proof checks the role allows it on the group's versions only).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
 */
export const RECORD_LINEAGE_SDK_CALLS: readonly SdkCall[] = [
  { service: 'sagemaker', operation: 'UpdateModelPackage', iamAction: 'sagemaker:UpdateModelPackage' },
];
