/** IAM action lists of the drift monitor (explicit, so no policy carries a wildcard action). */

/** Publishing the drift metrics; scoped by the `cloudwatch:namespace` condition key. */
export const PUT_METRIC_DATA_ACTIONS = ['cloudwatch:PutMetricData'];

// The schedule's role gets lambda:InvokeFunction on the function and sqs:SendMessage on its
// dead-letter queue from aws-cdk-lib's LambdaInvoke target, which grants both to the role it is given.

/** KMS actions SQS performs for a sender to a KMS-encrypted queue. */
export const DEAD_LETTER_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
