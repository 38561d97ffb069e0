import { type AccessCase, sseKms, viaS3 } from '../cases';
import type { Actor, ReferenceModel } from '../harness';
import { DOC } from './docs';

/** An IAM administrator of the account: `kms:*` and `s3:*` on `*` in its identity policy. */
const ADMIN: Actor = {
  external: 'account IAM admin (kms:*, s3:* on *)',
  arn: 'arn:aws:sts::123456789012:assumed-role/AccountAdmin/alice',
  policies: [
    {
      label: 'AdminPolicy',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:*', 's3:*'], Resource: '*' }],
      },
    },
  ],
};

/** An administrator of another account, with the same identity policy. */
const FOREIGN_ADMIN: Actor = {
  external: 'IAM admin of another account (kms:*, s3:* on *)',
  arn: 'arn:aws:sts::210987654321:assumed-role/Admin/mallory',
  policies: [
    {
      label: 'ForeignAdminPolicy',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:*', 's3:*'], Resource: '*' }],
      },
    },
  ],
};

const DATA_KEYS = ['KeysDataKey', 'KeysModelsKey', 'KeysAuditKey'] as const;
const TRAIN_OBJECT = 'datasets/churn/v1/train/part-00000.csv';

const admin: AccessCase[] = [
  ...DATA_KEYS.map((key): AccessCase => ({
    actor: ADMIN,
    action: 'kms:Decrypt',
    resourceLabel: `${key} (direct)`,
    resource: (m) => m.arn(key),
    options: () => ({ via: ['NetworkKms'] }),
    expect: 'deny',
    why: 'administering a key never grants its data use',
    doc: DOC.kmsKeyPolicyDefault,
  })),
  ...DATA_KEYS.map((key): AccessCase => ({
    actor: ADMIN,
    action: 'kms:CreateGrant',
    resourceLabel: `${key} (grant to itself)`,
    resource: (m) => m.arn(key),
    options: () => ({
      context: {
        'kms:GrantIsForAWSResource': 'false',
        'kms:GranteePrincipal': 'arn:aws:iam::123456789012:role/AccountAdmin',
        'kms:GrantOperations': ['Decrypt'],
      },
    }),
    expect: 'deny',
    why: 'an admin cannot grant itself Decrypt',
    doc: DOC.kmsGrantForResource,
  })),
  ...DATA_KEYS.map((key): AccessCase => ({
    actor: ADMIN,
    action: 'kms:PutKeyPolicy',
    resourceLabel: key,
    resource: (m) => m.arn(key),
    // The reference app names no key administrators, so the account administers its keys; even with
    // named administrators the account root keeps PutKeyPolicy, because KMS rejects a key policy
    // (CreateKey, PutKeyPolicy) that would not let the deploying principal call PutKeyPolicy again.
    expect: 'allow',
    why: 'the lockout safety check needs the deploying account to keep PutKeyPolicy',
    doc: DOC.kmsPutKeyPolicy,
  })),
];

/** App roles that have nothing to do with datasets. */
const NOT_DATASET_READERS = [
  'AutoShutdownFunctionRole',
  'DriftMonitorFunctionRole',
  'EndpointRole',
  'ApiIntegrationRole',
  'ChurnTrainingRole',
  'ChurnTrainingScheduleRole',
] as const;

const unlisted: AccessCase[] = [
  ...NOT_DATASET_READERS.map((role): AccessCase => ({
    actor: { role },
    action: 's3:GetObject',
    resourceLabel: `Datasets/${TRAIN_OBJECT}`,
    resource: (m) => m.object('Datasets', TRAIN_OBJECT),
    options: () => ({ via: ['NetworkS3'] }),
    expect: 'deny',
    why: 'a principal the bucket policy does not name cannot read datasets',
    doc: DOC.s3Actions,
  })),
  ...NOT_DATASET_READERS.map((role): AccessCase => ({
    actor: { role },
    action: 'kms:Decrypt',
    resourceLabel: 'KeysDataKey (via S3)',
    resource: (m) => m.arn('KeysDataKey'),
    options: (m) => ({ context: viaS3(m, 'Datasets') }),
    expect: 'deny',
    why: 'nor decrypt them',
    doc: DOC.kmsViaService,
  })),
  {
    actor: FOREIGN_ADMIN,
    action: 's3:GetObject',
    resourceLabel: `Datasets/${TRAIN_OBJECT}`,
    resource: (m) => m.object('Datasets', TRAIN_OBJECT),
    options: (m) => ({ resourceAccount: m.account }),
    expect: 'deny',
    why: 'another account cannot read datasets',
    doc: DOC.s3Actions,
  },
  {
    actor: FOREIGN_ADMIN,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysDataKey (via S3)',
    resource: (m) => m.arn('KeysDataKey'),
    options: (m) => ({ context: { ...viaS3(m, 'Datasets'), 'kms:CallerAccount': '210987654321' } }),
    expect: 'deny',
    why: 'nor use the data key',
    doc: DOC.kmsCrossAccount,
  },
  {
    actor: FOREIGN_ADMIN,
    action: 'kms:CreateGrant',
    resourceLabel: 'KeysDataKey (via S3, for an AWS resource)',
    resource: (m) => m.arn('KeysDataKey'),
    options: (m) => ({
      context: {
        'kms:ViaService': `s3.${m.region}.amazonaws.com`,
        'kms:GrantIsForAWSResource': 'true',
        'kms:CallerAccount': '210987654321',
      },
    }),
    expect: 'deny',
    why: 'nor get a grant through a service',
    doc: DOC.kmsCrossAccount,
  },
];

