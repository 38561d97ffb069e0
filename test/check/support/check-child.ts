// A fresh process that checks paths and reports its findings and the aws-cdk-lib service modules
// it evaluated. `--preload` first evaluates every aws-cdk-lib submodule the packs require, so
// nothing is left to defer: the run checks exactly as it did before deferral existed.
import { join } from 'node:path';
import { checkPaths } from '../../../lib/check/check';

const args = process.argv.slice(2);
const preload = args.includes('--preload');
const paths = args.filter((a) => !a.startsWith('--'));
const root = join(require.resolve('aws-cdk-lib/package.json'), '..');
const libIndex = /[\\/]node_modules[\\/]aws-cdk-lib[\\/]([^\\/]+)[\\/]lib[\\/]index\.js$/;
if (preload) {
  for (const file of Object.keys(require.cache)) {
    const m = /[\\/]node_modules[\\/]aws-cdk-lib[\\/]([^\\/]+)[\\/]index\.js$/.exec(file);
    if (!m || !file.startsWith(root)) continue;
    const exports = require.cache[file]?.exports as Record<string, unknown>;
    for (const key of Object.keys(exports)) if (key.startsWith('Cfn')) void exports[key];
  }
}
const report = checkPaths(paths, { cwd: process.cwd(), today: '2026-06-01' });
const evaluated = Object.keys(require.cache)
  .map((f) => libIndex.exec(f)?.[1])
  .filter((m): m is string => m !== undefined)
  .sort();
const secretScanner = Object.keys(require.cache).some((f) => f.includes('secretlint-rule-preset-recommend'));
process.stdout.write(
  JSON.stringify({ findings: report.findings, errors: report.errors, evaluated, secretScanner }),
);
