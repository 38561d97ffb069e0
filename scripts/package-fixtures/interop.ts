// Interop in a consumer's app, against the installed tarball's declarations (tsc type-checks this
// file with skipLibCheck off) and the consumer's own aws-cdk-lib: our IsolatedEndpoint goes to
// aws-cdk-lib's `apigateway.SagemakerIntegration` (it takes a `sagemaker.IEndpoint`) and our
// SpotTrainingPipeline to aws-scheduler-targets' `SageMakerStartPipelineExecution` (a
// `sagemaker.IPipeline`). The synthesized template must wire each to our resource. No policy packs
// here: a bare RestApi is the non-compliant half (InferenceApi is the compliant front); app.ts
// runs the packs.
import { strict as assert } from 'node:assert';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import {
  AlertTopic,
  DATASET_VERSION_PARAMETER,
  EncryptionKeys,
  InferenceNetwork,
  IsolatedEndpoint,
  ModelImageRepository,
  ModelRegistry,
  SecureBucket,
  SpotTrainingPipeline,
  TieredDatasetBucket,
} from 'compliant-mlops';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

const app = new App({
  outdir: process.env.CDK_OUTDIR,
  context: { 'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a', 'eu-west-1b'] },
});
const stack = new Stack(app, 'Interop', { env: { account: '123456789012', region: 'eu-west-1' } });

const keys = new EncryptionKeys(stack, 'Keys');
const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
const images = new ModelImageRepository(stack, 'Images', { encryptionKey: keys.models });

// Serving: POST /invocations on a RestApi of the consumer's, through aws-cdk-lib's integration.
const endpoint = new IsolatedEndpoint(stack, 'Endpoint', {
  environment: 'prod',
  endpointName: 'churn-prod',
  vpc: network.vpc,
  imageRepository: images.repository,
  imageDigest: DIGEST,
  modelBucket: new SecureBucket(stack, 'Models', { encryptionKey: keys.models }),
  modelDataKey: 'models/churn/1/model.tar.gz',
  alerts,
});
const api = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false });
api.root.addResource('invocations').addMethod('POST', new apigateway.SagemakerIntegration(endpoint));

// Training: a daily EventBridge Scheduler schedule starts our pipeline, with its dataset version.
const pipeline = new SpotTrainingPipeline(stack, 'Training', {
  trainingImage: images.image(DIGEST),
  datasetBucket: new TieredDatasetBucket(stack, 'Datasets', { encryptionKey: keys.data }),
  datasetName: 'churn',
  datasetVersion: '2026-01-01',
  vpc: network.vpc,
  modelRegistry: new ModelRegistry(stack, 'Registry', {
    alerts,
    modelPackageGroupName: 'churn',
  }),
  intendedUse: 'Ranks customers by churn risk for retention offers; not for credit or pricing decisions',
  riskRating: 'Medium',
  modelOwner: 'retention-ml-team',
});
new scheduler.Schedule(stack, 'Nightly', {
  schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
  target: new targets.SageMakerStartPipelineExecution(pipeline, {
    pipelineParameterList: [{ name: DATASET_VERSION_PARAMETER, value: '2026-01-02' }],
  }),
});

/** The properties this test reads, on whichever resource carries them. */
interface ReadProperties {
  readonly EndpointName: unknown;
  readonly PipelineName: unknown;
  readonly Roles: unknown;
  readonly Integration: {
    readonly Type: string;
    readonly Uri: unknown;
    readonly Credentials: { readonly 'Fn::GetAtt': readonly [string, string] };
  };
  readonly PolicyDocument: { readonly Statement: readonly { Action: unknown; Resource: unknown }[] };
  readonly Target: {
    readonly Arn: unknown;
    readonly SageMakerPipelineParameters: unknown;
    readonly RoleArn: { readonly 'Fn::GetAtt': readonly [string, string] };
  };
}
const template = app.synth().getStackByName(stack.stackName).template as {
  Resources: Record<string, { Type: string; Properties: ReadProperties }>;
};
const resources = Object.entries(template.Resources);
const only = (type: string) => {
  const found = resources.filter(([, r]) => r.Type === type);
  assert.equal(found.length, 1, `one ${type}, got ${found.length}`);
  return found[0];
};
const json = (v: unknown) => JSON.stringify(v);

// The integration calls runtime.sagemaker for the endpoint our construct created, by its name, with
// a credentials role allowed to invoke exactly that endpoint's ARN.
const [endpointId, cfnEndpoint] = only('AWS::SageMaker::Endpoint');
assert.equal(cfnEndpoint.Properties.EndpointName, 'churn-prod');
assert.equal(json(stack.resolve(endpoint.endpointName)), json('churn-prod'));
const [, method] = only('AWS::ApiGateway::Method');
const integration = method.Properties.Integration;
assert.equal(integration.Type, 'AWS');
assert.match(
  json(integration.Uri),
  /:apigateway:eu-west-1:runtime\.sagemaker:path\/endpoints\/churn-prod\/invocations"/,
);
const credentialsRole = integration.Credentials['Fn::GetAtt'][0];
const endpointArn = json(stack.resolve(endpoint.endpointArn));
assert.ok(
  resources.some(
    ([, r]) =>
      r.Type === 'AWS::IAM::Policy' &&
      json(r.Properties.Roles) === json([{ Ref: credentialsRole }]) &&
      r.Properties.PolicyDocument.Statement.some(
        (s) => json(s.Action) === json('sagemaker:InvokeEndpoint') && json(s.Resource) === endpointArn,
      ),
  ),
  `the integration role may invoke ${endpointArn}`,
);
assert.match(endpointArn, /:sagemaker:eu-west-1:123456789012:endpoint\/churn-prod"/);

// The schedule targets our pipeline's ARN, and its role may start exactly that pipeline.
const [pipelineId, cfnPipeline] = only('AWS::SageMaker::Pipeline');
assert.equal(cfnPipeline.Properties.PipelineName, pipeline.pipelineName);
const pipelineArn = json(stack.resolve(pipeline.pipelineArn));
assert.ok(
  pipelineArn.endsWith(
    `:sagemaker:eu-west-1:123456789012:pipeline/${pipeline.pipelineName.toLowerCase()}"]]}`,
  ),
  pipelineArn,
);
const [, schedule] = only('AWS::Scheduler::Schedule');
const target = schedule.Properties.Target;
assert.equal(json(target.Arn), pipelineArn);
assert.equal(
  json(target.SageMakerPipelineParameters),
  json({ PipelineParameterList: [{ Name: 'DatasetVersion', Value: '2026-01-02' }] }),
);
const schedulerRole = target.RoleArn['Fn::GetAtt'][0];
assert.ok(
  resources.some(
    ([, r]) =>
      r.Type === 'AWS::IAM::Policy' &&
      json(r.Properties.Roles) === json([{ Ref: schedulerRole }]) &&
      r.Properties.PolicyDocument.Statement.some(
        (s) =>
          json(s.Action) === json('sagemaker:StartPipelineExecution') && json(s.Resource) === pipelineArn,
      ),
  ),
  `the schedule role may start ${pipelineArn}`,
);
console.log(`interop: SagemakerIntegration → ${endpointId}, Schedule → ${pipelineId}`);
