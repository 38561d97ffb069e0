import * as kms from 'aws-cdk-lib/aws-kms';
import type { KeyServiceUse } from './service-access';

// Internal to the library (not re-exported from the package root): which keys the library created
// and what their policies allow. A public `recordDomainKey` would let any caller mark any key as
// covering a use, and so skip requireKeyServiceAccess's check.

/** What the library knows about a key: created by createDomainKey (policy fixed) or given the statements of service-access.ts. */
export interface KeyRecord {
  readonly origin: 'domain-key' | 'app-key';
  readonly domain?: string;
  readonly uses: Set<KeyServiceUse>;
}

/** The records, by key object. */
export const KEY_RECORDS = new WeakMap<kms.IKey, KeyRecord>();

/** Records that a key created by `createDomainKey` has a fixed key policy covering `uses`. */
export function recordDomainKey(key: kms.IKey, domain: string, uses: readonly KeyServiceUse[]): void {
  KEY_RECORDS.set(key, { origin: 'domain-key', domain, uses: new Set(uses) });
}
