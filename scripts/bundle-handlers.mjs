// Bundles every Lambda handler in lib/handlers/<name>/index.ts into assets/handlers/<name>/index.js
// at build time, so that consumers' synth never runs a bundler. Prints each bundle's size.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const runtime = join(root, 'lib', 'handlers');
const out = join(root, 'assets', 'handlers');
const quiet = process.argv.includes('--quiet');
const handlers = readdirSync(runtime).filter((n) => existsSync(join(runtime, n, 'index.ts')));
const sizes = {};
for (const name of handlers) {
  const outfile = join(out, name, 'index.js');
  mkdirSync(join(out, name), { recursive: true });
  await build({
    entryPoints: [join(runtime, name, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  sizes[name] = statSync(outfile).size;
  if (!quiet) console.log(`bundle ${name}: ${(sizes[name] / 1024).toFixed(1)} KiB`);
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'sizes.json'), JSON.stringify(sizes, null, 2));
