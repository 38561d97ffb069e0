import { type AccessCase, sseKms, viaS3 } from '../cases';
import type { ReferenceModel } from '../harness';
import { DOC } from './docs';

const CLOUDTRAIL = { service: 'cloudtrail.amazonaws.com' } as const;
const trailArn = (m: ReferenceModel) => m.arn('Audit');
const trailSource = (m: ReferenceModel) => ({ 'aws:SourceArn': trailArn(m), 'aws:SourceAccount': m.account });
const LOG_FILE = (m: ReferenceModel) =>
  `AWSLogs/${m.account}/CloudTrail/${m.region}/2026/12/01/${m.account}_CloudTrail_${m.region}_20261201T1005Z_abc.json.gz`;
const DIGEST_FILE = (m: ReferenceModel) =>
  `AWSLogs/${m.account}/CloudTrail-Digest/${m.region}/2026/12/01/${m.account}_CloudTrail-Digest_${m.region}_trail_${m.region}_20261201T1005Z.json.gz`;

/** CloudTrail delivering to its bucket, its key and its log group. */
const cloudTrail: AccessCase[] = [
  {
    actor: CLOUDTRAIL,
    action: 's3:GetBucketAcl',
    resourceLabel: 'AuditBucket',
    resource: (m) => m.arn('AuditBucket'),
    options: (m) => ({ context: trailSource(m) }),
    expect: 'allow',
    why: 'checks the bucket ACL before delivering',
    doc: DOC.cloudTrailBucket,
  },
  {
    actor: CLOUDTRAIL,
    action: 's3:PutObject',
    resourceLabel: 'AuditBucket/AWSLogs/<account>/CloudTrail/… (SSE-KMS headers)',
    resource: (m) => m.object('AuditBucket', LOG_FILE(m)),
    options: (m) => ({
      context: {
        ...trailSource(m),
        's3:x-amz-acl': 'bucket-owner-full-control',
        ...sseKms(m.arn('KeysAuditKey')),
      },
    }),
    expect: 'allow',
    why: 'delivers a log file',
    doc: DOC.cloudTrailBucket,
  },
  {
    actor: CLOUDTRAIL,
    action: 's3:PutObject',
    resourceLabel: 'AuditBucket/AWSLogs/<account>/CloudTrail-Digest/… (SSE-S3)',
    resource: (m) => m.object('AuditBucket', DIGEST_FILE(m)),
    options: (m) => ({
      context: {
        ...trailSource(m),
        's3:x-amz-acl': 'bucket-owner-full-control',
        's3:x-amz-server-side-encryption': 'AES256',
      },
    }),
    expect: 'allow',
    why: 'log file validation delivers digest files, always SSE-S3',
    doc: DOC.cloudTrailDigest,
  },
  {
    actor: CLOUDTRAIL,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysAuditKey',
    resource: (m) => m.arn('KeysAuditKey'),
    options: (m) => ({
      context: { ...trailSource(m), 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn(m) },
    }),
    expect: 'allow',
    why: 'encrypts log files',
    doc: DOC.cloudTrailKms,
  },
  {
    actor: CLOUDTRAIL,
    action: 'kms:DescribeKey',
    resourceLabel: 'KeysAuditKey',
    resource: (m) => m.arn('KeysAuditKey'),
    options: (m) => ({ context: trailSource(m) }),
    expect: 'allow',
    why: 'CreateTrail validates the key; DescribeKey carries no encryption context',
    doc: DOC.cloudTrailKms,
  },
  {
    actor: CLOUDTRAIL,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysAuditKey',
    resource: (m) => m.arn('KeysAuditKey'),
    options: (m) => ({
      context: { ...trailSource(m), 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn(m) },
    }),
    expect: 'allow',
    why: 'delivery to a bucket with an S3 Bucket Key decrypts the bucket-level key',
    doc: DOC.cloudTrailBucketKey,
  },
  {
    actor: CLOUDTRAIL,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysAuditKey (trail of another account)',
    resource: (m) => m.arn('KeysAuditKey'),
    options: () => ({
      context: {
        'aws:SourceAccount': '210987654321',
        'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/other',
        'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/other',
      },
    }),
    expect: 'deny',
    why: 'no other account’s trail encrypts with the audit key',
    doc: DOC.confusedDeputy,
  },
  {
    actor: CLOUDTRAIL,
    action: 's3:PutObject',
    resourceLabel: 'AuditBucket/AWSLogs/<account>/… (another trail)',
    resource: (m) => m.object('AuditBucket', LOG_FILE(m)),
    options: (m) => ({
      context: {
        'aws:SourceArn': `arn:aws:cloudtrail:${m.region}:${m.account}:trail/other`,
        'aws:SourceAccount': m.account,
        's3:x-amz-acl': 'bucket-owner-full-control',
        ...sseKms(m.arn('KeysAuditKey')),
      },
    }),
    expect: 'deny',
    why: 'only the audit trail delivers there',
    doc: DOC.cloudTrailBucket,
  },
  {
    actor: CLOUDTRAIL,
    action: 'sts:AssumeRole',
    resourceLabel: 'AuditLogsRole',
    resource: (m) => m.att('AuditLogsRole', 'Arn'),
    options: (m) => ({ context: trailSource(m) }),
    expect: 'allow',
    why: 'assumes the role that writes to CloudWatch Logs',
    doc: DOC.cloudTrailLogs,
  },
  ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action): AccessCase => ({
    actor: { role: 'AuditLogsRole' },
    action,
    resourceLabel: 'AuditLogGroup:log-stream:<account>_CloudTrail_<region>',
    resource: (m) => m.logStream('AuditLogGroup', `${m.account}_CloudTrail_${m.region}`),
    expect: 'allow',
    why: 'delivers trail events to the log group',
    doc: DOC.cloudTrailLogs,
  })),
];

