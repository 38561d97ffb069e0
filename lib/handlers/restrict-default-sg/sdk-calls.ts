import type { SdkCall } from '../auto-shutdown/sdk-calls';

/**
 * Every AWS API call the default-security-group closer sends: it revokes the default group's
 * default rules on create and authorizes them again on delete. The authorization proof
 * (test/deploy) checks that the synthesized role allows each one on the default group's ARN and
 * on no other group. Its response to CloudFormation is a plain HTTPS PUT to a presigned S3 URL,
 * authorized by the URL's signature, not by the function's role.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
export const RESTRICT_DEFAULT_SG_SDK_CALLS: readonly SdkCall[] = [
  { service: 'ec2', operation: 'RevokeSecurityGroupIngress', iamAction: 'ec2:RevokeSecurityGroupIngress' },
  { service: 'ec2', operation: 'RevokeSecurityGroupEgress', iamAction: 'ec2:RevokeSecurityGroupEgress' },
  {
    service: 'ec2',
    operation: 'AuthorizeSecurityGroupIngress',
    iamAction: 'ec2:AuthorizeSecurityGroupIngress',
  },
  {
    service: 'ec2',
    operation: 'AuthorizeSecurityGroupEgress',
    iamAction: 'ec2:AuthorizeSecurityGroupEgress',
  },
];
