/** ECR actions to pull one image from one repository (no wildcards). */
export const ECR_PULL_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchCheckLayerAvailability',
];

/** ECR registry login; the action accepts only Resource "*". */
export const ECR_AUTH_ACTIONS = ['ecr:GetAuthorizationToken'];

/** What the pipeline role does with the training jobs it starts. */
export const TRAINING_JOB_ACTIONS = [
  'sagemaker:CreateTrainingJob',
  'sagemaker:DescribeTrainingJob',
  'sagemaker:StopTrainingJob',
  'sagemaker:AddTags',
];

/** What the pipeline role does with the processing (evaluation) jobs it starts. */
export const PROCESSING_JOB_ACTIONS = [
  'sagemaker:CreateProcessingJob',
  'sagemaker:DescribeProcessingJob',
  'sagemaker:StopProcessingJob',
  'sagemaker:AddTags',
];

/** Registering a model version into a model package group. */
export const REGISTER_MODEL_ACTIONS = [
  'sagemaker:CreateModelPackage',
  'sagemaker:DescribeModelPackage',
  'sagemaker:DescribeModelPackageGroup',
  'sagemaker:AddTags',
];

/** Reviewing a model version: reading it and setting its approval status. */
export const APPROVE_MODEL_ACTIONS = [
  'sagemaker:DescribeModelPackage',
  'sagemaker:ListModelPackages',
  'sagemaker:UpdateModelPackage',
  'sagemaker:DescribeModelPackageGroup',
];

/** Reading a model package group and its versions (cross-account promotion). */
export const READ_MODEL_PACKAGE_ACTIONS = [
  'sagemaker:DescribeModelPackage',
  'sagemaker:DescribeModelPackageGroup',
  'sagemaker:ListModelPackages',
];

/** Starting a pipeline (schedule and event triggers). */
export const START_PIPELINE_ACTIONS = ['sagemaker:StartPipelineExecution'];

/** Writing job logs to CloudWatch Logs. */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'];

/** Creating a job's log group on first use. */
export const LOG_GROUP_ACTIONS = ['logs:CreateLogGroup'];

/** Network interfaces a job in a VPC needs; EC2 accepts only Resource "*" for the Describe calls. */
export const VPC_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:CreateNetworkInterfacePermission',
  'ec2:DeleteNetworkInterface',
  'ec2:DeleteNetworkInterfacePermission',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
];

/** Publishing training metrics (the metric definitions) to CloudWatch. */
export const METRIC_ACTIONS = ['cloudwatch:PutMetricData'];

/** KMS actions a job needs on its volume and output key: SageMaker creates grants for the volumes. */
export const JOB_KEY_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:DescribeKey',
  'kms:CreateGrant',
];