/** S3 server access log delivery into each stack's access-log bucket. */
function accessLogs(logBucket: string, source: string): AccessCase {
  return {
    actor: { service: 'logging.s3.amazonaws.com' },
    action: 's3:PutObject',
    resourceLabel: `${logBucket}/<prefix>/2026-12-01-10-00-00-ABCDEF (for ${source})`,
    resource: (m) => m.object(logBucket, `${source}/2026-12-01-10-00-00-ABCDEF0123456789`),
    options: (m) => ({ context: { 'aws:SourceAccount': m.account, 'aws:SourceArn': m.arn(source) } }),
    expect: 'allow',
    why: 'delivers server access logs',
    doc: DOC.s3AccessLogs,
  };
}

/** S3 replication of one SecureBucket into its replica with its key. */
function replication(source: string, replica: string, role: string, key: string): AccessCase[] {
  const actor = { role };
  const object = 'some/prefix/object.bin';
  return [
    {
      actor: { service: 's3.amazonaws.com' },
      action: 'sts:AssumeRole',
      resourceLabel: role,
      resource: (m) => m.att(role, 'Arn'),
      expect: 'allow',
      why: 'S3 assumes the replication role',
      doc: DOC.s3Replication,
    },
    ...['s3:GetReplicationConfiguration', 's3:ListBucket'].map((action): AccessCase => ({
      actor,
      action,
      resourceLabel: source,
      resource: (m) => m.arn(source),
      expect: 'allow',
      why: 'reads the replication rules of the source',
      doc: DOC.s3Replication,
    })),
    ...['s3:GetObjectVersionForReplication', 's3:GetObjectVersionTagging'].map((action): AccessCase => ({
      actor,
      action,
      resourceLabel: `${source}/${object}`,
      resource: (m) => m.object(source, object),
      expect: 'allow',
      why: 'reads the source version',
      doc: DOC.s3Replication,
    })),
    ...['s3:ReplicateObject', 's3:ReplicateTags', 's3:ReplicateDelete'].map((action): AccessCase => ({
      actor,
      action,
      resourceLabel: `${replica}/${object}`,
      resource: (m) => m.object(replica, object),
      expect: 'allow',
      why: 'writes the replica',
      doc: DOC.s3Replication,
    })),
    {
      actor,
      action: 'kms:Decrypt',
      resourceLabel: `${key} (via S3, source)`,
      resource: (m) => m.arn(key),
      options: (m) => ({ context: viaS3(m, source) }),
      expect: 'allow',
      why: 'decrypts the source object',
      doc: DOC.s3ReplicationKms,
    },
    {
      actor,
      action: 'kms:Encrypt',
      resourceLabel: `${key} (via S3, replica)`,
      resource: (m) => m.arn(key),
      options: (m) => ({ context: viaS3(m, replica) }),
      expect: 'allow',
      why: 'encrypts the replica',
      doc: DOC.s3ReplicationKms,
    },
  ];
}

