/** AWS documentation pages the cases cite (one place, so the matrix and tests agree). */
export const DOC = {
  lambdaRole: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  lambdaLogs: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html',
  lambdaVpc: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html',
  lambdaAsync: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html',
  lambdaXray: 'https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html',
  sqsSse:
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html',
  snsSse: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html',
  snsServices:
    'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services',
  scheduler: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html',
  schedulerDlq: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html',
  sagemakerActions:
    'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html',
  sagemakerTags: 'https://docs.aws.amazon.com/sagemaker/latest/dg/security_iam_id-based-policy-examples.html',
  cloudwatchNamespace:
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html',
  cloudwatchActions:
    'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html',
  s3Actions: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html',
  s3Prefix: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html',
  s3Sse: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html',
  s3DefaultEncryption: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html',
  s3Multipart: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions',
  s3KmsContext: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
  s3AccessLogs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
  s3Replication:
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html',
  s3ReplicationKms:
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html',
  s3Tls: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html',
  kmsViaService:
    'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service',
  kmsGrantForResource:
    'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource',
  kmsKeyPolicyDefault: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html',
  kmsPutKeyPolicy: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html',
  kmsCrossAccount:
    'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html',
  logsKms: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
  cloudTrailKms:
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html',
  cloudTrailBucket:
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html',
  cloudTrailDigest:
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html',
  cloudTrailLogs:
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html',
  cloudTrailBucketKey: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html',
  alarmsSns: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html',
  eventsSns: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html',
  sagemakerEvents:
    'https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-model-package',
  eventsLambda:
    'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions',
  s3HeadObject: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html',
  eventsDlq: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html',
  eventsRole: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html',
  budgetsSns: 'https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html',
  confusedDeputy: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
  apiGatewayLogging: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
  apiGatewaySageMaker:
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html',
  wafLogs: 'https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html',
  ecrEndpoints: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
  ecrPull: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-pull.html',
  vpceS3: 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html',
  sagemakerRoles: 'https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html',
  sagemakerVpc: 'https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html',
  sagemakerKms: 'https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html',
  sagemakerCapture: 'https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html',
  sagemakerGuardrails:
    'https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html',
  pipelinesRole: 'https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-access.html',
  passRole: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
  featureStore: 'https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-adding-policies.html',
  trust: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html',
  ec2SecurityGroups: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html',
  cfnResponses: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html',
  flowLogs: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html',
} as const;
