import { MLOpsRule } from '../rule';
import { AckExpired } from './acknowledgments/AckExpired';
import { AckOwner } from './acknowledgments/AckOwner';
import { AckReason } from './acknowledgments/AckReason';
import { CloudTrailMultiRegion } from './cloudtrail/CloudTrailMultiRegion';
import { ECRRepositoryImmutableTags } from './ecr/ECRRepositoryImmutableTags';
import { ECRRepositoryKMS } from './ecr/ECRRepositoryKMS';
import { ECRRepositoryScanOnPush } from './ecr/ECRRepositoryScanOnPush';
import { IAMPolicyActionsExist } from './iam/IAMPolicyActionsExist';
import { IAMWildcardResourceOnlyForUnscopableActions } from './iam/IAMWildcardResourceOnlyForUnscopableActions';
import { SageMakerExecutionRoleNoFullAccess } from './iam/SageMakerExecutionRoleNoFullAccess';
import { SageMakerPipelineDefinitionCheckable } from './pipelines/SageMakerPipelineDefinitionCheckable';
import { SageMakerPipelineProcessingStep } from './pipelines/SageMakerPipelineProcessingStep';
import { SageMakerPipelineTransformStep } from './pipelines/SageMakerPipelineTransformStep';
import { SageMakerPipelineRetryExceptionTypeList } from './pipelines/SageMakerPipelineRetryExceptionTypeList';
import { SageMakerPipelineRegisterModelApproval } from './pipelines/SageMakerPipelineRegisterModelApproval';
import { SageMakerPipelineTrainingSpotCheckpoints } from './pipelines/SageMakerPipelineTrainingSpotCheckpoints';
import { SageMakerPipelineTrainingStep } from './pipelines/SageMakerPipelineTrainingStep';
import { SageMakerEndpointConfigAsyncOutputKMS } from './sagemaker/SageMakerEndpointConfigAsyncOutputKMS';
import { SageMakerEndpointConfigDataCapture } from './sagemaker/SageMakerEndpointConfigDataCapture';
import { SageMakerEndpointConfigInstanceCount } from './sagemaker/SageMakerEndpointConfigInstanceCount';
import { SageMakerEndpointConfigKMS } from './sagemaker/SageMakerEndpointConfigKMS';
import { SageMakerEndpointDeploymentGuardrails } from './sagemaker/SageMakerEndpointDeploymentGuardrails';
import { SageMakerEndpointLinearTrafficStep } from './sagemaker/SageMakerEndpointLinearTrafficStep';
import { SageMakerEndpointRollingBatchSize } from './sagemaker/SageMakerEndpointRollingBatchSize';
import { SageMakerFeatureGroupDataClassification } from './sagemaker/SageMakerFeatureGroupDataClassification';
import { SageMakerFeatureGroupDescription } from './sagemaker/SageMakerFeatureGroupDescription';
import { SageMakerFeatureGroupOfflineStoreKMS } from './sagemaker/SageMakerFeatureGroupOfflineStoreKMS';
import { SageMakerFeatureGroupOnlineStoreKMS } from './sagemaker/SageMakerFeatureGroupOnlineStoreKMS';
import { SageMakerInferenceExperimentKMS } from './sagemaker/SageMakerInferenceExperimentKMS';
import { SageMakerModelImageDigest } from './sagemaker/SageMakerModelImageDigest';
import { SageMakerModelNetworkIsolation } from './sagemaker/SageMakerModelNetworkIsolation';
import { SageMakerModelPrivateRegistry } from './sagemaker/SageMakerModelPrivateRegistry';
import { SageMakerModelVpcConfig } from './sagemaker/SageMakerModelVpcConfig';
import { SageMakerImageDescription } from './sagemaker/SageMakerImageDescription';
import { SageMakerLifecycleConfigNoSecrets } from './sagemaker/SageMakerLifecycleConfigNoSecrets';
import { SageMakerNotebookIMDSv2 } from './sagemaker/SageMakerNotebookIMDSv2';
import { SageMakerNotebookLifecycleConfig } from './sagemaker/SageMakerNotebookLifecycleConfig';
import { SageMakerNotebookKMS } from './sagemaker/SageMakerNotebookKMS';
import { SageMakerNotebookNoDirectInternet } from './sagemaker/SageMakerNotebookNoDirectInternet';
import { SageMakerNotebookPlatformIdentifier } from './sagemaker/SageMakerNotebookPlatformIdentifier';
import { SageMakerNotebookRootAccessDisabled } from './sagemaker/SageMakerNotebookRootAccessDisabled';
import { SageMakerNotebookVpc } from './sagemaker/SageMakerNotebookVpc';
import { SageMakerProcessingJobInterContainerEncryption } from './sagemaker/SageMakerProcessingJobInterContainerEncryption';
import { SageMakerProcessingJobNetworkIsolation } from './sagemaker/SageMakerProcessingJobNetworkIsolation';
import { SageMakerProcessingJobOutputKMS } from './sagemaker/SageMakerProcessingJobOutputKMS';
import { SageMakerProcessingJobVolumeKMS } from './sagemaker/SageMakerProcessingJobVolumeKMS';
import { SageMakerStudioDomainIdleShutdown } from './sagemaker/SageMakerStudioDomainIdleShutdown';
import { SageMakerStudioDomainKMS } from './sagemaker/SageMakerStudioDomainKMS';
import { SageMakerStudioDomainSsoAuth } from './sagemaker/SageMakerStudioDomainSsoAuth';
import { SageMakerStudioDomainVpcOnly } from './sagemaker/SageMakerStudioDomainVpcOnly';
import { SageMakerStudioUserProfileIdleShutdown } from './sagemaker/SageMakerStudioUserProfileIdleShutdown';
import { SageMakerVolumeKmsOnInstanceStorage } from './sagemaker/SageMakerVolumeKmsOnInstanceStorage';
import { SNSTopicTLSOnly } from './sns/SNSTopicTLSOnly';
import { SQSQueueCMK } from './sqs/SQSQueueCMK';
import { S3BucketDeniesOtherEncryption } from './s3/S3BucketDeniesOtherEncryption';
import { SageMakerRequiredTags } from './tags/SageMakerRequiredTags';

