import { describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { AuditTrail } from '../../constructs/audit/audit-trail';
import { testStack } from '../support/nag';

const ACCOUNT = '111111111111';

/** Resolves the few intrinsics a bucket policy holds into literal ARNs, naming each resource after its logical id. */
function literal(value: unknown, template: Record<string, { Type: string }>): unknown {
  if (Array.isArray(value)) return value.map((v) => literal(v, template));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Ref' in o)
      return o.Ref === 'AWS::Partition'
        ? 'aws'
        : o.Ref === 'AWS::AccountId'
          ? ACCOUNT
          : String(o.Ref).toLowerCase();
    if ('Fn::GetAtt' in o) {
      const [id] = o['Fn::GetAtt'] as [string, string];
      const type = template[id]?.Type;
      if (type === 'AWS::S3::Bucket') return `arn:aws:s3:::${id.toLowerCase()}`;
      if (type === 'AWS::KMS::Key') return `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${id.toLowerCase()}`;
      return `arn:aws:iam::${ACCOUNT}:role/${id}`;
    }
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return (literal(parts, template) as string[]).join(sep);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, literal(v, template)]));
  }
  return value;
}

function trailBucket() {
  const stack: Stack = testStack();
  const trail = new AuditTrail(stack, 'Audit', { trailName: 'platform-audit' });
  const json = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const bucketId = stack.getLogicalId(trail.bucket.bucket.node.defaultChild as never);
  const [policy] = Object.values(json.Resources).filter(
    (r) => r.Type === 'AWS::S3::BucketPolicy' && (r.Properties.Bucket as { Ref: string }).Ref === bucketId,
  );
  const keyId = Object.entries(json.Resources).find(([, r]) => r.Type === 'AWS::KMS::Key')![0];
  return {
    bucketArn: `arn:aws:s3:::${bucketId.toLowerCase()}`,
    keyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId.toLowerCase()}`,
    policy: literal(policy.Properties.PolicyDocument, json.Resources) as Simulation['resourcePolicy'],
  };
}

async function put(
  principal: string,
  objectKey: string,
  context: Record<string, string>,
  identityAllows = true,
): Promise<string> {
  const { bucketArn, policy } = trailBucket();
  const simulation: Simulation = {
    request: {
      principal,
      action: 's3:PutObject',
      resource: { resource: `${bucketArn}/${objectKey}`, accountId: ACCOUNT },
      contextVariables: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', ...context },
    },
    identityPolicies: identityAllows
      ? [
          {
            name: 'writer',
            policy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }],
            },
          },
        ]
      : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

// The SSE headers S3 sees: an upload relying on default encryption and every multipart UploadPart
// carry none. https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
describe('SecureBucket policy, evaluated as IAM does (trail bucket)', () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/Writer`;

  it('lets an upload without an SSE header through (default encryption, UploadPart)', async () => {
    expect(await put(role, 'AWSLogs/x.json', {})).toBe('Allowed');
  });

  it('denies an upload that asks for SSE-S3 or another key', async () => {
    const { keyArn } = trailBucket();
    expect(await put(role, 'AWSLogs/x.json', { 's3:x-amz-server-side-encryption': 'AES256' })).toBe(
      'ExplicitlyDenied',
    );
    expect(
      await put(role, 'AWSLogs/x.json', {
        's3:x-amz-server-side-encryption': 'aws:kms',
        's3:x-amz-server-side-encryption-aws-kms-key-id': `${keyArn}-other`,
      }),
    ).toBe('ExplicitlyDenied');
    expect(
      await put(role, 'AWSLogs/x.json', {
        's3:x-amz-server-side-encryption': 'aws:kms',
        's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn,
      }),
    ).toBe('Allowed');
  });

  // Digest files are SSE-S3 whatever the trail's key.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
  const cloudTrail = {
    'aws:PrincipalServiceName': 'cloudtrail.amazonaws.com',
    'aws:SourceArn': `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/platform-audit`,
    'aws:SourceAccount': ACCOUNT,
    's3:x-amz-acl': 'bucket-owner-full-control',
    's3:x-amz-server-side-encryption': 'AES256',
  };

  it('lets CloudTrail write an SSE-S3 digest file, and nothing SSE-S3 elsewhere', async () => {
    const digest = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/eu-west-1/2026/12/01/${ACCOUNT}_CloudTrail-Digest_eu-west-1_platform-audit_eu-west-1_20261201T000000Z.json.gz`;
    expect(await put('cloudtrail.amazonaws.com', digest, cloudTrail, false)).toBe('Allowed');
    expect(
      await put(
        'cloudtrail.amazonaws.com',
        `AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/x.json.gz`,
        cloudTrail,
        false,
      ),
    ).toBe('ExplicitlyDenied');
  });

  it('denies an SSE-S3 digest-prefix upload by anyone but CloudTrail', async () => {
    expect(
      await put(role, `AWSLogs/${ACCOUNT}/CloudTrail-Digest/x.json.gz`, {
        's3:x-amz-server-side-encryption': 'AES256',
      }),
    ).toBe('ExplicitlyDenied');
  });
});
