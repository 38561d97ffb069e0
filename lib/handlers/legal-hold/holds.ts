import { createHash } from 'node:crypto';
import type { DatasetManifest } from '../../lineage/manifest';
import type { LegalHoldConfig } from './config';
import { LINEAGE_KEYS } from './contract';

/** One object version a legal hold is placed on or released from. */
export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
}

/** The identity of an object version, for sets (a legal hold is one flag per version). */
export function versionKey(v: ObjectVersion): string {
  return `${v.versionId}\u0000${v.key}`;
}

/** Where a package's manifest is, or why it has none that can be read. */
export type ManifestRef =
  | { readonly kind: 'manifest'; readonly key: string; readonly sha256?: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'refused'; readonly problem: string };

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Reads `lineage:dataset-manifest` (and `lineage:dataset-manifest-sha256`) from a package's
 * customer metadata. A manifest outside the configured manifest bucket and prefix is refused: the
 * handler reads only where the pipeline writes, so a forged metadata value cannot make it hold
 * (or release) arbitrary objects.
 */
export function manifestRef(
  metadata: Readonly<Record<string, string>> | undefined,
  config: Pick<LegalHoldConfig, 'manifestBucket' | 'manifestPrefix'>,
): ManifestRef {
  const uri = metadata?.[LINEAGE_KEYS.datasetManifest]?.trim();
  if (uri === undefined || uri === '') return { kind: 'none' };
  const base = `s3://${config.manifestBucket}/`;
  const expected = `${base}${config.manifestPrefix}`;
  if (!uri.startsWith(expected) || uri.length === expected.length || uri.endsWith('/')) {
    return {
      kind: 'refused',
      problem: `${LINEAGE_KEYS.datasetManifest} is not an object under ${expected} (got ${JSON.stringify(uri)})`,
    };
  }
  const key = uri.slice(base.length);
  if (key.split('/').some((part) => part === '..' || part === '.')) {
    return {
      kind: 'refused',
      problem: `${LINEAGE_KEYS.datasetManifest} has a relative path segment (got ${JSON.stringify(uri)})`,
    };
  }
  const sha = metadata?.[LINEAGE_KEYS.datasetManifestSha256]?.trim();
  if (sha !== undefined && sha !== '' && !HEX64.test(sha)) {
    return {
      kind: 'refused',
      problem: `${LINEAGE_KEYS.datasetManifestSha256} is not 64 lowercase hexadecimal digits (got ${JSON.stringify(sha)})`,
    };
  }
  return { kind: 'manifest', key, sha256: sha === '' ? undefined : sha };
}

/** A problem when the manifest's bytes do not match the recorded digest, else `undefined`. */
export function digestProblem(bytes: Uint8Array, expected: string | undefined): string | undefined {
  if (expected === undefined) return undefined;
  const actual = createHash('sha256').update(bytes).digest('hex');
  return actual === expected
    ? undefined
    : `the manifest's sha-256 is ${actual}, not the recorded ${LINEAGE_KEYS.datasetManifestSha256} ${expected}`;
}

/** The object versions of a manifest that can be held, and one problem per object that cannot. */
export interface HoldTargets {
  readonly versions: readonly ObjectVersion[];
  readonly problems: readonly string[];
}

/**
 * The object versions of a manifest the handler may hold: each must be in the configured dataset
 * bucket (a key relative to it, or `s3://<dataset bucket>/key`) and under the held prefix, and
 * have a version id. An unversioned object (`versionId: null`) cannot be held: S3 places a legal
 * hold on one object version, and without a version id the bytes the model was trained on may
 * already be gone. A manifest naming another bucket in `lineage:dataset-bucket` is refused whole.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-legal-holds
 */
export function holdTargets(
  manifest: DatasetManifest,
  metadata: Readonly<Record<string, string>> | undefined,
  config: Pick<LegalHoldConfig, 'datasetBucket' | 'datasetsPrefix'>,
): HoldTargets {
  const declared = metadata?.[LINEAGE_KEYS.datasetBucket]?.trim();
  if (declared !== undefined && declared !== '' && declared !== config.datasetBucket) {
    return {
      versions: [],
      problems: [
        `${LINEAGE_KEYS.datasetBucket} is ${JSON.stringify(declared)}, not the held bucket ${JSON.stringify(config.datasetBucket)}: nothing held`,
      ],
    };
  }
  const versions: ObjectVersion[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const o of manifest.objects) {
    let key = o.key;
    if (key.startsWith('s3://')) {
      const rest = key.slice('s3://'.length);
      const slash = rest.indexOf('/');
      const bucket = slash < 0 ? rest : rest.slice(0, slash);
      if (bucket !== config.datasetBucket || slash < 0) {
        problems.push(`${o.key}: is not in the held bucket ${config.datasetBucket} (refused)`);
        continue;
      }
      key = rest.slice(slash + 1);
    }
    if (key === '' || !key.startsWith(config.datasetsPrefix)) {
      problems.push(`${o.key}: is outside the held prefix "${config.datasetsPrefix}" (refused)`);
      continue;
    }
    if (o.versionId === null) {
      problems.push(`${o.key}: has no version id (an unversioned object cannot be held)`);
      continue;
    }
    const v = { key, versionId: o.versionId };
    if (seen.has(versionKey(v))) continue;
    seen.add(versionKey(v));
    versions.push(v);
  }
  return { versions, problems };
}

/**
 * The versions a retired package's holds can be released from: those no other approved package
 * still references. A legal hold is one flag per object version, shared by every model trained on
 * it, so releasing a version another approved model needs would unprotect that model's data.
 */
export function releasable(
  retired: readonly ObjectVersion[],
  stillReferenced: ReadonlySet<string>,
): { readonly release: readonly ObjectVersion[]; readonly kept: readonly ObjectVersion[] } {
  const release: ObjectVersion[] = [];
  const kept: ObjectVersion[] = [];
  for (const v of retired) (stillReferenced.has(versionKey(v)) ? kept : release).push(v);
  return { release, kept };
}
