// The two synth floors, each one synthesis in a fresh process that loads only aws-cdk-lib (no
// compliant-mlops module), so the parent's process wall time is the honest floor:
// - `empty`: one stack with one resource (the validator rejects a template without resources);
// - `include <cdk.out>`: every stack template of a synthesized reference assembly re-emitted
//   through `cloudformation-include` into a stack of the same name and environment, i.e. the cost
//   of emitting exactly those resources through aws-cdk-lib with nothing of ours on top.
// Both synthesize with the same context as cdk.json (the built-in validator on).
// Usage: tsx bench/synth-floor.ts empty <outdir> | tsx bench/synth-floor.ts include <outdir> <cdk.out>
import { App, CfnWaitConditionHandle, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface StackArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
}

const [variant, outdir, assembly] = process.argv.slice(2);
const root = path.join(__dirname, '..');
const context = {
  ...JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')).context,
  ...JSON.parse(readFileSync(path.join(root, 'cdk.context.json'), 'utf8')),
};
const start = process.hrtime.bigint();
const app = new App({ outdir, context });
if (variant === 'empty') {
  // The same account and region as the reference config, written out so nothing of ours loads.
  const stack = new Stack(app, 'Empty', { env: { account: '123456789012', region: 'eu-west-1' } });
  new CfnWaitConditionHandle(stack, 'Placeholder');
} else if (variant === 'include' && assembly) {
  const manifest = JSON.parse(readFileSync(path.join(assembly, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, StackArtifact>;
  };
  for (const [id, artifact] of Object.entries(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const [account, region] = (artifact.environment ?? 'aws://unknown-account/unknown-region')
      .replace('aws://', '')
      .split('/');
    const stack = new Stack(app, id, {
      stackName: artifact.properties.stackName,
      env: { account, region },
      // The included template already carries the BootstrapVersion parameter and rule.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    new CfnInclude(stack, 'Template', {
      templateFile: path.join(assembly, artifact.properties.templateFile),
    });
  }
} else {
  throw new Error(`usage: synth-floor.ts empty <outdir> | include <outdir> <cdk.out> (got ${variant})`);
}
app.synth();
process.stdout.write(JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6 }));
