import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

// A V8 code cache for the compiled CLI (issue 15, start-up): Node 20 compiles each CommonJS module
// from source on every run (~230 ms of a one-resource check for ~800 modules, 7 MB) and has no
// `module.enableCompileCache` (22.1+). Each module is compiled as a `vm.Script` fed the cached
// data of an earlier run; at exit, `createCachedData()` of the scripts that had none is written.
// Created after execution, the data also holds the functions V8 compiled lazily during the run,
// which compile-time caches (v8-compile-cache) miss.

/** The environment variable naming the cache directory, or `off`/`0` to disable the cache. */
export const COMPILE_CACHE_ENV = 'COMPLIANT_MLOPS_COMPILE_CACHE';

/** When set (to anything but `0`), one line of {@link CompileCacheStats} is written to stderr at exit. */
export const COMPILE_CACHE_DEBUG_ENV = 'COMPLIANT_MLOPS_COMPILE_CACHE_DEBUG';

/** Options of {@link enableCompileCache}. */
export interface CompileCacheOptions {
  /**
   * The environment read for {@link COMPILE_CACHE_ENV}, `XDG_CACHE_HOME` and {@link COMPILE_CACHE_DEBUG_ENV}.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The cache file to use instead of the one chosen from the environment (a worker thread gets
   * its main thread's).
   * @default - `v1-<node version>-<arch>.bin` in the directory the environment names
   */
  readonly file?: string;
  /**
   * Read the cache but never write it. Worker threads are always read-only: only the main thread writes.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** What {@link enableCompileCache} did: the cache file it uses, or why it runs without one. */
export type CompileCacheResult =
  | { readonly enabled: true; readonly file: string; readonly readOnly: boolean }
  | { readonly enabled: false; readonly reason: string };

/** Counts of this thread's module compilations since the cache was enabled. */
export interface CompileCacheStats {
  /** Modules compiled from cached data V8 accepted. */
  readonly hits: number;
  /** Modules compiled from source: no entry, or one for another version of the file. */
  readonly misses: number;
  /** Modules whose cached data V8 rejected (another V8 or flag set); also counted in `misses`. */
  readonly rejected: number;
  /** Modules compiled the normal way: not `.js`/`.cjs`, or containing a dynamic `import(`. */
  readonly skipped: number;
  /** Entries written at exit (0 until then, and when nothing new was compiled). */
  readonly written: number;
}

/** Cached data bigger than this in total is not written (least recently used entries go first). */
const MAX_BYTES = 64 * 1024 * 1024;
const MAGIC = 'CMCC';
const FORMAT = 1;
// A script compiled from cached data loses its dynamic import callback, and
// `USE_MAIN_CONTEXT_DEFAULT_LOADER` prints an ExperimentalWarning: such files compile the normal way.
const DYNAMIC_IMPORT = /\bimport\s*\(/;

interface Entry {
  readonly hash: string;
  readonly data: Buffer;
}

/** Node's module internals the hook needs (not in @types/node). */
interface ModuleInternals {
  _compile(this: NodeJS.Module, content: string, filename: string): unknown;
}
interface ModuleStatics {
  readonly prototype: ModuleInternals;
  _resolveFilename(request: string, parent: NodeJS.Module, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: NodeJS.Module): string[] | null;
  readonly _extensions: NodeJS.RequireExtensions;
  readonly _cache: NodeJS.Dict<NodeJS.Module>;
}

const stats = { hits: 0, misses: 0, rejected: 0, skipped: 0, written: 0 };
let enabled: { readonly file: string; readonly readOnly: boolean } | undefined;

/** This thread's counts (tests and the debug line read them). */
export function compileCacheStats(): CompileCacheStats {
  return { ...stats };
}

/** The cache file this thread reads, when {@link enableCompileCache} enabled it. */
export function compileCacheFile(): string | undefined {
  return enabled?.file;
}

/**
 * Compiles the CommonJS `.js` modules loaded after this call with a V8 code cache, so a second
 * run of the CLI skips most of V8's compilation. Only the CLI entry calls it (library users are
 * never hooked), and only compiled JavaScript is hooked: from the TypeScript sources (tsx,
 * vitest) it does nothing.
 *
 * The cache is executable input, so a directory or file is used only when it is a real one (no
 * symlink), owned by the current user and writable by no one else; otherwise the run has no
 * cache. No cache error ever fails a run or prints anything.
 */
export function enableCompileCache(options: CompileCacheOptions = {}): CompileCacheResult {
  const env = options.env ?? process.env;
  const result = enable(options, env);
  if (!result.enabled && debugging(env))
    process.stderr.write(`compliant-mlops: compile cache off: ${result.reason}\n`);
  return result;
}

function debugging(env: Readonly<Record<string, string | undefined>>): boolean {
  const debug = env[COMPILE_CACHE_DEBUG_ENV];
  return debug !== undefined && debug !== '' && debug !== '0';
}

function enable(
  options: CompileCacheOptions,
  env: Readonly<Record<string, string | undefined>>,
): CompileCacheResult {
  if (enabled) return { enabled: true, ...enabled };
  if (__filename.endsWith('.ts')) return { enabled: false, reason: 'running from TypeScript sources' };
  let file = options.file;
  if (file === undefined) {
    const dir = cacheDir(env);
    if (dir === undefined) return { enabled: false, reason: `${COMPILE_CACHE_ENV} is off` };
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
      return { enabled: false, reason: `cannot create ${dir}` };
    }
    file = path.join(dir, `v${FORMAT}-${process.version}-${process.arch}.bin`);
  }
  const dir = path.dirname(file);
  let dirStat: fs.Stats;
  try {
    dirStat = fs.lstatSync(dir);
  } catch {
    return { enabled: false, reason: `cannot read ${dir}` };
  }
  if (!dirStat.isDirectory() || !trusted(dirStat))
    return { enabled: false, reason: `${dir} is not a directory of the current user that only it can write` };
  const readOnly = options.readOnly === true || !isMainThread;
  const store = readStore(file);
  install(store, file, readOnly, env);
  enabled = { file, readOnly };
  return { enabled: true, file, readOnly };
}

function cacheDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = env[COMPILE_CACHE_ENV];
  if (value === 'off' || value === '0') return undefined;
  if (value !== undefined && value !== '') return path.resolve(value);
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache');
  return path.join(base, 'compliant-mlops');
}

