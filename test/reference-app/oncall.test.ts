import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import {
  addInferenceHealthCheck,
  onCallIntegrations,
  RUNBOOK_BASE_URL,
} from '../../examples/reference-app/oncall';
import { findingLines, testStack } from '../support/nag';

function build() {
  const stack = testStack('Serving');
  const keys = new EncryptionKeys(stack, 'Keys');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
  const alerts = new AlertTopic(stack, 'Alerts', {
    encryptionKey: keys.logs,
    ...onCallIntegrations('mlops'),
  });
  const models = new SecureBucket(stack, 'Models', { encryptionKey: keys.models });
  const api = {
    invocationsUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/invocations',
    grantInvoke: (grantee: iam.IGrantable) =>
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['execute-api:Invoke'],
        resourceArns: ['arn:aws:execute-api:eu-west-1:111111111111:abc123/prod/POST/invocations'],
      }),
  };
  const check = addInferenceHealthCheck(stack, {
    api,
    vpc: network.vpc,
    artifactsBucket: models,
    alerts,
    modelName: 'churn',
  });
  return { stack, check };
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

  it('checks the inference API and the serving dependencies from the isolated subnets, high severity with a runbook', () => {
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
});
