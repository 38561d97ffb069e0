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
  KEY_POLICY_MANAGEMENT_ACTIONS,
} from './perms';
import { keyServiceStatements, KeyServiceUse, recordDomainKey } from './service-access';

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

/** The AWS service uses each domain's key policy allows (see {@link KeyServiceUse}). */
export const DOMAIN_SERVICE_USES: Readonly<Record<KeyDomain, readonly KeyServiceUse[]>> = {
  data: [],
  models: [],
  // kms:ViaService of the logs key names sqs and lambda (dead-letter queues, function environments).
  logs: ['logs', 'alert-publishers', 'queues-and-functions'],
  audit: ['logs', 'cloudtrail'],
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
  /**
   * The principals (roles, users) that administer the keys: enable, disable, rotate, alias, tag,
   * revoke grants, schedule and cancel deletion. None of them may use the keys for data. The account
   * root then keeps only `kms:PutKeyPolicy`, `kms:GetKeyPolicy` and `kms:DescribeKey`, which
   * CloudFormation's execution role needs to pass KMS's key policy lockout safety check.
   * @default - the account root (any IAM principal of the account whose identity policy allows it)
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
   */
  readonly administrators?: iam.IPrincipal[];
}

const principals = z.array(
  z.custom<iam.IPrincipal>((v) => typeof v === 'object' && v !== null && 'policyFragment' in v, {
    message: 'is not an iam.IPrincipal',
    params: { expected: 'an iam.IPrincipal (role, user, account principal)' },
  }),
);

const schema = z.strictObject({
  aliasPrefix: z
    .string()
    .regex(/^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,200}$/)
    .optional()
    .default('alias/compliant-mlops'),
  rotationPeriod: durationBetween(Duration.days(90), Duration.days(2560), { unit: 'days' }).optional(),
  pendingWindow: durationBetween(Duration.days(7), Duration.days(30), { unit: 'days' }).optional(),
  administrators: principals.min(1).optional(),
});

/**
 * One customer-managed KMS key per data domain (`data`, `models`, `logs`, `audit`).
 *
 * Each key rotates, is retained on stack deletion, and has a key policy in which the account root
 * (or the named `administrators`) may administer the key but not use it, nor create grants for
 * itself: data use is allowed only to the account's principals
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
        administrators: p.administrators,
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
  /**
   * The principals that administer the key (see {@link EncryptionKeysProps.administrators}).
   * @default - the account root
   */
  readonly administrators?: iam.IPrincipal[];
}

/**
 * Creates one hardened customer-managed key for a domain: rotation on, retained, and a key policy
 * without a blanket account-root `kms:*` (see {@link EncryptionKeys}). Constructs that are given no
 * key create theirs with this.
 */
export function createDomainKey(
  scope: Construct,
  id: string,
  domain: KeyDomain,
  options: DomainKeyOptions = {},
): kms.IKey {
  const cfn = new kms.CfnKey(scope, id, {
    description: `compliant-mlops ${domain} key (${scope.node.path}/${id})`,
    enableKeyRotation: true,
    rotationPeriodInDays: (options.rotationPeriod ?? Duration.days(365)).toDays(),
    pendingWindowInDays: (options.pendingWindow ?? Duration.days(30)).toDays(),
    keyPolicy: keyPolicy(domain, Stack.of(scope), options.administrators ?? []).toJSON(),
  });
  cfn.applyRemovalPolicy(RemovalPolicy.RETAIN);
  if (options.alias)
    new kms.CfnAlias(scope, `${id}Alias`, { aliasName: options.alias, targetKeyId: cfn.ref });
  const key = kms.Key.fromCfnKey(cfn);
  recordDomainKey(key, domain, DOMAIN_SERVICE_USES[domain]);
  return key;
}

function domainId(domain: KeyDomain): string {
  return `${domain[0].toUpperCase()}${domain.slice(1)}Key`;
}

function keyPolicy(
  domain: KeyDomain,
  stack: Stack,
  administrators: readonly iam.IPrincipal[],
): iam.PolicyDocument {
  const { account, region } = stack;
  const root = new iam.AccountRootPrincipal();
  const viaServices = VIA_SERVICES[domain].map((s) => `${s}.${region}.amazonaws.com`);
  const statements: iam.PolicyStatement[] = [
    new iam.PolicyStatement({
      sid: 'AdministerWithoutDataUse',
      principals: administrators.length > 0 ? [...administrators] : [root],
      actions: KEY_ADMIN_ACTIONS,
      resources: ['*'],
    }),
  ];
  if (administrators.length > 0) {
    // Key policy lockout safety check: CreateKey and PutKeyPolicy fail unless the caller
    // (CloudFormation's execution role, an IAM principal of the account) may call PutKeyPolicy again.
    statements.push(
      new iam.PolicyStatement({
        sid: 'DeploymentManagesKeyPolicy',
        principals: [root],
        actions: KEY_POLICY_MANAGEMENT_ACTIONS,
        resources: ['*'],
      }),
    );
  }
  statements.push(
    new iam.PolicyStatement({
      sid: 'UseThroughDomainServices',
      principals: [root],
      actions: KEY_ENCRYPT_DECRYPT_ACTIONS,
      resources: ['*'],
      conditions: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': viaServices } },
    }),
    new iam.PolicyStatement({
      sid: 'GrantsForAwsResources',
      principals: [root],
      actions: KEY_GRANT_ACTIONS,
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': viaServices },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      },
    }),
  );
  for (const use of DOMAIN_SERVICE_USES[domain]) statements.push(...keyServiceStatements(use, stack));
  return new iam.PolicyDocument({ statements });
}