/** Every encrypted log group the reference app creates, with its key. */
const LOG_GROUPS: readonly { group: string; key: string }[] = [
  { group: 'NetworkFlowLogs', key: 'KeysLogsKey' },
  { group: 'AuditLogGroup', key: 'KeysAuditKey' },
  { group: 'AutoShutdownFunctionLogs', key: 'KeysLogsKey' },
  { group: 'EndpointLogs', key: 'KeysLogsKey' },
  { group: 'ApiAccessLogs', key: 'KeysLogsKey' },
  { group: 'ApiExecutionLogs', key: 'KeysLogsKey' },
  { group: 'ApiWafLogs', key: 'KeysLogsKey' },
  { group: 'DriftMonitorFunctionLogs', key: 'KeysLogsKey' },
];

const logsEncryption: AccessCase[] = [
  {
    actor: { service: 'logs.eu-west-1.amazonaws.com' },
    action: 'kms:Decrypt',
    resourceLabel: 'KeysLogsKey (log group of another account)',
    resource: (m) => m.arn('KeysLogsKey'),
    options: () => ({
      context: {
        'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:210987654321:log-group:stolen',
      },
    }),
    expect: 'deny',
    why: 'the key serves only this account’s log groups',
    doc: DOC.logsKms,
  },
  ...LOG_GROUPS.flatMap(({ group, key }) =>
    ['kms:GenerateDataKey', 'kms:Decrypt'].map((action): AccessCase => ({
      actor: { service: 'logs.eu-west-1.amazonaws.com' },
      action,
      resourceLabel: `${key} (log group ${group})`,
      resource: (m) => m.arn(key),
      options: (m) => ({ context: { 'kms:EncryptionContext:aws:logs:arn': m.arn(group) } }),
      expect: 'allow',
      why: 'CloudWatch Logs encrypts the group',
      doc: DOC.logsKms,
    })),
  ),
];

/** CloudWatch alarms, EventBridge and Budgets publishing to the encrypted alert topic. */
function publisher(
  service: string,
  sourceArn: (m: ReferenceModel) => string,
  sourceLabel: string,
  foreignSourceArn: string,
  doc: string,
): AccessCase[] {
  const actor = { service };
  const source = (m: ReferenceModel) => ({ 'aws:SourceAccount': m.account, 'aws:SourceArn': sourceArn(m) });
  return [
    {
      actor,
      action: 'sns:Publish',
      resourceLabel: `Alerts (from ${sourceLabel})`,
      resource: (m) => m.arn('Alerts'),
      options: (m) => ({ context: source(m) }),
      expect: 'allow',
      why: 'publishes an alert',
      doc,
    },
    ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action): AccessCase => ({
      actor,
      action,
      resourceLabel: `KeysLogsKey (from ${sourceLabel})`,
      resource: (m) => m.arn('KeysLogsKey'),
      options: (m) => ({ context: source(m) }),
      expect: 'allow',
      why: 'SNS encrypts the alert with the topic key',
      doc: DOC.snsServices,
    })),
    {
      actor,
      action: 'sns:Publish',
      resourceLabel: 'Alerts (from another account)',
      resource: (m) => m.arn('Alerts'),
      options: () => ({
        context: { 'aws:SourceAccount': '210987654321', 'aws:SourceArn': foreignSourceArn },
      }),
      expect: 'deny',
      why: 'no other account can publish through the service',
      doc: DOC.confusedDeputy,
    },
  ];
}

