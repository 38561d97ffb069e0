/** IAM action lists of the drift monitor (explicit, so no policy carries a wildcard action). */

/** Publishing the drift metrics; scoped by the `cloudwatch:namespace` condition key. */
export const PUT_METRIC_DATA_ACTIONS = ['cloudwatch:PutMetricData'];

/** What the schedule's role may do to the analysis function: invoke it, nothing else. */
export const INVOKE_FUNCTION_ACTIONS = ['lambda:InvokeFunction'];

/** What the schedule's role needs to park an undeliverable run in the KMS-encrypted dead-letter queue. */
export const DEAD_LETTER_SEND_ACTIONS = ['sqs:SendMessage'];

/** KMS actions SQS performs for a sender to a KMS-encrypted queue. */
export const DEAD_LETTER_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
