import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  COMPILE_CACHE_DEBUG_ENV,
  COMPILE_CACHE_ENV,
  compileCacheStats,
  enableCompileCache,
} from '../../lib/shared/compile-cache';
import { ROOT } from '../package/transpile';

// The cache only hooks compiled JavaScript, so these tests run it compiled: the module alone
// (esbuild) in a fresh node process over small fixture modules.

const CACHE_FILE = `v1-${process.version}-${process.arch}.bin`;
const DEBUG_LINE =
  /^compliant-mlops: compile cache (\S+): hits (\d+), misses (\d+), rejected (\d+), skipped (\d+), written (\d+)/m;

let work: string;
let compiled: string;
let driver: string;
let fixtures: string;

interface Stats {
  readonly hits: number;
  readonly misses: number;
  readonly rejected: number;
  readonly skipped: number;
  readonly written: number;
}

interface DriverOutput {
  readonly result: { enabled: boolean; file?: string; reason?: string };
  readonly values: unknown[];
  readonly stats: Stats;
}

/** Runs the driver: enables the cache from `env`, requires each module, prints what it got. */
function run(env: Record<string, string>, ...modules: string[]) {
  const r = spawnSync(process.execPath, [driver, ...modules.map((m) => path.join(fixtures, m))], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: path.join(work, 'home'), ...env },
  });
  if (r.status !== 0) throw new Error(`driver exited ${r.status}: ${r.stderr}`);
  return { ...(JSON.parse(r.stdout) as DriverOutput), stderr: r.stderr };
}

