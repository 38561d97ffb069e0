// What `require('compliant-mlops')` costs a consumer, against what aws-cdk-lib itself costs for the
// same app (issue 14: at most 2x aws-cdk-lib's lazy root plus the constructs actually used). Each
// case runs in a fresh node process and measures, inside it, the CPU time (and the wall time) from
// before the first require to after the last (node's own start-up is the same for every case and
// left out); the cases run round-robin so a busy machine slows them alike; medians of RUNS.
//
//   root:  require('compliant-mlops')                 vs  require('aws-cdk-lib'), require('constructs')
//   used:  the same, then reading the names app.ts    vs  every aws-cdk-lib, constructs and cdk-nag
//          uses (each loads its construct module and       module that `used` loaded (found by a trace),
//          what that imports)                             required file by file
//
// So `used` divides our whole cost by the aws-cdk-lib and cdk-nag cost of the very same constructs:
// what is left above 1x is our own modules and zod, our one runtime dependency on this path. Fails
// when either CPU-time ratio exceeds MAX_RATIO.
//
// usage (in the consumer app, with the tarball installed): node require-time.cjs [runs]
const { execFileSync } = require('node:child_process');

const RUNS = Number(process.argv[2] ?? 7);
const MAX_RATIO = 2;
// What app.ts (the README's app) takes from the root entry.
const USED = [
  'AlertTopic',
  'createPacks',
  'EncryptionKeys',
  'InferenceNetwork',
  'PLATFORM_PACKS',
  'RequiredTags',
  'TieredDatasetBucket',
];

/** Runs `body` in a fresh node process; returns the ms it took and the modules it left loaded. */
function run(body) {
  const script = `
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    ${body}
    const { user, system } = process.cpuUsage(c);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    process.stdout.write(JSON.stringify({ ms, cpu: (user + system) / 1000, files: Object.keys(require.cache) }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const ours = `const m = require('compliant-mlops');`;
const touch = `for (const n of ${JSON.stringify(USED)}) if (m[n] === undefined) throw new Error(n);`;
const cdkRoot = `require('aws-cdk-lib'); require('constructs');`;

// aws-cdk-lib's service entries are lazy too (`require('aws-cdk-lib/aws-s3')` loads almost nothing
// until `s3.Bucket` is read), so the baseline loads, file by file, exactly the aws-cdk-lib,
// constructs and cdk-nag modules (and their dependencies) that the used constructs loaded: what an
// app writing the same resources with aws-cdk-lib and cdk-nag directly would load at the least.
const trace = run(ours + touch).files;
// Ours: the package and its own runtime dependencies (zod is the one this path loads).
const ourPackages = ['compliant-mlops', ...Object.keys(require('compliant-mlops/package.json').dependencies)];
const packageOf = (f) => /node_modules[\\/]((@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(f)?.[1]?.replace(/\\/g, '/');
const ourFile = (f) => ourPackages.includes(packageOf(f));
if (
  !trace.some((f) =>
    /compliant-mlops[\\/]dist[\\/]constructs[\\/]storage[\\/]tiered-dataset-bucket\.js$/.test(f),
  )
)
  throw new Error('the trace of `used` did not load TieredDatasetBucket: is it measuring our package?');
const theirs = trace.filter((f) => !ourFile(f));
const packages = new Set(theirs.map(packageOf).filter(Boolean));
const cdkUsed = `for (const f of ${JSON.stringify(theirs)}) require(f);`;

const cases = {
  'ours root': ours,
  'aws-cdk-lib root': cdkRoot,
  'ours used': ours + touch,
  'aws-cdk-lib used': cdkUsed,
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) for (const [k, body] of Object.entries(cases)) samples[k].push(run(body));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const med = (k, what) => median(samples[k].map((s) => s[what]));
const ratio = (a, b, what) => med(a, what) / med(b, what);
// Judged on CPU time: on a shared machine wall time also counts the waits for a core, which
// swing the ratio by a third from run to run; CPU time is the work the requires do.
const ratios = {
  root: ratio('ours root', 'aws-cdk-lib root', 'cpu'),
  used: ratio('ours used', 'aws-cdk-lib used', 'cpu'),
};

console.log(`require cost, medians of ${RUNS} fresh processes (used: ${USED.join(', ')};`);
console.log(
  `the baseline loads the same ${theirs.length} modules of ${[...packages].sort().join(', ')}; ` +
    `ours adds ${trace.length - theirs.length} of ${[...new Set(trace.filter(ourFile).map(packageOf))].sort().join(', ')})`,
);
console.log(`  ${'case'.padEnd(17)} ${'cpu ms'.padStart(8)} ${'wall ms'.padStart(8)}`);
for (const k of Object.keys(cases))
  console.log(
    `  ${k.padEnd(17)} ${med(k, 'cpu').toFixed(1).padStart(8)} ${med(k, 'ms').toFixed(1).padStart(8)}`,
  );
console.log(
  `  ratio (cpu) root ${ratios.root.toFixed(2)}x, used ${ratios.used.toFixed(2)}x (budget <= ${MAX_RATIO}x); ` +
    `wall: root ${ratio('ours root', 'aws-cdk-lib root', 'ms').toFixed(2)}x, used ${ratio('ours used', 'aws-cdk-lib used', 'ms').toFixed(2)}x`,
);
const over = Object.entries(ratios).filter(([, r]) => r > MAX_RATIO);
if (over.length > 0) {
  console.error(
    `require('compliant-mlops') costs more than ${MAX_RATIO}x aws-cdk-lib: ${over.map(([k, r]) => `${k} ${r.toFixed(2)}x`).join(', ')}`,
  );
  process.exit(1);
}
