/**
 * IAM action lists of the feature store grants. Explicit (no wildcards), so every policy stays
 * reviewable and AwsSolutions-IAM5 has nothing to flag.
 */

/** Read the latest records from the online store. */
export const ONLINE_READ_ACTIONS = [
  'sagemaker:GetRecord',
  'sagemaker:BatchGetRecord',
  'sagemaker:DescribeFeatureGroup',
];

/** Write (and delete, for erasure requests) records; they land in the online and the offline store. */
export const RECORD_WRITE_ACTIONS = [
  'sagemaker:PutRecord',
  'sagemaker:DeleteRecord',
  'sagemaker:DescribeFeatureGroup',
];

/** Describe a feature group (the offline readers find the Glue table and S3 location this way). */
export const DESCRIBE_ACTIONS = ['sagemaker:DescribeFeatureGroup'];

/**
 * KMS actions for online store data-plane calls. Feature Store documents `kms:Decrypt` as what
 * `PutRecord`, `GetRecord` and `DeleteRecord` callers need on the online store key.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-sagemaker-featuregroup-onlinestoresecurityconfig.html
 */
export const ONLINE_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];

/** Read the offline store's catalog entry (Athena resolves the table through these). */
export const GLUE_READ_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetPartition',
  'glue:GetPartitions',
];

/** What Feature Store's offline store role does to the Iceberg table it maintains. */
export const GLUE_OFFLINE_STORE_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:UpdateTable'];

/** Run Athena queries in one workgroup and read their results. */
export const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
  'athena:GetWorkGroup',
];

/** Bucket-level actions Feature Store's offline store writer performs (it checks the bucket ACL). */
export const OFFLINE_STORE_BUCKET_ACTIONS = ['s3:GetBucketAcl'];

/** Object ACL writes Feature Store issues with `bucket-owner-full-control` (accepted with ACLs disabled). */
export const OFFLINE_STORE_OBJECT_ACL_ACTIONS = ['s3:PutObjectAcl'];

/** KMS actions for reading the offline store's objects. */
export const OFFLINE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