const alerts: AccessCase[] = [
  ...publisher(
    'cloudwatch.amazonaws.com',
    (m) => m.arn('AutoShutdownFailuresAlarm'),
    'alarm AutoShutdownFailuresAlarm',
    'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:other',
    DOC.alarmsSns,
  ),
  ...publisher(
    'events.amazonaws.com',
    (m) => m.arn('ModelRegistryApprovalChanges'),
    'rule ModelRegistryApprovalChanges',
    'arn:aws:events:eu-west-1:210987654321:rule/other',
    DOC.eventsSns,
  ),
  ...publisher(
    'budgets.amazonaws.com',
    (m) => `arn:aws:budgets::${m.account}:budget/team-ml-platform-team`,
    'budget team-ml-platform-team',
    'arn:aws:budgets::210987654321:budget/other',
    DOC.budgetsSns,
  ),
  // aws-cdk-lib's targets.SnsTopic grants events.amazonaws.com on the topic and its key; AlertTopic
  // binds that grant to the account, so another account's rule cannot use the key either.
  ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action): AccessCase => ({
    actor: { service: 'events.amazonaws.com' },
    action,
    resourceLabel: 'KeysLogsKey (from another account)',
    resource: (m) => m.arn('KeysLogsKey'),
    options: () => ({
      context: {
        'aws:SourceAccount': '210987654321',
        'aws:SourceArn': 'arn:aws:events:eu-west-1:210987654321:rule/other',
      },
    }),
    expect: 'deny',
    why: 'no other account’s rule uses the logs key',
    doc: DOC.confusedDeputy,
  })),
  // The registry rule's dead-letter queue (encrypted with the logs key).
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'sqs:SendMessage',
    resourceLabel: 'ModelRegistryDeadLetters',
    resource: (m) => m.arn('ModelRegistryDeadLetters'),
    options: (m) => ({
      context: { 'aws:SourceAccount': m.account, 'aws:SourceArn': m.arn('ModelRegistryApprovalChanges') },
    }),
    expect: 'allow',
    why: 'EventBridge sends undelivered alerts to the rule DLQ',
    doc: DOC.eventsDlq,
  },
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'sqs:SendMessage',
    resourceLabel: 'ModelRegistryDeadLetters (another rule)',
    resource: (m) => m.arn('ModelRegistryDeadLetters'),
    options: (m) => ({
      context: {
        'aws:SourceAccount': m.account,
        'aws:SourceArn': `arn:aws:events:${m.region}:${m.account}:rule/other`,
      },
    }),
    expect: 'deny',
    why: 'only its rule uses the DLQ',
    doc: DOC.eventsDlq,
  },
];

