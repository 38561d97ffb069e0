// The fair synth floor, one synthesis in a fresh process that loads only aws-cdk-lib (no
// compliant-mlops module): every stack template of a synthesized reference assembly re-emitted
// through `cloudformation-include` into a stack of the same name and environment, i.e. the cost of
// emitting exactly those resources through aws-cdk-lib with nothing of ours on top. Same context as
// cdk.json (the built-in validator on). The parent measures the process wall time.
// Usage: tsx bench/synth-include.ts <outdir> <cdk.out>
import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface StackArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
}

const [outdir, assembly] = process.argv.slice(2);
const root = path.join(__dirname, '..');
const context = {
  ...JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')).context,
  ...JSON.parse(readFileSync(path.join(root, 'cdk.context.json'), 'utf8')),
};
const start = process.hrtime.bigint();
const app = new App({ outdir, context });
if (!outdir || !assembly) throw new Error('usage: synth-include.ts <outdir> <cdk.out>');
{
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
}
app.synth();
process.stdout.write(JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6 }));
