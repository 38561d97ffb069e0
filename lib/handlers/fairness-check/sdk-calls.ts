import type { SdkCall } from '../auto-shutdown/sdk-calls';

/**
 * Every AWS API call the fairness-check handler sends: it reads one predictions object by its
 * exact key (no listing) and writes one report. The handler's loopback-fake test fails on an
 * operation missing here, and the authorization proof (test/deploy) checks that the synthesized
 * role allows each one on the resources it targets.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const FAIRNESS_CHECK_SDK_CALLS: readonly SdkCall[] = [
  { service: 's3', operation: 'GetObject', iamAction: 's3:GetObject' },
  { service: 's3', operation: 'PutObject', iamAction: 's3:PutObject' },
];
