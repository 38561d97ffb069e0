// Preloaded (`node --import`) by test/cli/lazy-parsers.test.ts: any require whose request matches
// the REFUSE_MODULES regex throws, so a path that loads such a module fails loudly, not slowly.
import Module from 'node:module';

const REFUSED = new RegExp(process.env.REFUSE_MODULES ?? '(?!)');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (REFUSED.test(request)) throw new Error(`refused module ${request}`);
  return resolve.call(this, request, ...rest);
};
