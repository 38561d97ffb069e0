import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoadTrace, ROOT, traceRequire, transpileSources } from './transpile';

const CHECKER = '.tmp/root-entry/lib/check/';
const OURS = '.tmp/root-entry/';

function checkerParts(trace: LoadTrace): string[] {
  return [
    ...trace.files.filter((f) => f.startsWith('node_modules/aws-cdk-lib/cloudformation-include/')),
    ...trace.files.filter((f) => f.startsWith(CHECKER)),
    ...trace.builtins.filter((b) => b === 'worker_threads'),
  ];
}

// Issue 14: `require('compliant-mlops')` took ~0.7 s CPU because the root entry pulled in the
// checker (CfnInclude, every pack's catalog, the worker pool) and every construct module with the
// aws-cdk-lib service modules and cdk-nag behind them. The checker API lives in
// `compliant-mlops/check`; the built root (scripts/lazy-root.mjs) loads each module on first use.
describe('the root entry', () => {
  let eager: LoadTrace;
  let lazy: LoadTrace;
  let used: LoadTrace;
  let index: string;
  beforeAll(async () => {
    const out = await transpileSources('root-entry');
    index = path.join(out, 'constructs', 'index.js');
    eager = traceRequire(index);
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'lazy-root.mjs'), out, '--quiet']);
    lazy = traceRequire(index);
    used = traceRequire(index, true);
  });

  it('as compiled, loads the constructs (the trace is real) but not the checker', () => {
    expect(eager.files).toContain(`${OURS}constructs/feature-store/secure-feature-group.js`);
    expect(eager.files.some((f) => f.startsWith('node_modules/aws-cdk-lib/'))).toBe(true);
    expect(checkerParts(eager)).toEqual([]);
  });

  it('as built, loads nothing but itself until a name is used', () => {
    expect(lazy.files).toEqual([`${OURS}constructs/index.js`]);
  });

  it('as built, exports exactly the names of constructs/index.ts', () => {
    expect([...lazy.exports].sort()).toEqual([...eager.exports].sort());
    expect(lazy.exports).toContain('SecureFeatureGroup');
  });

  it('with every export used, still loads no checker, CfnInclude or worker_threads', () => {
    expect(used.files).toContain(`${OURS}constructs/feature-store/secure-feature-group.js`);
    expect(checkerParts(used)).toEqual([]);
  });

  it('as built, still gives ES modules named imports (Node reads them from the CommonJS lexer hint)', () => {
    const script = `import { SecureFeatureGroup, FeatureContract, createPacks } from ${JSON.stringify(index)};
      process.stdout.write([SecureFeatureGroup, FeatureContract, createPacks].map((x) => typeof x).join());`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out).toBe('function,function,function');
  });
});