/** Owned by the current user (where the platform has uids) and not group- or world-writable. */
function trusted(stat: fs.Stats): boolean {
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return false;
  return (stat.mode & 0o022) === 0;
}

/** The entries of the cache file, or none when it is missing, untrusted or malformed. */
function readStore(file: string): Map<string, Entry> {
  const store = new Map<string, Entry>();
  let buffer: Buffer;
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    try {
      // fstat of the opened file: what is checked is what is read.
      const stat = fs.fstatSync(fd);
      if (!stat.isFile() || !trusted(stat)) return store;
      buffer = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return store;
  }
  try {
    if (buffer.toString('latin1', 0, 4) !== MAGIC) return store;
    const indexLength = buffer.readUInt32LE(4);
    const index: unknown = JSON.parse(buffer.toString('utf8', 8, 8 + indexLength));
    if (!Array.isArray(index)) return store;
    let offset = 8 + indexLength;
    for (const item of index as unknown[]) {
      if (!Array.isArray(item) || item.length !== 3) return new Map();
      const [filename, hash, length] = item as unknown[];
      if (typeof filename !== 'string' || typeof hash !== 'string' || !Number.isInteger(length))
        return new Map();
      const end = offset + (length as number);
      if (end > buffer.length) return new Map();
      store.set(filename, { hash, data: buffer.subarray(offset, end) });
      offset = end;
    }
    return offset === buffer.length ? store : new Map();
  } catch {
    return new Map();
  }
}

