/**
 * Every IAM action `compliant-mlops rightsize` calls: the read-only policy its role needs, action
 * by action. A test runs both check groups against the loopback fake and proves each request is
 * listed here, and every action exists in the Service Authorization Reference.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awspricelist.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
export const RIGHTSIZE_IAM_ACTIONS: readonly string[] = [
  // endpoints and their variants' types
  'sagemaker:ListEndpoints',
  'sagemaker:DescribeEndpoint',
  'sagemaker:DescribeEndpointConfig',
  // recent training jobs
  'sagemaker:ListTrainingJobs',
  'sagemaker:DescribeTrainingJob',
  // models and package groups not updated
  'sagemaker:ListModels',
  'sagemaker:ListModelPackageGroups',
  'sagemaker:ListModelPackages',
  // utilisation, invocations, alarms
  'cloudwatch:GetMetricData',
  'cloudwatch:DescribeAlarms',
  // on-demand prices
  'pricing:GetProducts',
];

/** {@link RIGHTSIZE_IAM_ACTIONS} as an IAM policy document (Resource `*`: List, Describe and Get calls). */
export function rightsizePolicyDocument(): { Version: string; Statement: Record<string, unknown>[] } {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CompliantMlopsRightsizeReadOnly',
        Effect: 'Allow',
        Action: [...RIGHTSIZE_IAM_ACTIONS],
        Resource: '*',
      },
    ],
  };
}