/** API Gateway: the integration role calls the endpoint; the account role writes logs. */
const apiGateway: AccessCase[] = [
  {
    actor: { service: 'apigateway.amazonaws.com' },
    action: 'sts:AssumeRole',
    resourceLabel: 'ApiIntegrationRole',
    resource: (m) => m.att('ApiIntegrationRole', 'Arn'),
    expect: 'allow',
    why: 'the integration credentials',
    doc: DOC.apiGatewaySageMaker,
  },
  {
    actor: { role: 'ApiIntegrationRole' },
    action: 'sagemaker:InvokeEndpoint',
    resourceLabel: 'endpoint/mlops-serving-churn-endpoint-7f2fd576',
    resource: (m) => m.arn('Endpoint'),
    expect: 'allow',
    why: 'forwards a signed request to the endpoint',
    doc: DOC.apiGatewaySageMaker,
  },
  {
    actor: { role: 'ApiIntegrationRole' },
    action: 'sagemaker:InvokeEndpoint',
    resourceLabel: 'endpoint/other',
    resource: (m) => `arn:aws:sagemaker:${m.region}:${m.account}:endpoint/other`,
    expect: 'deny',
    why: 'only its endpoint',
    doc: DOC.apiGatewaySageMaker,
  },
  {
    actor: { service: 'apigateway.amazonaws.com' },
    action: 'sts:AssumeRole',
    resourceLabel: 'ApiGatewayAccountCloudWatchRole',
    resource: (m) => m.att('ApiGatewayAccountCloudWatchRole', 'Arn'),
    expect: 'allow',
    why: 'the account-level CloudWatch role',
    doc: DOC.apiGatewayLogging,
  },
  ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action): AccessCase => ({
    actor: { role: 'ApiGatewayAccountCloudWatchRole' },
    action,
    resourceLabel: 'ApiExecutionLogs:log-stream:…',
    resource: (m) => m.logStream('ApiExecutionLogs', '0123456789abcdef0123456789abcdef'),
    expect: 'allow',
    why: 'writes execution logs',
    doc: DOC.apiGatewayLogging,
  })),
  {
    actor: { role: 'ApiGatewayAccountCloudWatchRole' },
    action: 'logs:CreateLogGroup',
    resourceLabel: 'log-group:/aws/apigateway/welcome',
    resource: (m) => `arn:aws:logs:${m.region}:${m.account}:log-group:/aws/apigateway/welcome`,
    expect: 'allow',
    why: 'API Gateway validates the account role by writing to /aws/apigateway/welcome',
    doc: DOC.apiGatewayLogging,
  },
  ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action): AccessCase => ({
    actor: { role: 'ApiGatewayAccountCloudWatchRole' },
    action,
    resourceLabel: 'log-group:/aws/apigateway/welcome:log-stream:…',
    resource: (m) =>
      `arn:aws:logs:${m.region}:${m.account}:log-group:/aws/apigateway/welcome:log-stream:welcome`,
    expect: 'allow',
    why: 'API Gateway validates the account role by writing to /aws/apigateway/welcome',
    doc: DOC.apiGatewayLogging,
  })),
  ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action): AccessCase => ({
    actor: { role: 'ApiGatewayAccountCloudWatchRole' },
    action,
    resourceLabel: 'ApiAccessLogs:log-stream:…',
    resource: (m) => m.logStream('ApiAccessLogs', '0123456789abcdef0123456789abcdef'),
    expect: 'allow',
    why: 'writes access logs to the stage destination',
    doc: DOC.apiGatewayLogging,
  })),
];

/** The principal of ECR layer downloads from the AWS-owned bucket: not in the account. */
const LAYER_PRINCIPAL = {
  external: 'ECR layer download (AWS-owned principal)',
  arn: 'arn:aws:sts::999999999999:assumed-role/ecr-layer-delivery/session',
  policies: [
    {
      label: 'aws-owned',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      },
    },
  ],
};
const STARPORT = (m: ReferenceModel) =>
  `arn:aws:s3:::prod-${m.region}-starport-layer-bucket/abcdef0123456789/layer.tar.gz`;

/**
 * A custom resource handler in the VPC (the default-security-group closer) answers CloudFormation
 * with an HTTPS PUT to a presigned URL of CloudFormation's response bucket: the request is signed
 * by CloudFormation's own (AWS-owned) credentials, so only the S3 gateway endpoint policy is the
 * app's to get right.
 */
