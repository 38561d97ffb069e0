/**
 * The naming rules of feature contracts and their feature groups. Free of aws-cdk-lib: the
 * contract applies them at ingestion too, inside a Lambda bundle (`compliant-mlops/contracts`).
 */

/** snake_case feature names: lowercase, so Glue and Athena (which fold case) see the same name. */
export const FEATURE_NAME_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * Names a feature cannot have: the three columns Feature Store adds to every offline record, and
 * the partition columns of the Glue-format offline table.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-quotas.html
 */
export const RESERVED_FEATURE_NAMES: readonly string[] = [
  'is_deleted',
  'write_time',
  'api_invocation_time',
  'year',
  'month',
  'day',
  'hour',
];

/** `FeatureGroupName` is at most 64 characters. */
export const MAX_FEATURE_GROUP_NAME_LENGTH = 64;

/** Feature Store's limit of feature definitions per feature group. */
export const MAX_FEATURES_PER_GROUP = 2500;

/** `<domain>-<name>-v<major>`, or `<domain>-<name>-restricted-v<major>` for the restricted group. */
export function featureGroupNameFor(
  domain: string,
  name: string,
  major: number,
  restricted: boolean,
): string {
  return `${domain}-${name}${restricted ? '-restricted' : ''}-v${major}`;
}
