#!/usr/bin/env node
import { enableCompileCache } from '../lib/shared/compile-cache';

// First, before the CLI's modules load: they compile from the V8 code cache of earlier runs
// (COMPLIANT_MLOPS_COMPILE_CACHE; see lib/shared/compile-cache.ts). A static import of main would
// be required before this line runs.
enableCompileCache();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../lib/cli/main') as typeof import('../lib/cli/main');

void main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