function fresh(name: string): string {
  return mkdtempSync(path.join(work, `${name}-`));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'compile-cache-'));
  compiled = path.join(work, 'compile-cache.js');
  await build({
    entryPoints: [path.join(ROOT, 'lib', 'shared', 'compile-cache.ts')],
    outfile: compiled,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  driver = path.join(work, 'driver.js');
  writeFileSync(
    driver,
    `const cc = require(${JSON.stringify(compiled)});
const result = cc.enableCompileCache();
// Another loader's files (as tsx's .ts) reach Module.prototype._compile too.
require.extensions['.mod'] = (module, filename) => module._compile(require('node:fs').readFileSync(filename, 'utf8'), filename);
(async () => {
  const values = [];
  for (const m of process.argv.slice(2)) {
    const mod = require(m);
    values.push(typeof mod.value === 'function' ? await mod.value() : mod.value);
  }
  process.on('exit', () => process.stdout.write(JSON.stringify({ result, values, stats: cc.compileCacheStats() })));
})();
`,
  );
  fixtures = path.join(work, 'fixtures');
  mkdirSync(fixtures);
  writeFileSync(path.join(fixtures, 'a.js'), `exports.value = 'a' + require('./b').value;\n`);
  writeFileSync(path.join(fixtures, 'b.js'), `exports.value = 'b';\n`);
  writeFileSync(
    path.join(fixtures, 'shebang.cjs'),
    `#!/usr/bin/env node\nexports.value = new Error().stack.split('\\n')[1].trim();\n`,
  );
  writeFileSync(
    path.join(fixtures, 'dynamic.js'),
    `exports.value = async () => (await import('node:path')).sep;\n`,
  );
  writeFileSync(path.join(fixtures, 'other.mod'), `exports.value = 'other';\n`);
  mkdirSync(path.join(fixtures, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(path.join(fixtures, 'node_modules', 'dep', 'index.js'), `exports.x = 1;\n`);
  // What a module sees of its `require`, `module` and wrapper arguments.
  writeFileSync(
    path.join(fixtures, 'introspect.js'),
    `const Module = require('node:module');
require('./b');
exports.value = {
  resolve: require.resolve('dep'),
  resolveRelative: require.resolve('./b'),
  paths: require.resolve.paths('dep'),
  main: require.main === process.mainModule,
  extensions: require.extensions === Module._extensions,
  cache: require.cache === Module._cache,
  cached: Object.keys(require.cache).includes(require.resolve('./b')),
  children: module.children.map((c) => c.id),
  parentLoaded: module.parent !== undefined,
  thisIsExports: this === module.exports,
  filename: __filename,
  dirname: __dirname,
  dep: require('dep').x,
};
`,
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('compile cache (compiled module)', () => {
  test('the second run compiles from the cache and gets the same values', () => {
    const dir = fresh('warm');
    const first = run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    expect(first.result).toEqual({ enabled: true, file: path.join(dir, CACHE_FILE), readOnly: false });
    expect(first.stats).toEqual({ hits: 0, misses: 2, rejected: 0, skipped: 0, written: 2 });
    const second = run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    expect(second.stats).toEqual({ hits: 2, misses: 0, rejected: 0, skipped: 0, written: 0 });
    expect(second.values).toEqual(first.values);
    expect(second.values).toEqual(['ab']);
    expect(first.stderr + second.stderr).toBe('');
    const stat = statSync(path.join(dir, CACHE_FILE));
    expect(stat.mode & 0o777).toBe(0o600);
    // The temporary file was renamed, not left behind.
    expect(readdirSync(dir)).toEqual([CACHE_FILE]);
  });

  test('a module sees the same require, module and wrapper arguments as without the cache', () => {
    const dir = fresh('introspect');
    const off = run({ [COMPILE_CACHE_ENV]: 'off' }, 'introspect.js');
    const cold = run({ [COMPILE_CACHE_ENV]: dir }, 'introspect.js');
    const warm = run({ [COMPILE_CACHE_ENV]: dir }, 'introspect.js');
    expect(cold.stats.misses).toBe(3);
    expect(warm.stats.hits).toBe(3);
    expect(cold.values).toEqual(off.values);
    expect(warm.values).toEqual(off.values);
    expect(off.values[0]).toMatchObject({
      main: true,
      extensions: true,
      cache: true,
      cached: true,
      thisIsExports: true,
      dep: 1,
    });
  });

  test('a shebang line is dropped without moving the lines after it', () => {
    const dir = fresh('shebang');
    const off = run({ [COMPILE_CACHE_ENV]: 'off' }, 'shebang.cjs');
    const cold = run({ [COMPILE_CACHE_ENV]: dir }, 'shebang.cjs');
    const warm = run({ [COMPILE_CACHE_ENV]: dir }, 'shebang.cjs');
    expect(cold.stats.misses).toBe(1);
    expect(warm.stats.hits).toBe(1);
    expect(String(off.values[0])).toMatch(/shebang\.cjs:2:\d+\)$/);
    expect(cold.values).toEqual(off.values);
    expect(warm.values).toEqual(off.values);
  });

  test('a module with a dynamic import( is compiled the normal way, and its import works on every run', () => {
    const dir = fresh('dynamic');
    const first = run({ [COMPILE_CACHE_ENV]: dir }, 'dynamic.js', 'b.js');
    const second = run({ [COMPILE_CACHE_ENV]: dir }, 'dynamic.js', 'b.js');
    expect(first.values).toEqual([path.sep, 'b']);
    expect(second.values).toEqual([path.sep, 'b']);
    expect(first.stats).toMatchObject({ skipped: 1, misses: 1, written: 1 });
    expect(second.stats).toMatchObject({ skipped: 1, hits: 1, misses: 0 });
    expect(readFileSync(path.join(dir, CACHE_FILE), 'latin1')).not.toContain('dynamic.js');
    expect(first.stderr + second.stderr).toBe('');
  });

  test('only .js and .cjs files are hooked', () => {
    const dir = fresh('other');
    const r = run({ [COMPILE_CACHE_ENV]: dir }, 'other.mod', 'b.js');
    expect(r.values).toEqual(['other', 'b']);
    expect(r.stats).toEqual({ hits: 0, misses: 1, rejected: 0, skipped: 1, written: 1 });
  });

  test('a changed source file is compiled again, never served stale code', () => {
    const dir = fresh('changed');
    const file = path.join(fixtures, 'changing.js');
    writeFileSync(file, `exports.value = 'one';\n`);
    expect(run({ [COMPILE_CACHE_ENV]: dir }, 'changing.js').values).toEqual(['one']);
    expect(run({ [COMPILE_CACHE_ENV]: dir }, 'changing.js').stats.hits).toBe(1);
    // Same length: V8's own check of cached data compares only the source length.
    writeFileSync(file, `exports.value = 'two';\n`);
    const changed = run({ [COMPILE_CACHE_ENV]: dir }, 'changing.js');
    expect(changed.values).toEqual(['two']);
    expect(changed.stats).toMatchObject({ hits: 0, misses: 1, written: 1 });
    expect(run({ [COMPILE_CACHE_ENV]: dir }, 'changing.js')).toMatchObject({
      values: ['two'],
      stats: { hits: 1 },
    });
  });

  test('entries of files that no longer exist are dropped when the cache is written', () => {
    const dir = fresh('gone');
    const file = path.join(fixtures, 'gone.js');
    writeFileSync(file, `exports.value = 'gone';\n`);
    run({ [COMPILE_CACHE_ENV]: dir }, 'gone.js');
    expect(readFileSync(path.join(dir, CACHE_FILE), 'latin1')).toContain(file);
    rmSync(file);
    run({ [COMPILE_CACHE_ENV]: dir }, 'b.js');
    const text = readFileSync(path.join(dir, CACHE_FILE), 'latin1');
    expect(text).not.toContain(file);
    expect(text).toContain(path.join(fixtures, 'b.js'));
  });

  test.each(['off', '0'])('%s disables the cache: nothing hooked, nothing written', (value) => {
    const xdg = fresh('xdg-off');
    const r = run({ [COMPILE_CACHE_ENV]: value, XDG_CACHE_HOME: xdg }, 'a.js');
    expect(r.result).toEqual({ enabled: false, reason: `${COMPILE_CACHE_ENV} is off` });
    expect(r.stats).toEqual({ hits: 0, misses: 0, rejected: 0, skipped: 0, written: 0 });
    expect(readdirSync(xdg)).toEqual([]);
  });

  test('the default directory is $XDG_CACHE_HOME/compliant-mlops, else ~/.cache/compliant-mlops, mode 0700', () => {
    const xdg = fresh('xdg');
    const r = run({ XDG_CACHE_HOME: xdg }, 'a.js');
    expect(r.result.file).toBe(path.join(xdg, 'compliant-mlops', CACHE_FILE));
    expect(statSync(path.join(xdg, 'compliant-mlops')).mode & 0o777).toBe(0o700);
    const home = run({}, 'a.js');
    expect(home.result.file).toBe(path.join(work, 'home', '.cache', 'compliant-mlops', CACHE_FILE));
    expect(statSync(home.result.file!).isFile()).toBe(true);
  });

  test.each([
    ['group-writable', 0o770],
    ['world-writable', 0o707],
  ])('a %s directory is not used', (_, mode) => {
    const dir = fresh('writable');
    chmodSync(dir, mode);
    const r = run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    expect(r.result.enabled).toBe(false);
    expect(r.stats.misses).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    expect(r.stderr).toBe('');
  });

  // Only root can give a file away.
  const asRoot = process.getuid?.() === 0;
  test.skipIf(!asRoot)('a directory owned by another user is not used', () => {
    const dir = fresh('owner');
    chownSync(dir, 65534, 65534);
    const r = run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    expect(r.result.enabled).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  test.skipIf(!asRoot)('a cache file owned by another user is not read, and is replaced', () => {
    const dir = fresh('file-owner');
    run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    chownSync(path.join(dir, CACHE_FILE), 65534, 65534);
    const r = run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    expect(r.stats).toMatchObject({ hits: 0, misses: 2, written: 2 });
    expect(statSync(path.join(dir, CACHE_FILE)).uid).toBe(0);
  });

  test('a symlinked directory is not used', () => {
    const target = fresh('target');
    const link = path.join(fresh('links'), 'cache');
    symlinkSync(target, link);
    const r = run({ [COMPILE_CACHE_ENV]: link }, 'a.js');
    expect(r.result.enabled).toBe(false);
    expect(readdirSync(target)).toEqual([]);
  });

  test('a symlinked cache file is not read, and is replaced by a real file', () => {
    const good = fresh('good');
    run({ [COMPILE_CACHE_ENV]: good }, 'a.js');
    const dir = fresh('linked-file');
    symlinkSync(path.join(good, CACHE_FILE), path.join(dir, CACHE_FILE));
    const r = run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    expect(r.stats).toMatchObject({ hits: 0, misses: 2, written: 2 });
    expect(lstatSync(path.join(dir, CACHE_FILE)).isFile()).toBe(true);
  });

  test('a group-writable cache file is not read', () => {
    const dir = fresh('file-mode');
    run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    chmodSync(path.join(dir, CACHE_FILE), 0o620);
    expect(run({ [COMPILE_CACHE_ENV]: dir }, 'a.js').stats).toMatchObject({ hits: 0, misses: 2 });
  });

  test.each([
    ['garbage', Buffer.from('not a cache file at all')],
    ['a truncated file', undefined],
    ['an empty file', Buffer.alloc(0)],
  ])('a corrupted cache file (%s) is ignored and replaced', (_, content) => {
    const dir = fresh('corrupt');
    const file = path.join(dir, CACHE_FILE);
    run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    const good = readFileSync(file);
    writeFileSync(file, content ?? good.subarray(0, good.length - 10));
    const r = run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    expect(r.values).toEqual(['ab']);
    expect(r.stats).toMatchObject({ hits: 0, misses: 2, written: 2 });
    expect(r.stderr).toBe('');
    expect(run({ [COMPILE_CACHE_ENV]: dir }, 'a.js').stats).toMatchObject({ hits: 2, misses: 0 });
  });

  test('cached data V8 rejects (another flag set) counts as a miss and is replaced', () => {
    const dir = fresh('flags');
    const file = path.join(dir, CACHE_FILE);
    run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    // The same file read by a process with other V8 flags: V8 rejects the data.
    const r = spawnSync(process.execPath, ['--no-opt', driver, path.join(fixtures, 'a.js')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, [COMPILE_CACHE_ENV]: dir },
    });
    const out = JSON.parse(r.stdout) as DriverOutput;
    expect(out.values).toEqual(['ab']);
    expect(out.stats).toMatchObject({ hits: 0, misses: 2, rejected: 2, written: 2 });
    expect(r.stderr).toBe('');
    expect(statSync(file).isFile()).toBe(true);
  });

  test.each([
    [
      'a path under a regular file (cannot be created)',
      (d: string) => {
        writeFileSync(path.join(d, 'file'), '');
        return path.join(d, 'file', 'cache');
      },
    ],
    [
      'a cache file that is a directory (cannot be replaced)',
      (d: string) => {
        mkdirSync(path.join(d, CACHE_FILE, 'x'), { recursive: true });
        return d;
      },
    ],
    [
      'a read-only directory',
      (d: string) => {
        chmodSync(d, 0o500);
        return d;
      },
    ],
  ])('%s does not fail the run', (_, setup) => {
    const dir = setup(fresh('unwritable'));
    const r = run({ [COMPILE_CACHE_ENV]: dir }, 'a.js');
    expect(r.values).toEqual(['ab']);
    expect(r.stderr).toBe('');
    if (existsSync(dir) && statSync(dir).isDirectory())
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('the debug variable prints the counts at exit, or why the cache is off', () => {
    const dir = fresh('debug');
    const on = run({ [COMPILE_CACHE_ENV]: dir, [COMPILE_CACHE_DEBUG_ENV]: '1' }, 'a.js');
    expect(on.stderr).toMatch(DEBUG_LINE);
    expect(DEBUG_LINE.exec(on.stderr)!.slice(2)).toEqual(['0', '2', '0', '0', '2']);
    const off = run({ [COMPILE_CACHE_ENV]: 'off', [COMPILE_CACHE_DEBUG_ENV]: '1' }, 'a.js');
    expect(off.stderr).toBe(`compliant-mlops: compile cache off: ${COMPILE_CACHE_ENV} is off\n`);
  });
});

describe('compile cache from the TypeScript sources', () => {
  test('under tsx and vitest nothing is hooked and nothing is written', () => {
    const dir = fresh('tsx');
    const before = (Module.prototype as unknown as { _compile: unknown })._compile;
    const result = enableCompileCache({ env: { [COMPILE_CACHE_ENV]: dir } });
    expect(result).toEqual({ enabled: false, reason: 'running from TypeScript sources' });
    expect((Module.prototype as unknown as { _compile: unknown })._compile).toBe(before);
    expect(compileCacheStats()).toEqual({ hits: 0, misses: 0, rejected: 0, skipped: 0, written: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });
});
