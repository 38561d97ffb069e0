import * as nodeModule from 'node:module';
import { dirname, join, sep } from 'node:path';
import { SharedPatch } from './shared-patch';

/** Node's CommonJS resolver (`Module._resolveFilename`), which tools such as tsx also wrap. */
type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

/** The module object of Node's CommonJS loader, as far as this file touches it. */
interface CommonJsLoader {
  _resolveFilename: ResolveFilename;
}

/** A held cache; {@link SelfResolutionCache.release} removes it when no check holds it any more. */
export interface SelfResolutionCache {
  /** The requests answered from the cache so far, in this process (for tests). */
  readonly hits: () => number;
  /** Drops this hold; the last one puts Node's resolver back. */
  release(): void;
}

let hitCount = 0;

const cache = new SharedPatch(() => {
  const loader = nodeModule.Module as unknown as CommonJsLoader;
  if (typeof loader._resolveFilename !== 'function') return undefined;
  const original = loader._resolveFilename;
  const includeDir =
    join(dirname(require.resolve('aws-cdk-lib/package.json')), 'cloudformation-include') + sep;
  const known = new Map<string, string>();
  const memo: ResolveFilename = function (this: unknown, request, parent, isMain, options) {
    const from = (parent as { filename?: unknown } | undefined)?.filename;
    if (
      options !== undefined ||
      isMain ||
      typeof from !== 'string' ||
      !from.startsWith(includeDir) ||
      !request.startsWith('aws-cdk-lib/')
    ) {
      return original.call(this, request, parent, isMain, options);
    }
    const hit = known.get(request);
    if (hit !== undefined) {
      hitCount += 1;
      return hit;
    }
    const resolved = original.call(this, request, parent, isMain, options);
    known.set(request, resolved);
    return resolved;
  };
  loader._resolveFilename = memo;
  return () => {
    // Someone who wrapped the resolver after us keeps their wrapper; ours stays inside it, harmless.
    if (loader._resolveFilename === memo) loader._resolveFilename = original;
  };
});

/**
 * Caches how CfnInclude's `require('aws-cdk-lib/aws-…')` resolves, while a check runs.
 *
 * CfnInclude loads each resource's L1 class with `require(moduleName)`, `moduleName` being
 * `aws-cdk-lib/aws-s3` and so on: from inside aws-cdk-lib that is a package self-reference, which
 * Node resolves through aws-cdk-lib's `exports` map (hundreds of entries, scanned on every call).
 * Node remembers a resolution per requiring module only when that module is the one that first
 * loads the target, and the packs have always loaded `aws-s3` before CfnInclude asks, so every
 * included resource paid a full resolution: about 12 % of the CPU time of 1,000 small templates
 * (issue 15). The answer depends only on the request and the package scope of the requiring file,
 * which is the same for every file of `aws-cdk-lib/cloudformation-include`, so it is cached per
 * request for requires from there, and only for plain `require` calls (no options, not the
 * main module). Every other resolution goes to Node unchanged. Ref-counted: the resolver is
 * restored when the last check that holds the cache releases it.
 */
export function holdSelfResolutionCache(): SelfResolutionCache {
  return { hits: () => hitCount, release: cache.hold() };
}
