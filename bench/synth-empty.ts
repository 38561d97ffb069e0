// The truly empty synth floor: a fresh process that loads only aws-cdk-lib (no compliant-mlops
// module, not even cloudformation-include) and synthesizes one stack with one resource (the
// validator rejects a template without resources), with the same context as cdk.json (the built-in
// validator on). The parent measures the process wall time.
// Usage: tsx bench/synth-empty.ts <outdir>
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const [outdir] = process.argv.slice(2);
const root = path.join(__dirname, '..');
const context = {
  ...JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')).context,
  ...JSON.parse(readFileSync(path.join(root, 'cdk.context.json'), 'utf8')),
};
const start = process.hrtime.bigint();
const app = new App({ outdir, context });
// The reference config's account and region, written out so nothing of ours loads.
const stack = new Stack(app, 'Empty', { env: { account: '123456789012', region: 'eu-west-1' } });
new CfnWaitConditionHandle(stack, 'Placeholder');
app.synth();
process.stdout.write(JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6 }));