function install(
  store: Map<string, Entry>,
  file: string,
  readOnly: boolean,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const statics = Module as unknown as ModuleStatics;
  const original = statics.prototype._compile;
  const fresh: { filename: string; hash: string; script: vm.Script }[] = [];
  const used = new Set<string>();
  const mainModule = require.main;

  statics.prototype._compile = function compileWithCache(this: NodeJS.Module, content, filename) {
    if (!(filename.endsWith('.js') || filename.endsWith('.cjs')) || DYNAMIC_IMPORT.test(content)) {
      stats.skipped++;
      return original.call(this, content, filename);
    }
    const hash = createHash('sha256').update(content).digest('base64');
    const entry = store.get(filename);
    const cachedData = entry?.hash === hash ? entry.data : undefined;
    let script: vm.Script;
    try {
      script = new vm.Script(Module.wrap(withoutShebang(content)), { filename, cachedData });
    } catch {
      // A syntax error: Node compiles it again and reports it its own way.
      return original.call(this, content, filename);
    }
    if (cachedData !== undefined && !script.cachedDataRejected) {
      stats.hits++;
      used.add(filename);
    } else {
      stats.misses++;
      if (cachedData !== undefined) stats.rejected++;
      fresh.push({ filename, hash, script });
    }
    const compiled = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const dirname = path.dirname(filename);
    return compiled.call(
      this.exports,
      this.exports,
      requireOf(this, statics, mainModule),
      this,
      filename,
      dirname,
    );
  };

  process.on('exit', () => {
    if (!readOnly && fresh.length > 0) {
      try {
        stats.written = writeStore(file, store, fresh, used);
      } catch {
        // Never let the cache fail a run: it just has no cache next time either.
      }
    }
    if (debugging(env)) {
      const s = stats;
      process.stderr.write(
        `compliant-mlops: compile cache ${file}: hits ${s.hits}, misses ${s.misses}, rejected ${s.rejected}, skipped ${s.skipped}, written ${s.written}${readOnly ? ' (read-only)' : ''}\n`,
      );
    }
  });
}

/** The `require` Node gives a module: bound to it, with `resolve`, `resolve.paths`, `main`, `extensions`, `cache`. */
function requireOf(
  mod: NodeJS.Module,
  statics: ModuleStatics,
  main: NodeJS.Module | undefined,
): NodeJS.Require {
  const resolve = ((request: string, options?: unknown) =>
    statics._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => statics._resolveLookupPaths(request, mod);
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  req.resolve = resolve;
  req.main = main;
  req.extensions = statics._extensions;
  req.cache = statics._cache;
  return req;
}

/** The source without a `#!` line (the wrapper puts code before it); line numbers stay. */
function withoutShebang(content: string): string {
  if (!content.startsWith('#!')) return content;
  const end = content.search(/[\r\n]/);
  return end === -1 ? '' : content.slice(end);
}

/**
 * Writes the cache file: this run's new entries, the entries it used, then the others whose file
 * still exists, up to {@link MAX_BYTES}; to a temporary file in the same directory, renamed over
 * the old one, so a reader sees the old file or the new one, never half of one.
 * @returns the number of new entries written
 */
function writeStore(
  file: string,
  store: ReadonlyMap<string, Entry>,
  fresh: readonly { filename: string; hash: string; script: vm.Script }[],
  used: ReadonlySet<string>,
): number {
  const entries = new Map<string, Entry>();
  let written = 0;
  let bytes = 0;
  const add = (filename: string, entry: Entry): void => {
    if (entries.has(filename) || bytes + entry.data.length > MAX_BYTES) return;
    entries.set(filename, entry);
    bytes += entry.data.length;
  };
  for (const { filename, hash, script } of fresh) {
    const before = entries.size;
    add(filename, { hash, data: script.createCachedData() });
    if (entries.size > before) written++;
  }
  for (const filename of used) {
    const entry = store.get(filename);
    if (entry) add(filename, entry);
  }
  for (const [filename, entry] of store)
    if (!entries.has(filename) && fs.existsSync(filename)) add(filename, entry);

  const index = Buffer.from(JSON.stringify([...entries].map(([f, e]) => [f, e.hash, e.data.length])), 'utf8');
  const header = Buffer.alloc(8);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(index.length, 4);
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    fs.writeFileSync(temp, Buffer.concat([header, index, ...[...entries.values()].map((e) => e.data)]), {
      mode: 0o600,
      flag: 'wx',
    });
    fs.renameSync(temp, file);
  } catch (e) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // nothing was written
    }
    throw e;
  }
  return written;
}