/**
 * Every rule of the MLOps pack, in the order the pack applies them. Names are stable and never
 * reused; a test pins this list and another checks that lib/policy/README.md documents each one.
 */
export const MLOPS_RULES: readonly MLOpsRule[] = [
  // Models
  SageMakerModelNetworkIsolation,
  SageMakerModelVpcConfig,
  SageMakerModelImageDigest,
  SageMakerModelPrivateRegistry,
  // Endpoint configs and endpoints
  SageMakerEndpointConfigKMS,
  SageMakerEndpointConfigDataCapture,
  SageMakerEndpointConfigInstanceCount,
  SageMakerEndpointConfigAsyncOutputKMS,
  SageMakerEndpointDeploymentGuardrails,
  SageMakerInferenceExperimentKMS,
  // Feature store
  SageMakerFeatureGroupOnlineStoreKMS,
  SageMakerFeatureGroupOfflineStoreKMS,
  SageMakerFeatureGroupDataClassification,
  SageMakerFeatureGroupDescription,
  // Pipelines
  SageMakerPipelineDefinitionCheckable,
  SageMakerPipelineTrainingStep,
  SageMakerPipelineTrainingSpotCheckpoints,
  SageMakerPipelineProcessingStep,
  SageMakerPipelineTransformStep,
  SageMakerPipelineRegisterModelApproval,
  // Studio and notebook instances
  SageMakerStudioDomainVpcOnly,
  SageMakerStudioDomainKMS,
  SageMakerStudioDomainIdleShutdown,
  SageMakerStudioDomainSsoAuth,
  SageMakerStudioUserProfileIdleShutdown,
  SageMakerNotebookRootAccessDisabled,
  SageMakerNotebookIMDSv2,
  SageMakerNotebookLifecycleConfig,
  SageMakerNotebookKMS,
  SageMakerNotebookVpc,
  SageMakerNotebookNoDirectInternet,
  SageMakerNotebookPlatformIdentifier,
  SageMakerLifecycleConfigNoSecrets,
  SageMakerImageDescription,
  // Processing and monitoring jobs
  SageMakerProcessingJobNetworkIsolation,
  SageMakerProcessingJobInterContainerEncryption,
  SageMakerProcessingJobVolumeKMS,
  SageMakerProcessingJobOutputKMS,
  // AWS API constraints a template can show (requests SageMaker rejects)
  SageMakerVolumeKmsOnInstanceStorage,
  SageMakerEndpointLinearTrafficStep,
  SageMakerEndpointRollingBatchSize,
  SageMakerPipelineRetryExceptionTypeList,
  // Platform resources around the models that the public packs under-check
  SNSTopicTLSOnly,
  SQSQueueCMK,
  S3BucketDeniesOtherEncryption,
  ECRRepositoryKMS,
  ECRRepositoryImmutableTags,
  ECRRepositoryScanOnPush,
  CloudTrailMultiRegion,
  // IAM and tags
  SageMakerExecutionRoleNoFullAccess,
  IAMWildcardResourceOnlyForUnscopableActions,
  IAMPolicyActionsExist,
  SageMakerRequiredTags,
  // Acknowledgments
  AckExpired,
  AckOwner,
  AckReason,
];
