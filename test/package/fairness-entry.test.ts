import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import * as fairness from '../../lib/fairness';
import { ROOT, traceRequire, transpileSources } from './transpile';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};

// A bias check as a user writes it in a Lambda function or a script: no CDK anywhere.
const SCRIPT = `
import { BiasAccumulator } from 'compliant-mlops/fairness';

const acc = new BiasAccumulator({ label: 'y', facets: ['g=f'], predictions: 'p' });
for (const [g, y, p] of [['f', '1', '1'], ['f', '0', '0'], ['m', '1', '1'], ['m', '0', '1']]) acc.addRecord({ g, y, p });
process.stdout.write(JSON.stringify(acc.report().facets[0].postTraining.find((m) => m.metric === 'DPPL')));
`;

// The statistics of lib/fairness are shared by the CLI, the bias-check step and the quality
// monitor; `compliant-mlops/fairness` gives them to users without the construct library.
describe('compliant-mlops/fairness', () => {
  let tree: string;
  let bundle: string;
  let metafile: Metafile;
  beforeAll(async () => {
    tree = await transpileSources('fairness-entry-tree');
    const dir = path.join(ROOT, '.tmp', 'fairness-entry');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'script.ts'), SCRIPT);
    bundle = path.join(dir, 'script.js');
    const result = await build({
      entryPoints: [path.join(dir, 'script.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      metafile: true,
      logLevel: 'warning',
      plugins: [
        {
          name: 'compliant-mlops-dist',
          setup(b) {
            b.onResolve({ filter: /^compliant-mlops(\/|$)/ }, (args) => {
              const target = pkg.exports[`.${args.path.slice('compliant-mlops'.length)}`]?.default;
              if (!target) return { errors: [{ text: `package.json exports has no ${args.path}` }] };
              return { path: path.join(tree, target.replace(/^\.\/dist\//, '')) };
            });
          },
        },
      ],
    });
    metafile = result.metafile;
  });

  it('is a package.json export with its declarations, next to the compiled module', () => {
    expect(pkg.exports['./fairness']).toEqual({
      types: './dist/lib/fairness/index.d.ts',
      default: './dist/lib/fairness/index.js',
    });
  });

  it('requiring it loads no aws-cdk-lib, constructs, cdk-nag, nor any module of constructs/', () => {
    const trace = traceRequire(path.join(tree, 'lib', 'fairness', 'index.js'), true);
    expect(trace.exports).toContain('BiasAccumulator');
    expect(trace.exports).toContain('postTrainingMetrics');
    expect(trace.files.some((f) => f.endsWith('lib/fairness/metrics.js'))).toBe(true);
    expect(
      trace.files.filter((f) =>
        /^node_modules\/(aws-cdk-lib|constructs|cdk-nag)\/|^\.tmp\/[^/]+\/constructs\//.test(f),
      ),
    ).toEqual([]);
  });

  it('bundles a bias check without aws-cdk-lib, and the bundle computes DPPL', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((f) => f.endsWith('lib/fairness/analysis.js'))).toBe(true);
    expect(inputs.filter((f) => /node_modules\/(aws-cdk-lib|constructs|cdk-nag)\//.test(f))).toEqual([]);
    // Facet d = f: q'd = 1/2; facet a = m: q'a = 1; DPPL = q'a − q'd.
    const out = JSON.parse(execFileSync(process.execPath, [bundle], { encoding: 'utf8' }));
    expect(out).toEqual({ metric: 'DPPL', value: 0.5, crossed: false });
  });

  it('exports what the CLI and the monitor use', () => {
    expect(typeof fairness.analyzeBias).toBe('function');
    expect(typeof fairness.crossesThreshold).toBe('function');
    expect(fairness.metricInfo('DI').threshold).toBe('ratio');
  });
});
