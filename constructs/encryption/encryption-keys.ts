import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { z } from 'zod';
import { durationBetween, validateProps } from '../core/validate';
import {
  KEY_ADMIN_ACTIONS,
  KEY_DECRYPT_ACTIONS,
  KEY_ENCRYPT_DECRYPT_ACTIONS,
  KEY_GRANT_ACTIONS,
} from './perms';

/** The data domains that each get their own customer-managed key. */
export const KEY_DOMAINS = ['data', 'models', 'logs', 'audit'] as const;

/** One data domain: `data` (datasets, features), `models` (artifacts, images), `logs` (logs, alerts), `audit` (trail). */
export type KeyDomain = (typeof KEY_DOMAINS)[number];

/** The AWS services whose requests may use each domain's key on behalf of the account's principals. */
const VIA_SERVICES: Record<KeyDomain, readonly string[]> = {
  data: ['s3', 'sagemaker', 'glue', 'athena'],
  models: ['s3', 'sagemaker', 'ecr'],
  logs: ['s3', 'sns', 'sqs', 'lambda'],
  audit: ['s3', 'cloudtrail'],
};

/** Props for {@link EncryptionKeys}. */
export interface EncryptionKeysProps {
  /**
   * Prefix of the key aliases; each key gets `<aliasPrefix>/<domain>`.
   * @default 'alias/compliant-mlops'
   */
  readonly aliasPrefix?: string;
  /**
   * How often KMS rotates the key material (90 to 2560 days).
   * @default Duration.days(365)
   */
  readonly rotationPeriod?: Duration;
  /**
   * How long a key scheduled for deletion can still be recovered (7 to 30 days).
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
}

const schema = z.strictObject({
  aliasPrefix: z
    .string()
    .regex(/^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,200}$/)
    .optional()
    .default('alias/compliant-mlops'),
  rotationPeriod: durationBetween(Duration.days(90), Duration.days(2560), { unit: 'days' }).optional(),
  pendingWindow: durationBetween(Duration.days(7), Duration.days(30), { unit: 'days' }).optional(),
});

/**
 * One customer-managed KMS key per data domain (`data`, `models`, `logs`, `audit`).
 *
 * Each key rotates, is retained on stack deletion, and has a key policy in which the account root
 * may administer the key but not use it: data use is allowed only to the account's principals
 * calling through the domain's AWS services (`kms:ViaService`), to the service principals that
 * write encrypted logs, alarms and trails, and to principals granted through
 * {@link EncryptionKeys.grantEncryptDecrypt}.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export class EncryptionKeys extends Construct {
  /** Key for datasets, features and their catalogs. */
  public readonly data: kms.IKey;
  /** Key for model artifacts, images and endpoint volumes. */
  public readonly models: kms.IKey;
  /** Key for log groups, alert topics and queues. */
  public readonly logs: kms.IKey;
  /** Key for the audit trail and its logs. */
  public readonly audit: kms.IKey;

  constructor(scope: Construct, id: string, props: EncryptionKeysProps = {}) {
    super(scope, id);
    const p = validateProps(this, schema, props);

    const make = (domain: KeyDomain): kms.IKey =>
      createDomainKey(this, domainId(domain), domain, {
        alias: `${p.aliasPrefix}/${domain}`,
        rotationPeriod: p.rotationPeriod,
        pendingWindow: p.pendingWindow,
      });

    this.data = make('data');
    this.models = make('models');
    this.logs = make('logs');
    this.audit = make('audit');
  }

  /** The key of one domain. */
  public key(domain: KeyDomain): kms.IKey {
    return this[domain];
  }

  /**
   * Lets a principal encrypt and decrypt with a domain's key, through an identity policy scoped to
   * that key's ARN (explicit actions, no wildcards).
   */
  public grantEncryptDecrypt(domain: KeyDomain, grantee: iam.IGrantable): iam.Grant {
    return grantKey(this.key(domain), grantee, KEY_ENCRYPT_DECRYPT_ACTIONS);
  }

