/** One AWS API call a handler makes, and the IAM action that authorizes it. */
export interface SdkCall {
  /** Service as the loopback fake names it (`sagemaker`, `cloudwatch`, `s3`, `kms`, `ec2`). */
  readonly service: 'sagemaker' | 'cloudwatch' | 's3' | 'kms' | 'ec2';
  /** Operation name: the SDK command without `Command`. */
  readonly operation: string;
  /** The IAM action AWS checks for the operation. */
  readonly iamAction: string;
}

/**
 * Every AWS API call the auto-shutdown handler sends. The handler's loopback-fake test fails on an
 * operation missing here, and the authorization proof (test/deploy) checks that the synthesized
 * role allows each one on the resources it targets: a new SDK call without a grant fails a test.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
export const AUTO_SHUTDOWN_SDK_CALLS: readonly SdkCall[] = [
  { service: 'sagemaker', operation: 'ListNotebookInstances', iamAction: 'sagemaker:ListNotebookInstances' },
  { service: 'sagemaker', operation: 'ListApps', iamAction: 'sagemaker:ListApps' },
  { service: 'sagemaker', operation: 'ListEndpoints', iamAction: 'sagemaker:ListEndpoints' },
  { service: 'sagemaker', operation: 'ListTags', iamAction: 'sagemaker:ListTags' },
  { service: 'sagemaker', operation: 'StopNotebookInstance', iamAction: 'sagemaker:StopNotebookInstance' },
  { service: 'sagemaker', operation: 'DescribeApp', iamAction: 'sagemaker:DescribeApp' },
  { service: 'sagemaker', operation: 'DeleteApp', iamAction: 'sagemaker:DeleteApp' },
  { service: 'sagemaker', operation: 'DescribeEndpoint', iamAction: 'sagemaker:DescribeEndpoint' },
  {
    service: 'sagemaker',
    operation: 'DescribeEndpointConfig',
    iamAction: 'sagemaker:DescribeEndpointConfig',
  },
  { service: 'sagemaker', operation: 'AddTags', iamAction: 'sagemaker:AddTags' },
  { service: 'sagemaker', operation: 'DeleteEndpoint', iamAction: 'sagemaker:DeleteEndpoint' },
  { service: 'cloudwatch', operation: 'GetMetricData', iamAction: 'cloudwatch:GetMetricData' },
  { service: 'cloudwatch', operation: 'PutMetricData', iamAction: 'cloudwatch:PutMetricData' },
];
