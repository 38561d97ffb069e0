// One synthesis in a fresh process, timed from app construction to the written assembly.
// Usage: tsx bench/synth-child.ts <empty|reference|reference-nopacks|models:N> <outdir>
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { readFileSync, statSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG } from '../examples/reference-app/config';
import { buildPlatform } from '../examples/reference-app/platform-app';

const [variant, outdir] = process.argv.slice(2);
const root = path.join(__dirname, '..');
const context = {
  ...JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')).context,
  ...JSON.parse(readFileSync(path.join(root, 'cdk.context.json'), 'utf8')),
};
const heapBefore = process.memoryUsage().heapUsed;
const start = process.hrtime.bigint();
const app = new App({ outdir, context });
if (variant === 'empty') {
  // The floor: one stack with one resource (the validator rejects a template without resources).
  const stack = new Stack(app, 'Empty', {
    env: { account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.region },
  });
  new CfnWaitConditionHandle(stack, 'Placeholder');
} else {
  const models = variant.startsWith('models:') ? Number(variant.split(':')[1]) : undefined;
  buildPlatform(app, DEFAULT_CONFIG, { servedModels: models, packs: variant !== 'reference-nopacks' });
}
app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
let largestResources = 0;
let largestBytes = 0;
for (const f of readdirSync(outdir).filter((n) => n.endsWith('.template.json'))) {
  const bytes = statSync(path.join(outdir, f)).size;
  const resources = Object.keys(
    JSON.parse(readFileSync(path.join(outdir, f), 'utf8')).Resources ?? {},
  ).length;
  largestResources = Math.max(largestResources, resources);
  largestBytes = Math.max(largestBytes, bytes);
}
process.stdout.write(
  JSON.stringify({
    ms,
    heapMB: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20,
    largestResources,
    largestBytes,
  }),
);
