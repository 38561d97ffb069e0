import { Aws, Duration, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { AlertIntegrationProps } from '../../constructs/monitoring/alert-integrations';
import { IAlertDestination } from '../../constructs/monitoring/alert-topic';
import {
  IHealthCheckedEndpoint,
  IHealthCheckedFeatureGroup,
  ModelHealthCheck,
} from '../../constructs/monitoring/model-health-check';
import { ISecureBucket } from '../../constructs/storage/secure-bucket';

// On-call wiring of the reference app (issue 19). Every id and URL below is a PLACEHOLDER that
// synthesizes offline: authorize the Slack workspace / Teams tenant in the AWS Chatbot console,
// create the Incident Manager contact, and replace them (docs: constructs/monitoring/README.md,
// "AlertTopic integrations") before deploying. A placeholder Slack workspace fails the deployment.

/** The runbook base URL of the reference app's alarms (placeholder). */
export const RUNBOOK_BASE_URL = 'https://runbooks.example.com/ml-platform';

/** The platform alert topic's integrations: chat, a pager webhook, an Incident Manager plan. */
export function onCallIntegrations(prefix: string): AlertIntegrationProps {
  return {
    slackChannels: [
      { configurationName: `${prefix}-oncall`, workspaceId: 'T00000000', channelId: 'C00000000' },
    ],
    teamsChannels: [
      {
        configurationName: `${prefix}-oncall-teams`,
        teamId: '00000000-0000-4000-8000-000000000000',
        tenantId: '00000000-0000-4000-8000-000000000001',
        channelId: '19%3a00000000000000000000000000000000%40thread.tacv2',
      },
    ],
    httpsEndpoints: ['https://events.pagerduty.example.com/integration/PLACEHOLDER/enqueue'],
    responsePlan: {
      name: `${prefix}-critical`,
      displayName: 'ML platform critical alarm',
      incidentTitle: 'ML platform: critical alarm',
      impact: 1,
      summary: `Follow the runbook linked in the alarm description (${RUNBOOK_BASE_URL}).`,
    },
  };
}

/** Options of {@link addInferenceHealthCheck}. */
export interface InferenceHealthCheckOptions {
  /** The real-time endpoint the golden request goes to (InvokeEndpoint). */
  readonly endpoint: IHealthCheckedEndpoint;
  readonly vpc: ec2.IVpc;
  readonly artifactsBucket: ISecureBucket;
  readonly alerts: IAlertDestination;
  readonly modelName: string;
  /**
   * The online feature group the model reads (the churn contract's standard group): the canary
   * reads the probe record {@link HEALTH_CHECK_RECORD_ID} from it.
   * @default - no feature-store probe
   */
  readonly featureGroup?: IHealthCheckedFeatureGroup;
}

/**
 * The record the canary reads from the online store: a synthetic customer the churn feature
 * pipeline keeps fresh for the probe, so the probe reads no real customer's features.
 */
export const HEALTH_CHECK_RECORD_ID = 'health-check';

/**
 * A health check on the served model: a golden request straight to its real-time endpoint, the
 * probe record of the online features it reads (when given), and the
 * reachability of the SageMaker runtime and CloudWatch endpoints the serving path depends on
 * (the regional names resolve to the inference network's interface endpoints: private DNS).
 * The canary runs in the inference network's isolated subnets, from which the public REGIONAL API
 * is unreachable; InvokeEndpoint on runtime.sagemaker.<region> goes through the VPC's runtime
 * interface endpoint instead (issue 19). The API itself is exercised by its own callers and alarms.
 */
export function addInferenceHealthCheck(scope: Construct, o: InferenceHealthCheckOptions): ModelHealthCheck {
  return new ModelHealthCheck(scope, 'HealthCheck', {
    vpc: o.vpc,
    artifactsBucket: o.artifactsBucket,
    alerts: o.alerts,
    inferenceEndpoint: o.endpoint,
    // One row of the demo contract (DEMO_INPUT_CONTRACT): a batch of numeric feature rows.
    goldenRequest: { instances: [[0.5, 1.0, 2.0, 0.0]] },
    expectedResponseFields: { predictions: 'array' },
    latencyThreshold: Duration.seconds(2),
    // GetRecord through the inference network's featurestore-runtime endpoint (private DNS); the
    // standard group's required features (the PII ones live in the restricted group, not probed).
    featureStoreProbe: o.featureGroup
      ? {
          featureGroup: o.featureGroup,
          recordIdentifier: HEALTH_CHECK_RECORD_ID,
          expectedFeatures: ['tenure_months', 'monthly_spend_eur', 'support_tickets_90d'],
        }
      : undefined,
    dependencies: [
      { name: 'sagemaker-runtime', url: Fn.join('.', ['runtime.sagemaker', Aws.REGION, 'amazonaws.com']) },
      { name: 'cloudwatch', url: Fn.join('.', ['monitoring', Aws.REGION, 'amazonaws.com']) },
    ],
    severity: 'high',
    runbookUrl: `${RUNBOOK_BASE_URL}/${o.modelName}-health`,
  });
}
