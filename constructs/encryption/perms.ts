/** KMS actions to encrypt and decrypt data with a key; explicit, so no policy carries a wildcard action. */
export const KEY_ENCRYPT_DECRYPT_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:DescribeKey',
];

/** KMS actions to decrypt only. */
export const KEY_DECRYPT_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];

/** KMS actions to encrypt only (generate data keys). */
export const KEY_ENCRYPT_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/** Actions a service needs to create grants on behalf of a caller (SageMaker volumes, EBS). */
export const KEY_GRANT_ACTIONS = ['kms:CreateGrant', 'kms:DescribeKey'];

/**
 * Key administration: everything but using the key for data, listed action by action so that no
 * wildcard reaches `kms:CreateGrant` (a grant lets its grantee decrypt) or a future data action.
 * `kms:CreateGrant` is allowed only for AWS resources, in its own statement
 * (`kms:GrantIsForAWSResource`).
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:UpdateKeyDescription',
  'kms:RevokeGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/**
 * What the account root keeps when the key has named administrators: reading and replacing the key
 * policy. KMS refuses a key policy (CreateKey, PutKeyPolicy) that would not let the calling principal
 * (CloudFormation's execution role, an IAM principal of the account) call PutKeyPolicy again: the
 * key policy lockout safety check.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
 */
export const KEY_POLICY_MANAGEMENT_ACTIONS = ['kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:DescribeKey'];
