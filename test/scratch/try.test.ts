import { test } from 'vitest';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { findingLines, testStack } from '../support/nag';
import { Template } from 'aws-cdk-lib/assertions';
test('x', () => {
  const stack = testStack();
  const keys = new EncryptionKeys(stack, 'Keys');
  new SecureBucket(stack, 'Data', { encryptionKey: keys.data });
  new s3.Bucket(stack, 'Plain');
  console.log(findingLines(stack).join('\n'));
  console.log(JSON.stringify(Template.fromStack(stack).toJSON().Resources.ComplianceAccessLogs1A3A2C3A ?? Object.keys(Template.fromStack(stack).toJSON().Resources)));
});
