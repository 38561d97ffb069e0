/**
 * IAM action lists of the serving constructs. Explicit, so no policy carries a wildcard action
 * (`AwsSolutions-IAM5[Action::...]`) and every permission is reviewable in one place.
 */

/** Invoke a real-time endpoint (the grant behind `grantInvoke`). */
export const ENDPOINT_INVOKE_ACTIONS = ['sagemaker:InvokeEndpoint'];

/** Queue a request on an asynchronous endpoint (the endpoint half of `AsyncEndpoint.grantInvoke`). */
export const ASYNC_INVOKE_ACTIONS = ['sagemaker:InvokeEndpointAsync'];

/** Start, watch and stop the transform jobs a batch inference pipeline names `pipelines-*`. */
export const TRANSFORM_JOB_ACTIONS = [
  'sagemaker:CreateTransformJob',
  'sagemaker:DescribeTransformJob',
  'sagemaker:StopTransformJob',
  'sagemaker:AddTags',
];

/** Publish an async endpoint's success and error notifications (SageMaker calls it as the execution role). */
export const NOTIFICATION_PUBLISH_ACTIONS = ['sns:Publish'];

/** Encrypt a notification with the topic's key (SNS calls KMS on the publisher's behalf). */
export const NOTIFICATION_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/** Pull an image from one ECR repository (scoped to the repository ARN). */
export const ECR_PULL_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchGetImage',
];

/** Obtain an ECR registry token; the action has no resource type, so it takes `Resource: "*"`. */
export const ECR_AUTH_ACTIONS = ['ecr:GetAuthorizationToken'];

/** Read the one model artifact object. */
export const MODEL_ARTIFACT_READ_ACTIONS = ['s3:GetObject'];

/** Decrypt the model artifact (S3 calls KMS on the role's behalf). */
export const MODEL_ARTIFACT_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];

/** Write container logs into the endpoint's own, pre-created log group. */
export const ENDPOINT_LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'];

/** Publish metrics; CloudWatch has no resource types, so it is scoped by a namespace condition instead. */
export const METRIC_PUBLISH_ACTIONS = ['cloudwatch:PutMetricData'];

/**
 * Read the state of the auto-rollback alarms during a deployment. SageMaker calls it as the
 * models' execution role; it takes the `alarm` resource type, so it is scoped to the alarm ARNs.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html
 */
export const ROLLBACK_ALARM_ACTIONS = ['cloudwatch:DescribeAlarms'];

/** Read-only network discovery SageMaker does before it attaches a model to the VPC (no resource types). */
export const VPC_DESCRIBE_ACTIONS = [
  'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeNetworkInterfaces',
];

/** Network interfaces SageMaker creates in the VPC for the model (conditioned on the VPC). */
export const VPC_ENI_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:CreateNetworkInterfacePermission',
  'ec2:DeleteNetworkInterface',
  'ec2:DeleteNetworkInterfacePermission',
];

/**
 * What API Gateway's account-level CloudWatch role needs on log groups and their streams: the
 * actions of the AWS managed policy `AmazonAPIGatewayPushToCloudWatchLogs` that take a resource.
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonAPIGatewayPushToCloudWatchLogs.html
 */
export const APIGW_ACCOUNT_LOG_ACTIONS = [
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:DescribeLogStreams',
  'logs:PutLogEvents',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
];

/** The managed policy's remaining action, which has no resource type (`Resource: "*"` only). */
export const APIGW_ACCOUNT_LOG_LISTING_ACTIONS = ['logs:DescribeLogGroups'];