/** Uploads into a SecureBucket: what the deny statements must let through and what they must stop. */
function uploads(actor: Actor, bucket: string, key: string, keyName: string, object: string): AccessCase[] {
  const arn = (m: ReferenceModel) => m.object(bucket, object);
  const label = `${bucket}/${object}`;
  return [
    {
      actor,
      action: 's3:PutObject',
      resourceLabel: `${label} (SSE-KMS, bucket key)`,
      resource: arn,
      options: (m) => ({ context: sseKms(m.arn(key)) }),
      expect: 'allow',
      why: 'an upload naming the bucket key',
      doc: DOC.s3Sse,
    },
    {
      actor,
      action: 's3:PutObject',
      resourceLabel: `${label} (no SSE header)`,
      resource: arn,
      expect: 'allow',
      why: 'an upload relying on the bucket default encryption (SSE-KMS with the bucket key)',
      doc: DOC.s3DefaultEncryption,
    },
    {
      actor,
      action: 's3:PutObject',
      resourceLabel: `${label} (UploadPart)`,
      resource: arn,
      expect: 'allow',
      why: 'a multipart part: the SSE headers are on CreateMultipartUpload only',
      doc: DOC.s3Multipart,
    },
    {
      actor,
      action: 's3:PutObject',
      resourceLabel: `${label} (SSE-KMS, another key)`,
      resource: arn,
      options: (m) => ({
        context: sseKms(`arn:aws:kms:${m.region}:${m.account}:key/00000000-0000-0000-0000-000000000000`),
      }),
      expect: 'deny',
      why: `only ${keyName} encrypts this bucket`,
      doc: DOC.s3Sse,
    },
    {
      actor,
      action: 's3:PutObject',
      resourceLabel: `${label} (SSE-S3)`,
      resource: arn,
      options: () => ({ context: { 's3:x-amz-server-side-encryption': 'AES256' } }),
      expect: 'deny',
      why: 'SSE-S3 would bypass the key policy',
      doc: DOC.s3Sse,
    },
    {
      actor,
      action: 's3:PutObject',
      resourceLabel: `${label} (plain HTTP)`,
      resource: arn,
      options: (m) => ({ context: { ...sseKms(m.arn(key)), 'aws:SecureTransport': 'false' } }),
      expect: 'deny',
      why: 'TLS only',
      doc: DOC.s3Tls,
    },
    {
      actor,
      action: 's3:PutObject',
      resourceLabel: `${label} (TLS 1.1)`,
      resource: arn,
      options: (m) => ({ context: { ...sseKms(m.arn(key)), 's3:TlsVersion': '1.1' } }),
      expect: 'deny',
      why: 'TLS 1.2 or later',
      doc: DOC.s3Tls,
    },
  ];
}

/** Negative cases, and the upload matrix of the SecureBucket deny statements. */
export const NEGATIVE_CASES: readonly AccessCase[] = [
  ...admin,
  ...unlisted,
  ...uploads(
    { role: 'CustomerChurnFeaturesOfflineStoreRole' },
    'Datasets',
    'KeysDataKey',
    'the data key',
    'feature-store/marketing-customer-churn-v1/data/part-1.parquet',
  ),
  ...uploads(
    { role: 'DriftMonitorFunctionRole' },
    'Models',
    'KeysModelsKey',
    'the models key',
    'drift-reports/mlops-serving-churn-endpoint-7f2fd576/report.json',
  ),
];
