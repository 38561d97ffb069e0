import { createHash } from 'node:crypto';
import { Duration } from 'aws-cdk-lib';
import { featureGroupNameFor } from './naming';

// The naming rules a FeatureContract applies live in naming.ts, free of aws-cdk-lib, so that the
// contract can run in an ingestion Lambda (`compliant-mlops/contracts`).
export {
  FEATURE_NAME_PATTERN,
  featureGroupNameFor,
  MAX_FEATURE_GROUP_NAME_LENGTH,
  MAX_FEATURES_PER_GROUP,
  RESERVED_FEATURE_NAMES,
} from './naming';

/**
 * Hardened defaults and naming rules of the feature store constructs, as pure functions so that
 * tests and the README can state them exactly.
 */

/** How long a time-bound grant may last unless the construct is configured otherwise. */
export const DEFAULT_MAX_ACCESS_WINDOW = Duration.hours(8);

/** The longest time-bound window any configuration may allow. */
export const ABSOLUTE_MAX_ACCESS_WINDOW = Duration.days(7);

/** How long a feature group may go without a successful `PutRecord` before the freshness alarm fires. */
export const DEFAULT_FRESHNESS_WINDOW = Duration.hours(24);

/** The Glue catalog id Feature Store uses for the account's AWS Glue Data Catalog. */
export const DATA_CATALOG = 'AwsDataCatalog';

/** The Glue name of a feature group's catalog entry: the group name with `_` for `-` (Athena's naming rules). */
export function glueNameFor(featureGroupName: string): string {
  return featureGroupName.replace(/-/g, '_');
}

/** The Glue database of one major version of a contract: `<domain>_<name>_v<major>`. */
export function glueDatabaseNameFor(domain: string, name: string, major: number): string {
  return glueNameFor(featureGroupNameFor(domain, name, major, false));
}

/**
 * The offline store prefix of a feature group, `<base><group name>/`. Each group gets a sibling
 * prefix, so a grant on the standard group's prefix never reaches the restricted group's data.
 */
export function offlineStorePrefixFor(base: string, featureGroupName: string): string {
  return `${base}${featureGroupName}/`;
}

/** The online store TTL as Feature Store takes it: the largest unit that divides the duration exactly. */
export function ttlDurationFor(ttl: Duration): { Unit: string; Value: number } {
  const seconds = ttl.toSeconds();
  const units: [string, number][] = [
    ['Weeks', 604800],
    ['Days', 86400],
    ['Hours', 3600],
    ['Minutes', 60],
  ];
  for (const [unit, size] of units) if (seconds % size === 0) return { Unit: unit, Value: seconds / size };
  return { Unit: 'Seconds', Value: seconds };
}

/**
 * The alarm shape for a freshness window. Up to a day, one period as long as the window; beyond a
 * day (CloudWatch periods stop at one day), hourly periods that must all breach, so the alarm still
 * means "no successful write in the whole window".
 */
export function freshnessAlarmShape(window: Duration): { period: Duration; evaluationPeriods: number } {
  const minutes = window.toMinutes();
  if (minutes <= 24 * 60) return { period: window, evaluationPeriods: 1 };
  return { period: Duration.hours(1), evaluationPeriods: window.toHours() };
}

/** The storage settings a feature group can only get at creation (its `OnlineStoreConfig` and `OfflineStoreConfig`). */
export interface StorageSettings {
  readonly onlineStore: boolean;
  readonly onlineStorageType: string;
  /** The online TTL in seconds, or undefined for none. */
  readonly onlineTtlSeconds?: number;
  readonly offlineStore: boolean;
  readonly tableFormat: string;
  readonly offlineStorePrefix: string;
}

/** The storage settings of a group built with no storage props. */
export const DEFAULT_STORAGE_SETTINGS: StorageSettings = {
  onlineStore: true,
  onlineStorageType: 'Standard',
  onlineTtlSeconds: undefined,
  offlineStore: true,
  tableFormat: 'Iceberg',
  offlineStorePrefix: 'feature-store/',
};

/**
 * The name suffix that stands for a group's storage settings: empty for the defaults, else `-`
 * and 6 hex digits of a hash of the settings. CloudFormation can set a feature group's store
 * configuration only at creation and refuses to replace a resource under the name it has, so a
 * change of these settings must come with a new name.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 */
export function storageSuffixFor(settings: StorageSettings): string {
  const canonical = (s: StorageSettings) =>
    JSON.stringify([
      s.onlineStore,
      s.onlineStorageType,
      s.onlineTtlSeconds ?? null,
      s.offlineStore,
      s.tableFormat,
      s.offlineStorePrefix,
    ]);
  if (canonical(settings) === canonical(DEFAULT_STORAGE_SETTINGS)) return '';
  return `-${createHash('sha256').update(canonical(settings)).digest('hex').slice(0, 6)}`;
}

/**
 * The feature group `Description`: fixed per group name, because CloudFormation can set it only
 * at creation. The contract's own description, which changes with patch versions, is kept in the
 * Glue database, which CloudFormation updates in place.
 */
export function featureGroupDescriptionFor(
  domain: string,
  name: string,
  major: number,
  restricted: boolean,
): string {
  const what = restricted ? 'Restricted (pii, sensitive) features' : 'Features';
  return `${what} of feature contract ${domain}/${name} v${major}`.slice(0, 128);
}
