import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ScopedRole } from '../core/scoped-role';
import { BUCKET_LIST_ACTIONS, OBJECT_READ_ACTIONS } from '../storage/perms';
import type { ISecureBucket } from '../storage/secure-bucket';
import { DATA_CATALOG, glueDatabaseNameFor, glueNameFor, offlineStorePrefixFor } from './defaults';
import type { FeatureContract } from './feature-contract';
import {
  ATHENA_QUERY_ACTIONS,
  DESCRIBE_ACTIONS,
  GLUE_OFFLINE_STORE_ACTIONS,
  GLUE_READ_ACTIONS,
  OFFLINE_KEY_READ_ACTIONS,
  OFFLINE_STORE_BUCKET_ACTIONS,
  OFFLINE_STORE_OBJECT_ACL_ACTIONS,
} from './perms';
import type { GroupNames, OfflineTableFormat } from './secure-feature-group-props';

// The offline store: the Glue database of a contract's groups, each group's writer role scoped to
// its bucket prefix and Glue table, and the read grants (standing and time-bound) on it.

/** IAM conditions, as `iam.PolicyStatement` takes them. */
type Conditions = Record<string, Record<string, unknown>>;

/**
 * The Glue database of a contract's offline stores, `<domain>_<name>_v<major>`, whose parameters
 * carry the contract and each feature's description, owner and PII class.
 * @internal
 */
export function createCatalog(
  scope: Construct,
  contract: FeatureContract,
  names: GroupNames,
): { readonly database: glue.CfnDatabase; readonly databaseName: string } {
  const databaseName = glueDatabaseNameFor(contract.domain, contract.name, contract.majorVersion);
  const database = new glue.CfnDatabase(scope, 'Catalog', {
    catalogId: Stack.of(scope).account,
    databaseInput: {
      name: databaseName,
      description:
        `Offline store of feature contract ${contract.domain}/${contract.name} v${contract.majorVersion}: ${contract.description}`.slice(
          0,
          2048,
        ),
      parameters: catalogParameters(contract, names),
    },
  });
  return { database, databaseName };
}

/** Glue database parameters: the contract, and each feature's description, owner and PII class. */
function catalogParameters(contract: FeatureContract, names: GroupNames): Record<string, string> {
  const params: Record<string, string> = {
    'feature-contract': `${contract.domain}/${contract.name}`,
    'feature-contract-version': contract.version,
    'feature-contract-owner': contract.owner,
    classification: 'iceberg',
  };
  for (const f of contract.features) {
    params[`feature.${f.name}`] = JSON.stringify({
      description: f.description,
      type: f.type,
      owner: f.owner,
      pii: f.pii,
      required: f.required,
      group: f.restricted ? names.restricted : names.standard,
    });
  }
  return params;
}

