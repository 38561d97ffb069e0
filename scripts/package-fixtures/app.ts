// A consumer's app, composed exactly as README shows, against the installed tarball.
import { App, Stack, Validations } from 'aws-cdk-lib';
import {
  AlertTopic,
  createPacks,
  EncryptionKeys,
  InferenceNetwork,
  PLATFORM_PACKS,
  RequiredTags,
  TieredDatasetBucket,
} from 'compliant-mlops';
import { MLOpsChecks } from 'compliant-mlops/policy';

const app = new App({
  outdir: process.env.CDK_OUTDIR,
  // Availability zones as `cdk.context.json` would hold them, so synth needs no AWS credentials.
  context: { 'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a', 'eu-west-1b'] },
});
const stack = new Stack(app, 'MlPlatform', { env: { account: '123456789012', region: 'eu-west-1' } });

const keys = new EncryptionKeys(stack, 'Keys');
new TieredDatasetBucket(stack, 'Datasets', { encryptionKey: keys.data });
new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs, emails: ['oncall@example.com'] });
new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });

RequiredTags.apply(app, {
  owner: 'ml-platform',
  'cost-center': 'cc-42',
  environment: 'prod',
  'data-classification': 'confidential',
});
RequiredTags.enforce(app);
Validations.of(app).addPlugins(...createPacks(PLATFORM_PACKS));
if (!(new MLOpsChecks().name === 'MLOps')) throw new Error('compliant-mlops/policy export is broken');
app.synth();
console.log('synthesized with zero findings');