  /** Lets a principal decrypt with a domain's key. */
  public grantDecrypt(domain: KeyDomain, grantee: iam.IGrantable): iam.Grant {
    return grantKey(this.key(domain), grantee, KEY_DECRYPT_ACTIONS);
  }
}

/**
 * Grants explicit KMS actions on one key to a principal's identity policy. The keys of
 * {@link EncryptionKeys} let the account's principals use them through their domain's services,
 * so an identity policy on the key's ARN is what decides who may.
 */
export function grantKey(key: kms.IKey, grantee: iam.IGrantable, actions: readonly string[]): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [key.keyArn] });
}

/** Options for {@link createDomainKey}. */
export interface DomainKeyOptions {
  /** The alias, e.g. `alias/team/data`. @default - no alias */
  readonly alias?: string;
  /** @default Duration.days(365) */
  readonly rotationPeriod?: Duration;
  /** @default Duration.days(30) */
  readonly pendingWindow?: Duration;
}

/**
 * Creates one hardened customer-managed key for a domain: rotation on, retained, and a key policy
 * without a blanket account-root `kms:*` (see {@link EncryptionKeys}). Constructs that are given no
 * key create theirs with this.
 */
export function createDomainKey(scope: Construct, id: string, domain: KeyDomain, options: DomainKeyOptions = {}): kms.IKey {
  const cfn = new kms.CfnKey(scope, id, {
    description: `compliant-mlops ${domain} key (${scope.node.path}/${id})`,
    enableKeyRotation: true,
    rotationPeriodInDays: (options.rotationPeriod ?? Duration.days(365)).toDays(),
    pendingWindowInDays: (options.pendingWindow ?? Duration.days(30)).toDays(),
    keyPolicy: keyPolicy(domain, Stack.of(scope)).toJSON(),
  });
  cfn.applyRemovalPolicy(RemovalPolicy.RETAIN);
  if (options.alias) new kms.CfnAlias(scope, `${id}Alias`, { aliasName: options.alias, targetKeyId: cfn.ref });
  return kms.Key.fromCfnKey(cfn);
}

function domainId(domain: KeyDomain): string {
  return `${domain[0].toUpperCase()}${domain.slice(1)}Key`;
}

function keyPolicy(domain: KeyDomain, stack: Stack): iam.PolicyDocument {
  const { account, region, partition } = stack;
  const root = new iam.AccountRootPrincipal();
  const statements: iam.PolicyStatement[] = [
    new iam.PolicyStatement({
      sid: 'AdministerWithoutDataUse',
      principals: [root],
      actions: KEY_ADMIN_ACTIONS,
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'UseThroughDomainServices',
      principals: [root],
      actions: KEY_ENCRYPT_DECRYPT_ACTIONS,
      resources: ['*'],
      conditions: {
        StringEquals: {
          'kms:CallerAccount': account,
          'kms:ViaService': VIA_SERVICES[domain].map((s) => `${s}.${region}.amazonaws.com`),
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'GrantsForAwsResources',
      principals: [root],
      actions: KEY_GRANT_ACTIONS,
      resources: ['*'],
      conditions: {
        StringEquals: {
          'kms:CallerAccount': account,
          'kms:ViaService': VIA_SERVICES[domain].map((s) => `${s}.${region}.amazonaws.com`),
        },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      },
    }),
  ];
  if (domain === 'logs' || domain === 'audit') {
    statements.push(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryption',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
          },
        },
      }),
    );
  }
  if (domain === 'logs') {
    // Encrypted SNS topics: the services that publish alarms, events and budget alerts.
    statements.push(
      new iam.PolicyStatement({
        sid: 'AlertPublishers',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('events.amazonaws.com'),
          new iam.ServicePrincipal('budgets.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
  }
  if (domain === 'audit') {
    statements.push(
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptLogs',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${account}:trail/*`,
          },
          StringEquals: { 'aws:SourceAccount': account },
        },
      }),
    );
  }
  return new iam.PolicyDocument({ statements });
}