/** The Glue catalog, database and table ARNs one offline store table needs. */
function glueArns(scope: Construct, database: string, table: string): string[] {
  const stack = Stack.of(scope);
  return [
    stack.formatArn({ service: 'glue', resource: 'catalog' }),
    stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
    stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/${table}` }),
  ];
}

/**
 * A statement in the bucket policy for `grantee` or, when the bucket's policy is not the app's to
 * change (a bucket imported with `SecureBucket.fromBucketAttributes`), the same permission in the
 * grantee's identity policy.
 */
function allowOnBucket(
  bucket: ISecureBucket,
  grantee: iam.IGrantable,
  actions: string[],
  resources: string[],
  conditions?: Conditions,
): void {
  const added = bucket.bucket.addToResourcePolicy(
    new iam.PolicyStatement({ principals: [grantee.grantPrincipal], actions, resources, conditions }),
  ).statementAdded;
  if (!added) iam.Grant.addToPrincipal({ grantee, actions, resourceArns: resources, conditions });
}

/** One group's offline store: its writer role, prefix, Glue table and `OfflineStoreConfig`. */
export interface OfflineStoreParts {
  readonly role: ScopedRole;
  readonly prefix: string;
  readonly tableName: string;
  readonly config: Record<string, unknown>;
}

/**
 * The offline store of the group `name`: a role Feature Store assumes to write the group's bucket
 * prefix (under the bucket's key) and its Glue table, and the `OfflineStoreConfig` naming them.
 * @internal
 */
export function offlineStoreFor(
  scope: Construct,
  name: string,
  store: {
    readonly bucket: ISecureBucket;
    readonly databaseName: string;
    readonly prefixBase: string;
    readonly tableFormat: OfflineTableFormat;
  },
): OfflineStoreParts {
  const { bucket, databaseName } = store;
  const prefix = offlineStorePrefixFor(store.prefixBase, name);
  const tableName = glueNameFor(name);
  const role = new ScopedRole(scope, 'OfflineStoreRole', {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    description: `Feature Store offline store writer of ${name}`,
  });
  bucket.grantReadWritePrefix(role, prefix);
  allowOnBucket(bucket, role, OFFLINE_STORE_BUCKET_ACTIONS, [bucket.bucketArn]);
  allowOnBucket(bucket, role, OFFLINE_STORE_OBJECT_ACL_ACTIONS, [bucket.bucket.arnForObjects(`${prefix}*`)]);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: GLUE_OFFLINE_STORE_ACTIONS,
      resources: glueArns(scope, databaseName, tableName),
    }),
  );
  const config = {
    S3StorageConfig: { S3Uri: bucket.s3UriForPrefix(prefix), KmsKeyId: bucket.encryptionKey.keyArn },
    // Feature Store creates (and, for Iceberg, maintains) the table: Iceberg requires it to.
    DisableGlueTableCreation: false,
    TableFormat: store.tableFormat,
    DataCatalogConfig: { Catalog: DATA_CATALOG, Database: databaseName, TableName: tableName },
  };
  return { role, prefix, tableName, config };
}

/** The offline store of one group, as {@link grantOfflineRead} reads it. */
export interface OfflineReadTarget {
  readonly bucket: ISecureBucket;
  readonly databaseName: string;
  readonly athenaWorkGroup: string;
  readonly featureGroupArn: string;
  readonly tableName: string;
  readonly prefix: string;
}

/**
 * Lets a principal query one group's offline store: describe the group, read its Glue database and
 * table, run Athena queries in the workgroup, read its S3 prefix and decrypt with the bucket's key.
 * With `conditions` (a time-bound grant) every statement carries them.
 * @internal
 */
export function grantOfflineRead(
  scope: Construct,
  grantee: iam.IGrantable,
  target: OfflineReadTarget,
  conditions?: Conditions,
): iam.Grant {
  const { bucket, prefix } = target;
  const stack = Stack.of(scope);
  let grant = iam.Grant.addToPrincipal({
    grantee,
    actions: DESCRIBE_ACTIONS,
    resourceArns: [target.featureGroupArn],
    conditions,
  });
  grant = grant.combine(
    iam.Grant.addToPrincipal({
      grantee,
      actions: GLUE_READ_ACTIONS,
      resourceArns: glueArns(scope, target.databaseName, target.tableName),
      conditions,
    }),
  );
  grant = grant.combine(
    iam.Grant.addToPrincipal({
      grantee,
      actions: ATHENA_QUERY_ACTIONS,
      resourceArns: [
        stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: target.athenaWorkGroup }),
      ],
      conditions,
    }),
  );
  if (!conditions) return grant.combine(bucket.grantReadPrefix(grantee, prefix));
  // The buckets' prefix grants take no conditions, so the time-bound ones are written here.
  allowOnBucket(bucket, grantee, BUCKET_LIST_ACTIONS, [bucket.bucketArn], {
    ...conditions,
    StringLike: { 's3:prefix': [`${prefix}*`] },
  });
  allowOnBucket(
    bucket,
    grantee,
    OBJECT_READ_ACTIONS,
    [bucket.bucket.arnForObjects(`${prefix}*`)],
    conditions,
  );
  return grant.combine(
    iam.Grant.addToPrincipal({
      grantee,
      actions: OFFLINE_KEY_READ_ACTIONS,
      resourceArns: [bucket.encryptionKey.keyArn],
      conditions,
    }),
  );
}
