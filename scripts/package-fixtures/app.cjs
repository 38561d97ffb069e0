// The same app in plain CommonJS JavaScript.
const { App, Stack, Validations } = require('aws-cdk-lib');
const {
  AlertTopic,
  createPacks,
  EncryptionKeys,
  PLATFORM_PACKS,
  RequiredTags,
  SecureBucket,
} = require('compliant-mlops');

const app = new App({ outdir: process.env.CDK_OUTDIR });
const stack = new Stack(app, 'MlPlatformJs', { env: { account: '123456789012', region: 'eu-west-1' } });
const keys = new EncryptionKeys(stack, 'Keys');
new SecureBucket(stack, 'Models', { encryptionKey: keys.models });
new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
RequiredTags.apply(app, {
  owner: 'ml-platform',
  'cost-center': 'cc-42',
  environment: 'dev',
  'data-classification': 'internal',
});
RequiredTags.enforce(app);
Validations.of(app).addPlugins(...createPacks(PLATFORM_PACKS));
app.synth();
console.log('synthesized with zero findings');
