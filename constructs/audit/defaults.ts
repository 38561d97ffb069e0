/**
 * The sensitive events the audit trail alarms on: CloudWatch Logs metric filter patterns over the
 * trail's log group. Patterns follow the CIS AWS Foundations Benchmark monitoring controls where one
 * exists, extended with the ML platform's own (model package approval changes).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
 */

/** One sensitive event class: what it matches and why on-call should hear about it. */
export interface SensitiveEvent {
  /** Construct id fragment and CloudWatch metric name, PascalCase. */
  readonly name: string;
  /** One line for the alarm description. */
  readonly description: string;
  /** The metric filter pattern over CloudTrail's JSON records. */
  readonly pattern: string;
}

function anyEvent(source: string, names: readonly string[]): string {
  return `{ ($.eventSource = ${source}) && (${names.map((n) => `($.eventName = ${n})`).join(' || ')}) }`;
}

/** The keys of {@link SENSITIVE_EVENTS}. */
export type SensitiveEventName =
  | 'KeyDisabledOrScheduledForDeletion'
  | 'ModelApprovalChanged'
  | 'BucketPolicyChanged'
  | 'TrailChanged'
  | 'IamPolicyChanged'
  | 'UnauthorizedApiCalls'
  | 'KeyPolicyChanged'
  | 'KeyGrantCreatedByPrincipal';

/** The sensitive event classes, in the order their alarms are created. */
export const SENSITIVE_EVENTS: Readonly<Record<SensitiveEventName, SensitiveEvent>> = {
  KeyDisabledOrScheduledForDeletion: {
    name: 'KeyDisabledOrScheduledForDeletion',
    description:
      'A KMS key was disabled or scheduled for deletion: data encrypted under it becomes unreadable',
    pattern: anyEvent('kms.amazonaws.com', ['DisableKey', 'ScheduleKeyDeletion']),
  },
  ModelApprovalChanged: {
    name: 'ModelApprovalChanged',
    description:
      'The approval status of a model package changed: a model may be promoted or withdrawn outside the review gate',
    pattern:
      '{ ($.eventSource = sagemaker.amazonaws.com) && ($.eventName = UpdateModelPackage) && ($.requestParameters.modelApprovalStatus = "*") }',
  },
  BucketPolicyChanged: {
    name: 'BucketPolicyChanged',
    description: 'An S3 bucket policy, ACL, CORS, lifecycle or replication setting changed',
    pattern: anyEvent('s3.amazonaws.com', [
      'PutBucketAcl',
      'PutBucketPolicy',
      'PutBucketCors',
      'PutBucketLifecycle',
      'PutBucketReplication',
      'DeleteBucketPolicy',
      'DeleteBucketCors',
      'DeleteBucketLifecycle',
      'DeleteBucketReplication',
    ]),
  },
  TrailChanged: {
    name: 'TrailChanged',
    description: 'A CloudTrail trail was stopped, deleted or changed: the audit record may have a gap',
    pattern: anyEvent('cloudtrail.amazonaws.com', [
      'CreateTrail',
      'UpdateTrail',
      'DeleteTrail',
      'StartLogging',
      'StopLogging',
      'PutEventSelectors',
    ]),
  },
  IamPolicyChanged: {
    name: 'IamPolicyChanged',
    description: 'An IAM policy was created, changed, attached or detached',
    pattern: anyEvent('iam.amazonaws.com', [
      'DeleteGroupPolicy',
      'DeleteRolePolicy',
      'DeleteUserPolicy',
      'PutGroupPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      'CreatePolicy',
      'DeletePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'SetDefaultPolicyVersion',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
      'UpdateAssumeRolePolicy',
    ]),
  },
  UnauthorizedApiCalls: {
    name: 'UnauthorizedApiCalls',
    description: 'API calls were denied: a misconfigured role, or someone probing for access',
    // Log delivery and HeadBucket probes are denied routinely; counting them would page on noise.
    pattern:
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
  },
  KeyPolicyChanged: {
    name: 'KeyPolicyChanged',
    description:
      'A KMS key policy was replaced: whoever may call PutKeyPolicy can give itself use of the key',
    pattern: anyEvent('kms.amazonaws.com', ['PutKeyPolicy']),
  },
  KeyGrantCreatedByPrincipal: {
    name: 'KeyGrantCreatedByPrincipal',
    description:
      'A KMS grant was created by a principal, not by an AWS service for an AWS resource: the grantee may decrypt',
    // Services that create grants for their resources (EBS, SageMaker, ...) call on a principal's
    // behalf (userIdentity.invokedBy) or as themselves (userIdentity.type AWSService).
    // NOT EXISTS: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
    pattern:
      '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = CreateGrant) && ($.userIdentity.invokedBy NOT EXISTS) && ($.userIdentity.type != "AWSService") }',
  },
};

/** Namespace of the metrics the sensitive-event filters publish. */
export const AUDIT_METRIC_NAMESPACE = 'CompliantMLOps/Audit';

/**
 * CloudTrail's quota on the values of all advanced event selectors of one trail.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html
 */
export const MAX_SELECTOR_VALUES = 500;
