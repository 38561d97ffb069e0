import { LINEAGE_METADATA_KEYS, REVIEW_METADATA_KEYS } from '../lineage/metadata-keys';

/**
 * The `CustomerMetadataProperties` keys of a registered model package that model documentation
 * reads (the lineage conventions of issue 18, written by the pipeline's RecordLineage step, and
 * the review record the review gate checks).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html
 */
export const LINEAGE_KEYS = LINEAGE_METADATA_KEYS;

/** The review record keys (see lib/handlers/review-gate/contract.ts `REVIEW_KEYS`). */
export const REVIEW_RECORD_KEYS = REVIEW_METADATA_KEYS;

/** The lineage keys in the order the documentation lists them. */
export const LINEAGE_KEY_ORDER: readonly string[] = Object.values(LINEAGE_KEYS);
