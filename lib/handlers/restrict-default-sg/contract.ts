/**
 * The contract between the restrict-default-sg handler and the `DefaultSecurityGroupCloser`
 * construct: the custom resource type and properties, the environment variables and their
 * defaults. No aws-cdk-lib here (runtime code).
 */

/**
 * The custom resource type. The same name as aws-cdk-lib's `restrictDefaultSecurityGroup`
 * resource, with the same properties, so that cdk-nag's `VPCDefaultSecurityGroupClosed` and
 * `compliant-mlops check` recognise either as the evidence that a VPC's default group is closed.
 */
export const RESOURCE_TYPE = 'Custom::VpcRestrictDefaultSG';

/** Custom resource properties (besides `ServiceToken`). */
export const PROPERTIES = {
  /** The VPC's default security group id (`Fn::GetAtt <Vpc>.DefaultSecurityGroup`). */
  defaultSecurityGroupId: 'DefaultSecurityGroupId',
  /** The account that owns the group: the default ingress rule admits the group itself by account and id. */
  account: 'Account',
} as const;

/**
 * The physical id answered for a failed Create: CloudFormation then deletes the resource while
 * rolling back, and a Delete with this id must not restore rules that were never revoked.
 */
export const CREATE_FAILED_PHYSICAL_ID = 'compliant-mlops::restrict-default-sg::CREATE_FAILED';

/** Environment variables the handler reads (all optional). */
export const ENV = {
  /** Attempts per EC2 request (throttling and 5xx are retried with backoff by the SDK). */
  maxAttempts: 'RESTRICT_SG_MAX_ATTEMPTS',
  /** Milliseconds to establish a connection to EC2 or S3. */
  connectionTimeoutMs: 'RESTRICT_SG_CONNECTION_TIMEOUT_MS',
  /** Milliseconds an EC2 request or the response upload may take once connected. */
  requestTimeoutMs: 'RESTRICT_SG_REQUEST_TIMEOUT_MS',
} as const;

/** Defaults of the environment variables and the fixed limits of one run. */
export const DEFAULTS = {
  maxAttempts: 3,
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
  /** Attempts to upload the response to the pre-signed URL. */
  responseAttempts: 5,
  /** Time kept back from the Lambda deadline to report a run that overran as FAILED. */
  responseReserveMs: 30_000,
} as const;

/**
 * CloudFormation refuses a response body over 4096 bytes.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
export const MAX_RESPONSE_BYTES = 4096;
