import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { SecureFeatureGroup } from '../../constructs/feature-store/secure-feature-group';
import { CUSTOMER_CHURN_CONTRACT } from '../../examples/reference-app/feature-store';
import {
  addInferenceHealthCheck,
  HEALTH_CHECK_RECORD_ID,
  onCallIntegrations,
  RUNBOOK_BASE_URL,
} from '../../examples/reference-app/oncall';
import { findingLines, testStack } from '../support/nag';

const ENDPOINT_ARN = 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/churn-endpoint';

function build(withFeatures = false) {
  const stack = testStack('Serving');
  const keys = new EncryptionKeys(stack, 'Keys');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
  const alerts = new AlertTopic(stack, 'Alerts', {
    encryptionKey: keys.logs,
    ...onCallIntegrations('mlops'),
  });
  const models = new SecureBucket(stack, 'Models', { encryptionKey: keys.models });
  const endpoint = IsolatedEndpoint.fromEndpointAttributes(stack, 'Endpoint', { endpointArn: ENDPOINT_ARN });
  const featureGroup = withFeatures
    ? new SecureFeatureGroup(stack, 'Features', {
        contract: CUSTOMER_CHURN_CONTRACT,
        alerts,
        encryptionKey: keys.data,
      })
    : undefined;
  const check = addInferenceHealthCheck(stack, {
    endpoint,
    vpc: network.vpc,
    artifactsBucket: models,
    alerts,
    modelName: 'churn',
    featureGroup,
  });
  return { stack, check, featureGroup };
}

describe('reference app on-call wiring', () => {
  it('passes every pack with the on-call integrations and the inference health check', () => {
    const { stack } = build();
    expect(findingLines(stack)).toEqual([]);
  });

  it('wires Slack, Teams, a paging webhook and a critical response plan to the platform topic', () => {
    const t = Template.fromStack(build().stack);
    t.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
    t.resourceCountIs('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 1);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https' });
    t.hasResourceProperties('AWS::SSMIncidents::ResponsePlan', {
      Name: 'mlops-critical',
      IncidentTemplate: Match.objectLike({ Impact: 1 }),
    });
  });

  // From the isolated subnets the golden request reaches the model only through the VPC's
  // sagemaker.runtime interface endpoint (private DNS): InvokeEndpoint, signed for sagemaker.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
  it('sends the golden request to the endpoint through the runtime interface endpoint, not to the public API', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    const canary = Object.values(t.findResources('AWS::Synthetics::Canary'))[0];
    const config = JSON.stringify(canary.Properties.RunConfig.EnvironmentVariables);
    expect(config).toContain('runtime.sagemaker.eu-west-1.');
    expect(config).toContain('/endpoints/churn-endpoint/invocations');
    expect(config).toContain('\\"signingService\\":\\"sagemaker\\"');
    expect(config).not.toContain('execute-api');
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.eu-west-1.sagemaker.runtime',
      PrivateDnsEnabled: true,
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sagemaker:InvokeEndpoint', Resource: ENDPOINT_ARN }),
        ]),
      }),
    });
  });

  it('checks the inference endpoint and the serving dependencies from the isolated subnets, high severity with a runbook', () => {
    const { stack, check } = build();
    expect(Object.keys(check.checkAlarms)).toEqual([
      'inference',
      'dependency-sagemaker-runtime',
      'dependency-cloudwatch',
    ]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Synthetics::Canary', {
      VPCConfig: Match.objectLike({
        SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkisolatedSubnet1') }]),
      }),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp(
        `^\\[HIGH\\] .*\\| runbook: ${RUNBOOK_BASE_URL}/churn-health$`,
      ),
    });
  });

  describe('with the churn feature group (as the reference app wires it)', () => {
    it('passes every pack', () => {
      expect(findingLines(build(true).stack)).toEqual([]);
    });

    // GetRecord from the isolated subnets goes through the featurestore-runtime interface
    // endpoint: https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-storage-configurations-online-store.html
    it('reads the probe record of the standard group (not the restricted one) with a feature-store alarm', () => {
      const { stack, check, featureGroup } = build(true);
      expect(Object.keys(check.checkAlarms)).toContain('feature-store');
      const t = Template.fromStack(stack);
      const canary = Object.values(t.findResources('AWS::Synthetics::Canary'))[0];
      const config = JSON.parse(
        canary.Properties.RunConfig.EnvironmentVariables.MODEL_HEALTH_CONFIG['Fn::Join'][1]
          .map((x: unknown) => (typeof x === 'string' ? x : 'amazonaws.com'))
          .join(''),
      ) as { featureStore: unknown };
      expect(config.featureStore).toEqual({
        featureGroupName: featureGroup!.featureGroupName,
        recordIdentifier: HEALTH_CHECK_RECORD_ID,
        expectedFeatures: ['tenure_months', 'monthly_spend_eur', 'support_tickets_90d'],
      });
      expect(featureGroup!.featureGroupName).not.toBe(featureGroup!.restricted!.featureGroupName);
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'com.amazonaws.eu-west-1.sagemaker.featurestore-runtime',
        PrivateDnsEnabled: true,
      });
    });
  });
});
