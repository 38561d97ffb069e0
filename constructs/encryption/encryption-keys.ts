import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { z } from 'zod';
import { describeValue, durationBetween, throwIfProblems, validateProps } from '../core/validate';
import { createDomainKey, KEY_DOMAINS, KeyDomain } from './domain-key';
import { KEY_DECRYPT_ACTIONS, KEY_ENCRYPT_DECRYPT_ACTIONS } from './perms';

export { DOMAIN_SERVICE_USES, KEY_DOMAINS, type KeyDomain } from './domain-key';

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
   * that key's ARN (explicit actions, no wildcards). The key policy lets the account's principals use
   * the key through the domain's services (`kms:ViaService`), so this grant takes effect there.
   *
   * The grantee comes first, as in aws-cdk-lib's `grant*` methods.
   *
   * @throws PropsValidationError when `domain` is not one of {@link KEY_DOMAINS}
   */
  public grantEncryptDecrypt(grantee: iam.IGrantable, domain: KeyDomain): iam.Grant {
    return grantKey(this.domainKey('grantEncryptDecrypt', domain), grantee, KEY_ENCRYPT_DECRYPT_ACTIONS);
  }

  /**
   * Lets a principal decrypt with a domain's key (see {@link EncryptionKeys.grantEncryptDecrypt}).
   *
   * @throws PropsValidationError when `domain` is not one of {@link KEY_DOMAINS}
   */
  public grantDecrypt(grantee: iam.IGrantable, domain: KeyDomain): iam.Grant {
    return grantKey(this.domainKey('grantDecrypt', domain), grantee, KEY_DECRYPT_ACTIONS);
  }

  // The arguments were (domain, grantee) before: a JavaScript caller (no type check) still passing
  // them in that order gets this message rather than a TypeError from an undefined key.
  private domainKey(method: string, domain: unknown): kms.IKey {
    const known = (KEY_DOMAINS as readonly unknown[]).includes(domain);
    throwIfProblems(
      this,
      known
        ? []
        : [
            {
              field: 'domain',
              problem: `is not a key domain (${method} takes the grantee first, then the domain)`,
              got: describeValue(domain),
              expected: `one of ${KEY_DOMAINS.join(', ')}`,
            },
          ],
    );
    return this[domain as KeyDomain];
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

function domainId(domain: KeyDomain): string {
  return `${domain[0].toUpperCase()}${domain.slice(1)}Key`;
}
