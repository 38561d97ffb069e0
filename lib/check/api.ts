// The `compliant-mlops/check` entry: the checker behind `compliant-mlops check`, and the report
// model and writers it shares with `audit`. It is its own entry, not part of the root, because it
// loads CfnInclude, every pack's rule catalog and the worker pool: an app that only composes
// constructs should not pay for that at `require` time.
export { checkPaths, exitCodeOf } from './check';
export type { CheckOptions, FailOn } from './check';
export { checkPathsInParallel } from './parallel';
export type { HeapSample, ParallelCheckOptions, RecycleOptions } from './parallel';
export { loadAcknowledgmentsFile } from './acknowledgments';
export * from '../report';
