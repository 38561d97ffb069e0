/**
 * Every IAM action `compliant-mlops audit` calls, by check group: the read-only policy its role
 * needs, action by action (no wildcards, so a reviewer sees exactly what is read). The audit never
 * calls a mutating API; IAM's `GenerateServiceLastAccessedDetails` only starts a report job.
 * A test runs every check group against the loopback fake and proves each request it sends is
 * listed here, and that every action exists in the Service Authorization Reference table.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */
export const AUDIT_IAM_ACTIONS: readonly string[] = [
  // endpoint-configs, idle-endpoints, endpoint-monitoring
  'sagemaker:ListEndpointConfigs',
  'sagemaker:DescribeEndpointConfig',
  'sagemaker:ListEndpoints',
  'sagemaker:DescribeEndpoint',
  'sagemaker:ListMonitoringSchedules',
  'cloudwatch:GetMetricData',
  'cloudwatch:ListMetrics',
  // models, model-registry
  'sagemaker:ListModels',
  'sagemaker:DescribeModel',
  'sagemaker:ListModelPackageGroups',
  'sagemaker:ListModelPackages',
  // notebooks, lifecycle-configs, studio-lifecycle-configs
  'sagemaker:ListNotebookInstances',
  'sagemaker:DescribeNotebookInstance',
  'sagemaker:ListNotebookInstanceLifecycleConfigs',
  'sagemaker:DescribeNotebookInstanceLifecycleConfig',
  'sagemaker:ListStudioLifecycleConfigs',
  'sagemaker:DescribeStudioLifecycleConfig',
  // domains, images, image-versions, app-image-configs (ListTags: images and app image configs)
  'sagemaker:ListDomains',
  'sagemaker:DescribeDomain',
  'sagemaker:ListImages',
  'sagemaker:DescribeImage',
  'sagemaker:ListImageVersions',
  'sagemaker:DescribeImageVersion',
  'sagemaker:ListAppImageConfigs',
  'sagemaker:ListTags',
  // inference-experiments, training-jobs, flow-definitions
  'sagemaker:ListInferenceExperiments',
  'sagemaker:DescribeInferenceExperiment',
  'sagemaker:ListTrainingJobs',
  'sagemaker:DescribeTrainingJob',
  'sagemaker:ListFlowDefinitions',
  'sagemaker:DescribeFlowDefinition',
  // keys
  'kms:DescribeKey',
  'kms:GetKeyRotationStatus',
  // iam-users
  'iam:ListUsers',
  'iam:GenerateServiceLastAccessedDetails',
  'iam:GetServiceLastAccessedDetails',
];

/** {@link AUDIT_IAM_ACTIONS} as an IAM policy document (Resource `*`: List and Describe calls of every resource). */
export function auditPolicyDocument(): { Version: string; Statement: Record<string, unknown>[] } {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'CompliantMlopsAuditReadOnly', Effect: 'Allow', Action: [...AUDIT_IAM_ACTIONS], Resource: '*' },
    ],
  };
}
