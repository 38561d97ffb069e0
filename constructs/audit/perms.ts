/**
 * IAM actions of the audit trail, listed explicitly (no wildcards, `AwsSolutions-IAM5`).
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
 */

/** What CloudTrail needs to deliver events to its CloudWatch Logs log group. */
export const LOG_DELIVERY_ACTIONS: readonly string[] = ['logs:CreateLogStream', 'logs:PutLogEvents'];
