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
 * Key administration: everything but using the key for data. Held by the account root so the key
 * can always be managed, without the blanket `kms:*` that would let any IAM policy decrypt.
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];
