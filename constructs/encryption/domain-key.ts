import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { recordDomainKey } from './key-records';
import {
  KEY_ADMIN_ACTIONS,
  KEY_ENCRYPT_DECRYPT_ACTIONS,
  KEY_GRANT_ACTIONS,
  KEY_POLICY_MANAGEMENT_ACTIONS,
} from './perms';
import { keyServiceStatements, KeyServiceUse } from './service-access';

// Internal to the library: constructs that are given no key create theirs with createDomainKey.
// The package root re-exports encryption-keys.ts, which re-exports only the public names of this
// file (KEY_DOMAINS, KeyDomain, DOMAIN_SERVICE_USES).

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

/** Options for {@link createDomainKey}. */
export interface DomainKeyOptions {
  /** The alias, e.g. `alias/team/data`. @default - no alias */
  readonly alias?: string;
  /** @default Duration.days(365) */
  readonly rotationPeriod?: Duration;
  /** @default Duration.days(30) */
  readonly pendingWindow?: Duration;
  /**
   * The principals that administer the key (see `EncryptionKeysProps.administrators`).
   * @default - the account root
   */
  readonly administrators?: iam.IPrincipal[];
}

/**
 * A `kms.Key` whose `grant*` methods add the grant to the key policy as well as to the grantee's
 * identity policy, as `kms.Key.fromCfnKey` keys do (the keys were `CfnKey` + `fromCfnKey` before).
 *
 * Under `@aws-cdk/aws-kms:defaultKeyPolicies`, `kms.Key` trusts the account's identities: a grant to a
 * principal of the same account goes to its identity policy only. That works for a key whose policy
 * lets the account root enable IAM policies; a domain key's policy does not (no account-root data
 * use, except through the domain's services), and "unless the key policy explicitly allows it, you
 * cannot use IAM policies to allow access to a KMS key"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html). An identity-only grant
 * would synthesize, deploy, and then fail with AccessDenied.
 */
class DomainKey extends kms.Key {
  // Read by the memoized `grants` getter on first use, after construction: kms.Key's constructor
  // reads grants only for its `admins` prop, which createDomainKey never passes.
  protected override readonly trustAccountIdentities = false;
}

/**
 * Creates one hardened customer-managed key for a domain: rotation on, retained, and a key policy
 * without a blanket account-root `kms:*` (see `EncryptionKeys`). Constructs that are given no key
 * create theirs with this.
 *
 * The key is a `kms.Key` with an explicit `policy`: under `@aws-cdk/aws-kms:defaultKeyPolicies` (on in
 * CDK v2), `kms.Key` adds its account-root `kms:*` statement only when no policy is given. Its
 * `AWS::KMS::Key` keeps the logical id of a bare `CfnKey` at `scope/id` (see {@link cfnKeyLogicalId}).
 */
export function createDomainKey(
  scope: Construct,
  id: string,
  domain: KeyDomain,
  options: DomainKeyOptions = {},
): kms.IKey {
  const logicalId = cfnKeyLogicalId(scope, id);
  const key = new DomainKey(scope, id, {
    description: `compliant-mlops ${domain} key (${scope.node.path}/${id})`,
    enableKeyRotation: true,
    policy: keyPolicy(domain, Stack.of(scope), options.administrators ?? []),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const cfn = key.node.defaultChild as kms.CfnKey;
  // Set on the CfnKey, not as kms.Key's rotationPeriod and pendingWindow: kms.Key range-checks their
  // toDays(), which is an encoded number for Duration.days(<token>) and fails. EncryptionKeys has
  // validated literal values already and lets day tokens through, for CloudFormation to resolve.
  cfn.rotationPeriodInDays = (options.rotationPeriod ?? Duration.days(365)).toDays();
  cfn.pendingWindowInDays = (options.pendingWindow ?? Duration.days(30)).toDays();
  // Read it back with stack.resolve(cfn.logicalId): Stack.getLogicalId(cfn) allocates from the path
  // and ignores the override. (A rename from the allocated id instead would clash in the stack's
  // rename bookkeeping with the probe, which already took the kept id.)
  cfn.overrideLogicalId(logicalId);
  // A CfnAlias beside the key, not kms.Key's `alias` (an Alias under the key, at another path), so the
  // alias keeps its logical id too.
  if (options.alias)
    new kms.CfnAlias(scope, `${id}Alias`, { aliasName: options.alias, targetKeyId: key.keyId });
  recordDomainKey(key, domain, DOMAIN_SERVICE_USES[domain]);
  return key;
}

/**
 * The logical id the stack gives a `CfnKey` at `scope/id`.
 *
 * The keys were a bare `CfnKey` at `scope/id`; `kms.Key` nests its `CfnKey` at `scope/id/Resource`,
 * and the path hashes to another logical id. CloudFormation replaces a resource whose logical id
 * changes: a replaced key is scheduled for deletion, and everything it encrypted becomes unreadable.
 * The stack itself allocates the id, for a probe `CfnKey` at the old path that is removed before the
 * key takes that path: its `allocateLogicalId` (which a `Stack` subclass may override) and the renames
 * it holds (`renameLogicalId`) give exactly the id they gave before.
 */
function cfnKeyLogicalId(scope: Construct, id: string): string {
  const probe = new kms.CfnKey(scope, id, {});
  const logicalId = Stack.of(scope).getLogicalId(probe);
  scope.node.tryRemoveChild(id);
  return logicalId;
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
  // The statements as written, whatever the app's @aws-cdk/aws-iam:minimizePolicies: merging or
  // sorting them would change every deployed key policy.
  return new iam.PolicyDocument({ statements, minimize: false });
}
