import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LINEAGE_METADATA_KEYS } from './metadata-keys';

/**
 * The `CustomerMetadataProperties` key of a model package that names its dataset manifest (an
 * `s3://bucket/key` URI). CustomerMetadataProperties is a free string map of the model package,
 * returned by DescribeModelPackage.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
 */
export const DATASET_MANIFEST_KEY = LINEAGE_METADATA_KEYS.datasetManifest;

/**
 * The `CustomerMetadataProperties` key that names the training job of a model package, when its
 * `MetadataProperties.GeneratedBy` does not hold a training job ARN.
 */
export const TRAINING_JOB_KEY = LINEAGE_METADATA_KEYS.trainingJob;

const SHA256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hexadecimal digits (a sha-256 digest)');

/**
 * One dataset object as it was when the model was trained. S3 version ids pin the exact bytes
 * (a versioned bucket keeps earlier versions); the digest lets a reader check them.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html
 */
export const DatasetObjectSchema = z.strictObject({
  /** Object key inside the manifest's bucket (or `s3://bucket/key`). */
  key: z.string().min(1),
  /** S3 version id of the object; `null` for an unversioned bucket. */
  versionId: z.string().min(1).nullable(),
  /** Size in bytes. */
  size: z.number().int().nonnegative(),
  /** SHA-256 of the object's bytes, hex. */
  sha256: SHA256,
});

/** One object of a {@link DatasetManifest}. */
export type DatasetObject = z.infer<typeof DatasetObjectSchema>;

/**
 * Where third-party data came from and on which terms: what a data protection or licence review
 * asks of each external source.
 */
export const ProvenanceRecordSchema = z.strictObject({
  /** Who supplied the data (vendor, public dataset name, URL). */
  source: z.string().min(1),
  /** Licence identifier (an SPDX id where one exists) or the contract's licence name. */
  licence: z.string().min(1),
  /** Day the data was acquired, `YYYY-MM-DD`. */
  acquisitionDate: z.iso.date(),
  /** Digest of the data as received. */
  checksum: z.strictObject({ algorithm: z.literal('sha256'), value: SHA256 }),
  /** Classes of personal data it holds (`[]` when none): e.g. `name`, `email`, `health`. */
  piiClasses: z.array(z.string().min(1)),
  /** Reference of the data sharing or licence agreement. */
  agreementReference: z.string().min(1),
});

/** A third-party provenance record. */
export type ProvenanceRecord = z.infer<typeof ProvenanceRecordSchema>;

/** The dataset manifest a model package names under {@link DATASET_MANIFEST_KEY}. */
export const DatasetManifestSchema = z.strictObject({
  /** Format version: 1. */
  schemaVersion: z.literal(1),
  /** The training data objects (at least one). */
  objects: z.array(DatasetObjectSchema).min(1),
  /** Third-party sources of the data. @default [] */
  provenance: z.array(ProvenanceRecordSchema).default([]),
});

/** A parsed dataset manifest. */
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>;

/**
 * Parses a manifest document; on failure the problems, one per line, as
 * `<field.path>: <problem>`.
 */
export function parseDatasetManifest(
  text: string,
): { ok: true; manifest: DatasetManifest } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`(document): not json (${(e as Error).message.split('\n')[0]})`] };
  }
  const r = DatasetManifestSchema.safeParse(json);
  if (r.success) return { ok: true, manifest: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}`),
  };
}

/**
 * The digest of a dataset version as a whole: the sha-256 of its objects' `sha256sum` listing
 * (`<sha256>  <key relative to the version prefix>\n` per object, sorted by that key in UTF-8
 * byte order). A supplier or an ingestion job computes it with
 * `find . -type f | sort | xargs sha256sum | sed 's| \./| |' | sha256sum` over the files as
 * received, so a provenance record's checksum can name a multi-file delivery.
 */
export function datasetDigest(objects: readonly DatasetObject[], versionPrefix: string): string {
  const lines = objects
    .map((o) => ({
      rel: o.key.startsWith(versionPrefix) ? o.key.slice(versionPrefix.length) : o.key,
      sha: o.sha256,
    }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.rel, 'utf8'), Buffer.from(b.rel, 'utf8')))
    .map((o) => `${o.sha}  ${o.rel}\n`)
    .join('');
  return createHash('sha256').update(lines, 'utf8').digest('hex');
}

/**
 * Parses a provenance document stored with a third-party dataset version: one
 * {@link ProvenanceRecordSchema} record, or a non-empty array of them (one per source). On failure the problems, one per line, as `<field.path>: <problem>`.
 */
export function parseProvenanceDocument(
  text: string,
): { ok: true; records: ProvenanceRecord[] } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`(document): not json (${(e as Error).message.split('\n')[0]})`] };
  }
  // Report against the shape the document tries to have, so the problems name its fields.
  const schema = Array.isArray(json) ? z.array(ProvenanceRecordSchema).min(1) : ProvenanceRecordSchema;
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, records: Array.isArray(r.data) ? r.data : [r.data as ProvenanceRecord] };
  return {
    ok: false,
    problems: r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}`),
  };
}

/**
 * The records whose checksum matches neither the digest of the whole version
 * ({@link datasetDigest}) nor the sha-256 of one of its objects: the data trained on is not the
 * data the record describes. Empty when every record matches.
 */
export function unmatchedProvenance(
  records: readonly ProvenanceRecord[],
  objects: readonly DatasetObject[],
  versionPrefix: string,
): { index: number; record: ProvenanceRecord }[] {
  const digest = datasetDigest(objects, versionPrefix);
  const objectDigests = new Set(objects.map((o) => o.sha256));
  return records
    .map((record, index) => ({ index, record }))
    .filter(({ record }) => record.checksum.value !== digest && !objectDigests.has(record.checksum.value));
}
