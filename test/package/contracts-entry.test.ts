import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, Metafile, Plugin } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import * as root from '../../constructs';
import * as contracts from '../../constructs/contracts';
import { ROOT, traceRequire, transpileSources } from './transpile';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, { default: string }>;
};

/**
 * Resolves `compliant-mlops/<entry>` through package.json `exports` into `tree`, the sources
 * transpiled to CommonJS file by file: what a consumer's bundler reads from `dist/`. (Bundled from
 * the TypeScript sources instead, zod resolves to its ES build and sheds its locales, which a
 * consumer of our CommonJS build does not.)
 */
function selfReference(tree: string): Plugin {
  return {
    name: 'compliant-mlops-dist',
    setup(b) {
      b.onResolve({ filter: /^compliant-mlops(\/|$)/ }, (args) => {
        const entry = `.${args.path.slice('compliant-mlops'.length)}`;
        const target = pkg.exports[entry]?.default;
        if (!target) return { errors: [{ text: `package.json exports has no ${entry}` }] };
        return { path: path.join(tree, target.replace(/^\.\/dist\//, '')) };
      });
    },
  };
}

// An ingestion handler as a user writes it: the contract, a record check, the PutRecord inputs.
const HANDLER = `
import { FeatureContract } from 'compliant-mlops/contracts';

const contract = FeatureContract.define({
  domain: 'marketing', name: 'customer-churn', version: '1.0.0',
  description: 'Churn features', owner: 'growth',
  recordIdentifier: 'customer_id', eventTime: 'event_time',
  features: [
    { name: 'customer_id', type: 'String', description: 'Customer key' },
    { name: 'event_time', type: 'String', description: 'Event time' },
    { name: 'email', type: 'String', description: 'Contact', pii: 'pii' },
    { name: 'tenure_days', type: 'Integral', description: 'Days as a customer' },
  ],
});

export const handler = async (event: unknown) => contract.toPutRecordInputs(event);
`;

// Issue 14: an ingestion Lambda importing FeatureContract bundled aws-cdk-lib (~40–60 MB), because
// the contract lived behind the CDK entry. `compliant-mlops/contracts` holds it without aws-cdk-lib.
describe('compliant-mlops/contracts', () => {
  let bundle: string;
  let metafile: Metafile;
  let tree: string;
  beforeAll(async () => {
    tree = await transpileSources('contracts-entry-tree');
    const dir = path.join(ROOT, '.tmp', 'contracts-entry');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'handler.ts'), HANDLER);
    bundle = path.join(dir, 'handler.js');
    // As NodejsFunction bundles by default: not minified.
    const result = await build({
      entryPoints: [path.join(dir, 'handler.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      metafile: true,
      logLevel: 'warning',
      plugins: [selfReference(tree)],
    });
    metafile = result.metafile;
  });

  // About 980,000 bytes, 940 KB of it zod's mini CommonJS build (half of that its locales, which
  // every CommonJS entry of zod requires); the classic build made it ~1,033,000.
  it('bundles an ingestion handler to less than 1 MB', () => {
    const bytes = readFileSync(bundle).length;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(1_000_000);
  });

  it('bundles no aws-cdk-lib and no constructs', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((f) => f.endsWith('constructs/feature-store/feature-contract.js'))).toBe(true);
    expect(inputs.filter((f) => /node_modules\/(aws-cdk-lib|constructs|cdk-nag)\//.test(f))).toEqual([]);
    expect(readFileSync(bundle, 'utf8')).not.toContain('aws-cdk-lib');
  });

  it('the bundle runs: checks a record and splits it into PutRecord inputs', () => {
    const script = `
      require(${JSON.stringify(bundle)}).handler({
        customer_id: 'c-1', event_time: '2026-01-01T00:00:00Z', email: 'a@example.com', tenure_days: '12',
      }).then((r) => process.stdout.write(JSON.stringify(r)));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(out.map((i: { FeatureGroupName: string }) => i.FeatureGroupName)).toEqual([
      'marketing-customer-churn-v1',
      'marketing-customer-churn-restricted-v1',
    ]);
  });

  it('requiring the entry loads no aws-cdk-lib and no constructs', () => {
    const trace = traceRequire(path.join(tree, 'constructs', 'contracts.js'));
    expect(trace.files).toContain('node_modules/zod/mini/index.cjs');
    expect(trace.files.filter((f) => /^node_modules\/(aws-cdk-lib|constructs|cdk-nag)\//.test(f))).toEqual(
      [],
    );
  });

  it('is the FeatureContract the constructs take, so a contract from either entry works for both', () => {
    expect(contracts.FeatureContract).toBe(root.FeatureContract);
    expect(contracts.RecordValidationError).toBe(root.RecordValidationError);
    expect(contracts.PropsValidationError).toBe(root.PropsValidationError);
  });

  it('define throws the PropsValidationError the root entry exports', () => {
    expect(() =>
      contracts.FeatureContract.define({
        domain: 'Bad Domain',
        name: 'x',
        version: '1.0.0',
        description: 'd',
        owner: 'o',
        recordIdentifier: 'id',
        eventTime: 'ts',
        features: [
          { name: 'id', type: 'String', description: 'id' },
          { name: 'ts', type: 'String', description: 'ts' },
        ],
      }),
    ).toThrow(root.PropsValidationError);
  });
});