function cfnResponse(bucket: string, expect: 'allow' | 'deny', label: string): AccessCase[] {
  return [
    {
      actor: {
        external: 'CloudFormation presigned response URL (AWS-owned principal)',
        arn: 'arn:aws:sts::999999999999:assumed-role/cloudformation-custom-resource-response/session',
        policies: [
          {
            label: 'aws-owned',
            document: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }],
            },
          },
        ],
      },
      action: 's3:PutObject',
      resourceLabel: `${bucket}/<stack>|<resource>|<request> (through the S3 gateway endpoint)`,
      resource: () =>
        `arn:aws:s3:::${bucket}/arn%3Aaws%3Acloudformation%3Aeu-west-1%3A123456789012%3Astack/mlops-platform/id%7CNetworkDefaultSecurityGroupCloser%7Crequest-id`,
      options: () => ({
        via: ['NetworkS3'],
        resourceAccount: '999999999999',
        // The AWS-owned bucket's own policy is AWS's; model it as allowing the upload.
        resourcePolicy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*` },
          ],
        },
      }),
      expect,
      why:
        expect === 'allow'
          ? 'the closer in the isolated subnets reports SUCCESS/FAILED to CloudFormation'
          : `the gateway admits no upload to ${label}`,
      doc: DOC.cfnResponses,
    },
  ];
}

const network: AccessCase[] = [
  {
    actor: LAYER_PRINCIPAL,
    action: 's3:GetObject',
    resourceLabel: 'prod-<region>-starport-layer-bucket/* (through the S3 gateway endpoint)',
    resource: STARPORT,
    options: (m) => ({
      via: ['NetworkS3'],
      resourceAccount: '999999999999',
      // The AWS-owned bucket's own policy is AWS's; model it as allowing the download.
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::prod-${m.region}-starport-layer-bucket/*`,
          },
        ],
      },
    }),
    expect: 'allow',
    why: 'image layers of the training and inference images download from it through the gateway',
    doc: DOC.ecrEndpoints,
  },
  {
    actor: {
      external: 'role of another account',
      arn: 'arn:aws:sts::210987654321:assumed-role/Exfiltrate/session',
      policies: [
        {
          label: 'other-account',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }],
          },
        },
      ],
    },
    action: 's3:PutObject',
    resourceLabel: 'a bucket of another account (through the S3 gateway endpoint)',
    resource: () => 'arn:aws:s3:::exfiltration-bucket/data.csv',
    options: () => ({
      via: ['NetworkS3'],
      resourceAccount: '210987654321',
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::exfiltration-bucket/*',
          },
        ],
      },
    }),
    expect: 'deny',
    why: 'foreign credentials cannot move data out through the gateway',
    doc: DOC.vpceS3,
  },
  ...cfnResponse(
    'cloudformation-custom-resource-response-euwest1',
    'allow',
    'the response bucket of this region',
  ),
  ...cfnResponse(
    'cloudformation-custom-resource-response-useast1',
    'deny',
    'another AWS-owned bucket (the response bucket of another region)',
  ),
  {
    actor: { service: 'vpc-flow-logs.amazonaws.com' },
    action: 'sts:AssumeRole',
    resourceLabel: 'NetworkFlowLogRole',
    resource: (m) => m.att('NetworkFlowLogRole', 'Arn'),
    expect: 'allow',
    why: 'flow log delivery',
    doc: DOC.flowLogs,
  },
  ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action): AccessCase => ({
    actor: { role: 'NetworkFlowLogRole' },
    action,
    resourceLabel: 'NetworkFlowLogs:log-stream:eni-…',
    resource: (m) => m.logStream('NetworkFlowLogs', 'eni-0123456789abcdef0-all'),
    expect: 'allow',
    why: 'delivers VPC flow logs',
    doc: DOC.flowLogs,
  })),
];

/** AWS services acting on the app's resources. */
export const SERVICE_CASES: readonly AccessCase[] = [
  ...cloudTrail,
  accessLogs('mlops-platform/ComplianceAccessLogs', 'Datasets'),
  accessLogs('mlops-platform/ComplianceAccessLogs', 'AuditBucket'),
  accessLogs('mlops-serving-churn/ComplianceAccessLogs', 'Models'),
  ...replication('Datasets', 'DatasetsReplica', 'DatasetsReplicationRole', 'KeysDataKey'),
  ...replication('AuditBucket', 'AuditBucketReplica', 'AuditBucketReplicationRole', 'KeysAuditKey'),
  ...replication(
    'ChurnTrainingArtifacts',
    'ChurnTrainingArtifactsReplica',
    'ChurnTrainingArtifactsReplicationRole',
    'KeysModelsKey',
  ),
  ...replication('Models', 'ModelsReplica', 'ModelsReplicationRole', 'KeysModelsKey'),
  ...replication('ModelArtifacts', 'ModelArtifactsReplica', 'ModelArtifactsReplicationRole', 'KeysModelsKey'),
  accessLogs('mlops-platform/ComplianceAccessLogs', 'ModelArtifacts'),
  ...logsEncryption,
  ...alerts,
  ...apiGateway,
  ...network,
];
