/**
 * IAM actions of the auto-shutdown function, in one reviewable place. Listing calls accept only
 * Resource "*"; everything that changes a resource is scoped to its ARN type and conditioned on
 * its tags (see `AutoShutdown`).
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */

/** SageMaker listings: no resource-level permissions. */
export const LIST_ACTIONS = [
  'sagemaker:ListNotebookInstances',
  'sagemaker:ListApps',
  'sagemaker:ListEndpoints',
] as const;

/** Reading the tags of the resources the sweep examines. */
export const READ_TAG_ACTIONS = ['sagemaker:ListTags'] as const;

/** Reading a Studio app's activity timestamps. */
export const DESCRIBE_APP_ACTIONS = ['sagemaker:DescribeApp'] as const;

/** Reading an endpoint's config name and variants. */
export const DESCRIBE_ENDPOINT_ACTIONS = ['sagemaker:DescribeEndpoint'] as const;

/**
 * Reading an endpoint config, to skip serverless endpoints (they cost nothing while idle). Its
 * resource type is `endpoint-config`, so it is granted on endpoint-config ARNs, not endpoint ARNs.
 */
export const DESCRIBE_ENDPOINT_CONFIG_ACTIONS = ['sagemaker:DescribeEndpointConfig'] as const;

/** Stopping a notebook instance. */
export const STOP_NOTEBOOK_ACTIONS = ['sagemaker:StopNotebookInstance'] as const;

/** Deleting a Studio app. */
export const DELETE_APP_ACTIONS = ['sagemaker:DeleteApp'] as const;

/** Deleting an endpoint. */
export const DELETE_ENDPOINT_ACTIONS = ['sagemaker:DeleteEndpoint'] as const;

/** Writing the restore record on an endpoint config (and the idle signal on a notebook instance). */
export const TAG_ACTIONS = ['sagemaker:AddTags'] as const;

/** Endpoint invocation metrics: GetMetricData has no resource-level permissions. */
export const METRIC_READ_ACTIONS = ['cloudwatch:GetMetricData'] as const;

/** Run metrics: PutMetricData has no resource-level permissions; conditioned on the namespace. */
export const METRIC_PUBLISH_ACTIONS = ['cloudwatch:PutMetricData'] as const;
