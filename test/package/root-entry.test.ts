import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoadTrace, traceRequire, transpileSources } from './transpile';

// Issue 14: `require('compliant-mlops')` took ~0.7 s because the root entry pulled in the checker
// (CfnInclude, every pack's catalog, the worker pool). Constructs users never run the checker, so
// the root must not load it: the checker API lives in `compliant-mlops/check`.
describe('the root entry loads no checker', () => {
  let trace: LoadTrace;
  beforeAll(async () => {
    const out = await transpileSources('root-entry');
    trace = traceRequire(path.join(out, 'constructs', 'index.js'));
  });

  it('loads the constructs (the trace is real)', () => {
    expect(trace.files).toContain('.tmp/root-entry/constructs/feature-store/secure-feature-group.js');
    expect(trace.files.some((f) => f.startsWith('node_modules/aws-cdk-lib/'))).toBe(true);
  });

  it('does not load aws-cdk-lib/cloudformation-include', () => {
    expect(
      trace.files.filter((f) => f.startsWith('node_modules/aws-cdk-lib/cloudformation-include/')),
    ).toEqual([]);
  });

  it('does not load the checker modules', () => {
    expect(trace.files.filter((f) => f.startsWith('.tmp/root-entry/lib/check/'))).toEqual([]);
  });

  it('does not load worker_threads', () => {
    expect(trace.builtins).not.toContain('worker_threads');
  });
});
