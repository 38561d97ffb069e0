import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Tags } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnEndpoint, CfnEndpointConfig, CfnModel, CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { Template } from 'aws-cdk-lib/assertions';
import { NagMessageLevel } from 'cdk-nag';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MLOpsChecks } from '../../lib/policy/mlops-checks';
import { MLOPS_RULES } from '../../lib/policy/rules';
import { SageMakerModelVpcConfig } from '../../lib/policy/rules/sagemaker/SageMakerModelVpcConfig';
import {
  conditionStep,
  inlineBody,
  KEY_ARN,
  PINNED_IMAGE,
  pipelineDefinition,
  processingStep,
  registerModelStep,
  ROLE_ARN,
  trainingStep,
} from './fixtures';

const PINNED_IDS = [
  'MLOps-SageMakerModelNetworkIsolation',
  'MLOps-SageMakerModelVpcConfig',
  'MLOps-SageMakerModelImageDigest',
  'MLOps-SageMakerModelPrivateRegistry',
  'MLOps-SageMakerEndpointConfigKMS',
  'MLOps-SageMakerEndpointConfigDataCapture',
  'MLOps-SageMakerEndpointConfigInstanceCount',
  'MLOps-SageMakerEndpointConfigAsyncOutputKMS',
  'MLOps-SageMakerEndpointDeploymentGuardrails',
  'MLOps-SageMakerInferenceExperimentKMS',
  'MLOps-SageMakerFeatureGroupOnlineStoreKMS',
  'MLOps-SageMakerFeatureGroupOfflineStoreKMS',
  'MLOps-SageMakerFeatureGroupDataClassification',
  'MLOps-SageMakerFeatureGroupDescription',
  'MLOps-SageMakerPipelineDefinitionCheckable',
  'MLOps-SageMakerPipelineTrainingStep',
  'MLOps-SageMakerPipelineTrainingSpotCheckpoints',
  'MLOps-SageMakerPipelineProcessingStep',
  'MLOps-SageMakerPipelineTransformStep',
  'MLOps-SageMakerPipelineRegisterModelApproval',
  'MLOps-SageMakerStudioDomainVpcOnly',
  'MLOps-SageMakerStudioDomainKMS',
  'MLOps-SageMakerStudioDomainIdleShutdown',
  'MLOps-SageMakerStudioDomainSsoAuth',
  'MLOps-SageMakerStudioUserProfileIdleShutdown',
  'MLOps-SageMakerNotebookRootAccessDisabled',
  'MLOps-SageMakerNotebookIMDSv2',
  'MLOps-SageMakerNotebookLifecycleConfig',
  'MLOps-SageMakerNotebookKMS',
  'MLOps-SageMakerNotebookVpc',
  'MLOps-SageMakerNotebookNoDirectInternet',
  'MLOps-SageMakerNotebookPlatformIdentifier',
  'MLOps-SageMakerLifecycleConfigNoSecrets',
  'MLOps-SageMakerImageDescription',
  'MLOps-SageMakerProcessingJobNetworkIsolation',
  'MLOps-SageMakerProcessingJobInterContainerEncryption',
  'MLOps-SageMakerProcessingJobVolumeKMS',
  'MLOps-SageMakerProcessingJobOutputKMS',
  'MLOps-SageMakerVolumeKmsOnInstanceStorage',
  'MLOps-SageMakerEndpointLinearTrafficStep',
  'MLOps-SageMakerEndpointRollingBatchSize',
  'MLOps-SageMakerPipelineRetryExceptionTypeList',
  'MLOps-SNSTopicTLSOnly',
  'MLOps-SQSQueueCMK',
  'MLOps-S3BucketDeniesOtherEncryption',
  'MLOps-ECRRepositoryKMS',
  'MLOps-ECRRepositoryImmutableTags',
  'MLOps-ECRRepositoryScanOnPush',
  'MLOps-CloudTrailMultiRegion',
  'MLOps-SageMakerExecutionRoleNoFullAccess',
  'MLOps-IAMWildcardResourceOnlyForUnscopableActions',
  'MLOps-IAMPolicyActionsExist',
  'MLOps-SageMakerRequiredTags',
  'MLOps-AckExpired',
  'MLOps-AckOwner',
  'MLOps-AckReason',
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('MLOpsChecks', () => {
  it('pins the full rule id list, in order', () => {
    expect(new MLOpsChecks().ruleIds).toEqual(PINNED_IDS);
  });

  it('gives every rule complete metadata', () => {
    expect(new Set(MLOPS_RULES.map((r) => r.name)).size).toBe(MLOPS_RULES.length);
    for (const r of MLOPS_RULES) {
      expect(r.name, r.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(r.info, r.name).not.toMatch(/\n/);
      expect(r.explanation.length, r.name).toBeGreaterThan(60);
      expect([NagMessageLevel.ERROR, NagMessageLevel.WARN], r.name).toContain(r.level);
      expect(r.nist.length, r.name).toBeGreaterThan(0);
      for (const c of r.nist) expect(c, r.name).toMatch(/^[A-Z]{2}-\d+(\(\d+\))?$/);
      expect(r.securitySeverity, r.name).toBeGreaterThanOrEqual(0.1);
      expect(r.securitySeverity, r.name).toBeLessThanOrEqual(10);
    }
    expect(MLOPS_RULES.filter((r) => r.level === NagMessageLevel.WARN).map((r) => r.name)).toEqual([
      'SageMakerEndpointConfigInstanceCount',
    ]);
  });

  it('is documented rule by rule in lib/policy/README.md (id, level and controls)', () => {
    const readme = readFileSync(join(__dirname, '../../lib/policy/README.md'), 'utf8');
    const rows = new Map<string, string[]>();
    for (const line of readme.split('\n')) {
      const m = /^\|\s*`(MLOps-[A-Za-z0-9]+)`\s*\|(.*)\|$/.exec(line);
      if (m)
        rows.set(
          m[1],
          m[2].split('|').map((c) => c.trim()),
        );
    }
    expect([...rows.keys()]).toEqual(PINNED_IDS);
    for (const r of MLOPS_RULES) {
      const [level, , controls] = rows.get(`MLOps-${r.name}`) ?? [];
      expect(level, r.name).toBe(r.level);
      expect(controls, r.name).toBe(r.nist.join(', '));
    }
  });

  it('calls a rule only for the resource types it declares', () => {
    const spy = vi.spyOn(SageMakerModelVpcConfig, 'check');
    const stack = new Stack();
    new CfnBucket(stack, 'Bucket');
    expect(new MLOpsChecks().validateScope(stack).violations).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
    new CfnModel(stack, 'Model', { executionRoleArn: ROLE_ARN });
    new MLOpsChecks().validateScope(stack);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('reports nothing for a compliant, tagged serving and training stack', () => {
    const stack = new Stack();
    new CfnModel(stack, 'Model', {
      executionRoleArn: ROLE_ARN,
      enableNetworkIsolation: true,
      vpcConfig: { subnets: ['subnet-0a1b2c3d'], securityGroupIds: ['sg-0a1b2c3d'] },
      primaryContainer: { image: PINNED_IMAGE, modelDataUrl: 's3://ml-models/model.tar.gz' },
    });
    new CfnEndpointConfig(stack, 'Config', {
      kmsKeyId: KEY_ARN,
      productionVariants: [
        { variantName: 'AllTraffic', modelName: 'm', instanceType: 'ml.m5.large', initialInstanceCount: 2 },
      ],
      dataCaptureConfig: {
        enableCapture: true,
        kmsKeyId: KEY_ARN,
        initialSamplingPercentage: 100,
        destinationS3Uri: 's3://ml-capture/ep',
        captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
      },
    });
    new CfnEndpoint(stack, 'Endpoint', {
      endpointConfigName: 'cfg',
      deploymentConfig: {
        autoRollbackConfiguration: { alarms: [{ alarmName: 'ep-5xx' }] },
        rollingUpdatePolicy: {
          maximumBatchSize: { type: 'INSTANCE_COUNT', value: 1 },
          waitIntervalInSeconds: 60,
        },
      },
    });
    new CfnPipeline(stack, 'Pipeline', {
      pipelineName: 'churn',
      roleArn: ROLE_ARN,
      pipelineDefinition: inlineBody(
        pipelineDefinition([processingStep(), trainingStep(), conditionStep('Gate', [registerModelStep()])]),
      ),
    });
    for (const [k, v] of Object.entries({
      owner: 'ml',
      'cost-center': 'cc-1',
      environment: 'prod',
      'data-classification': 'internal',
    })) {
      Tags.of(stack).add(k, v);
    }
    Template.fromStack(stack);
    expect(new MLOpsChecks().validateScope(stack).violations).toEqual([]);
  });
});
