// Preloaded (`node --import`) by test/cli/lazy-start.test.ts: any require of aws-cdk-lib, cdk-nag
// or an AWS SDK client throws, so a CLI path that loads them fails loudly instead of just slowly.
import Module from 'node:module';

const HEAVY = /^(aws-cdk-lib|cdk-nag|@aws-sdk\/)/;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (HEAVY.test(request)) throw new Error(`refused heavy module ${request}`);
  return resolve.call(this, request, ...rest);
};
