import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * Transpiles `constructs/` and `lib/` file by file (no bundling) into `.tmp/<name>/`, a tree shaped
 * like `dist/`, so a spawned node process loads each of our modules as its own file and
 * `require.cache` shows which of them an entry pulls in, from the current sources rather than a
 * possibly stale `dist/`. The tree sits in the repository, so packages resolve to its node_modules.
 */
export async function transpileSources(name: string): Promise<string> {
  return transpile(name, ['constructs', 'lib']);
}

/** Transpiles the `.ts` sources of `dirs` (file by file, no bundling) into `.tmp/<name>`. */
async function transpile(name: string, dirs: readonly string[]): Promise<string> {
  const out = path.join(ROOT, '.tmp', name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: dirs.flatMap((d) => sources(path.join(ROOT, d))),
    outdir: out,
    outbase: ROOT,
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return out;
}

/** What a fresh node process loaded when it required one file. */
export interface LoadTrace {
  /** `require.cache` keys, relative to the repository with `/` separators. */
  readonly files: readonly string[];
  /** Node's built-in modules it loaded (`worker_threads`, `fs`...). */
  readonly builtins: readonly string[];
  /** The module's export names. */
  readonly exports: readonly string[];
}

/**
 * Requires `file` in a fresh node process and reports what it loaded.
 * @param touch when true, reads every export first (what loading on first use ends up loading)
 */
export function traceRequire(file: string, touch = false): LoadTrace {
  const script = `
    const m = require(${JSON.stringify(file)});
    const exports = Object.keys(m);
    if (${touch}) for (const name of exports) void m[name];
    const files = Object.keys(require.cache);
    const builtins = process.moduleLoadList
      .filter((m) => m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/'))
      .map((m) => m.slice('NativeModule '.length));
    process.stdout.write(JSON.stringify({ files, builtins, exports }));
  `;
  const raw = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  const trace = JSON.parse(raw) as LoadTrace;
  return {
    files: trace.files.map((f) => path.relative(ROOT, f).split(path.sep).join('/')),
    builtins: trace.builtins,
    exports: trace.exports,
  };
}

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full, ext) : e.name.endsWith(ext) ? [full] : [];
  });
}

/**
 * Transpiles `bin/`, `constructs/` and `lib/` into `.tmp/<name>/` as the bench's CLI build does,
 * with the JSON tables `lib/` reads at run time and the package.json `--version` reads: the
 * compiled CLI (`<dir>/bin/cli.js`), which is what the compile cache hooks.
 * @returns the CLI entry
 */
export async function transpileCli(name: string): Promise<string> {
  const out = await transpile(name, ['bin', 'constructs', 'lib']);
  for (const file of files(path.join(ROOT, 'lib'), '.json')) {
    const target = path.join(out, path.relative(ROOT, file));
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  copyFileSync(path.join(ROOT, 'package.json'), path.join(out, 'package.json'));
  return path.join(out, 'bin', 'cli.js');
}
