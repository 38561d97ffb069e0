import { ArnFormat, Names, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { refs, tokenOr, validateProps } from '../core/validate';
import { RISK_TIERS, type RiskTier } from '../feature-store/contract-schema';
import { isReviewGated, recordRiskTier } from './review-gate-registry';
import { IAlertDestination } from '../monitoring/alert-topic';
import { triggerDeadLetterQueue } from './dead-letters';
import { APPROVE_MODEL_ACTIONS, READ_MODEL_PACKAGE_ACTIONS, REGISTER_MODEL_ACTIONS } from './perms';

/** A model registry: a SageMaker model package group whose versions go through a review. */
export interface IModelRegistry {
  /** The model package group name. */
  readonly modelPackageGroupName: string;
  /** The model package group ARN. */
  readonly modelPackageGroupArn: string;
  /** An ARN pattern matching every model version (model package) in the group. */
  readonly modelPackageArnPattern: string;
  /** Lets a principal register new model versions (the pipeline role). */
  grantRegister(grantee: iam.IGrantable): iam.Grant;
  /** Lets a principal review model versions: read them and set their approval status. */
  grantApprove(grantee: iam.IGrantable): iam.Grant;
}

/** Props for {@link ModelRegistry}. */
export interface ModelRegistryProps {
  /**
   * The model package group name.
   * @default - a name unique to this construct's path
   */
  readonly modelPackageGroupName?: string;
  /**
   * What the group holds, shown to reviewers. It is set as the group's `description` tag, not as
   * `ModelPackageGroupDescription`: CloudFormation replaces a group whose description changes, which
   * would orphan every registered version (and fail, the name being fixed), while tags update in
   * place. A tag value, so at most 256 letters, digits, spaces and `_ . : / = + - @`.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-modelpackagegroup.html
   * @default - no description
   */
  readonly description?: string;
  /**
   * Where every approval-status change (a new version awaiting review, an approval, a rejection)
   * is sent: the platform's {@link AlertTopic}, or `AlertTopic.fromTopic(topic)` for a topic of
   * yours. Its key must let EventBridge publish (the AlertTopic's does); the dead-letter queue of
   * the approval rule reuses it, or gets a dedicated `logs` key when the destination has none.
   */
  readonly alerts: IAlertDestination;
  /**
   * Accounts (12 digits) allowed to read the group and its versions, to promote approved models
   * to a staging or production account.
   * @default - no cross-account access
   */
  readonly crossAccountReadAccounts?: string[];
  /**
   * The risk tier of the models the group holds, tagged `risk-tier` on the group (a tag updates in
   * place). A `high` group must be guarded by a {@link ModelReviewGate} (synth fails otherwise):
   * no version stays approved without a review record. Use the feature contract's tier
   * (`contract.riskTier`) when the model is trained on one.
   * @default - not declared: no tag, no gate required
   */
  readonly riskTier?: RiskTier;
}

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const schema = z.strictObject({
  modelPackageGroupName: tokenOr(z.string().regex(NAME)).optional(),
  // A SageMaker tag value (the description is carried as a tag).
  description: z
    .string()
    .max(256)
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u)
    .optional(),
  alerts: z.custom<IAlertDestination>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      refs.topic.safeParse((v as IAlertDestination).topic).success &&
      typeof (v as IAlertDestination).notify === 'function',
    {
      message: 'is not an alert destination',
      params: { expected: 'an IAlertDestination (an AlertTopic, or AlertTopic.fromTopic(topic))' },
    },
  ),
  crossAccountReadAccounts: z.array(z.string().regex(/^\d{12}$/)).optional(),
  riskTier: z.enum(RISK_TIERS).optional(),
});

/**
 * A model registry (SageMaker model package group) with a review trail.
 *
 * Every approval-status change of a version is routed by an EventBridge rule to the alerts
 * (with a dead-letter queue), so approvals are visible and auditable. An optional resource policy
 * lets named accounts read approved versions for promotion. {@link grantRegister} is for the
 * training pipeline, {@link grantApprove} for reviewers; each is scoped to this group.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry.html
 */
export class ModelRegistry extends Construct implements IModelRegistry {
  /** Imports a registry by group name (no rule or policy is created). */
  public static fromModelPackageGroupName(
    scope: Construct,
    id: string,
    modelPackageGroupName: string,
  ): IModelRegistry {
    return new ImportedModelRegistry(scope, id, modelPackageGroupName);
  }

  /** The model package group. */
  public readonly resource: sagemaker.CfnModelPackageGroup;
  /** {@inheritDoc IModelRegistry.modelPackageGroupName} */
  public readonly modelPackageGroupName: string;
  /** {@inheritDoc IModelRegistry.modelPackageGroupArn} */
  public readonly modelPackageGroupArn: string;
  /** {@inheritDoc IModelRegistry.modelPackageArnPattern} */
  public readonly modelPackageArnPattern: string;
  /** The rule that sends approval-status changes to the alert topic. */
  public readonly approvalRule: events.Rule;
  /** Where approval events that could not be delivered wait. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The declared risk tier, if any. */
  public readonly riskTier?: RiskTier;

  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    this.modelPackageGroupName =
      p.modelPackageGroupName ??
      Names.uniqueResourceName(this, {
        maxLength: 63,
        separator: '-',
        allowedSpecialCharacters: '-',
      }).toLowerCase();
    const arns = registryArns(this, this.modelPackageGroupName);
    this.modelPackageGroupArn = arns.group;
    this.modelPackageArnPattern = arns.versions;
    this.riskTier = p.riskTier;
    if (p.riskTier) recordRiskTier(this, p.riskTier);
    const tags = [
      ...(p.description === undefined ? [] : [{ key: 'description', value: p.description }]),
      ...(p.riskTier === undefined ? [] : [{ key: 'risk-tier', value: p.riskTier }]),
    ];
    // Checked at synth, once the app had the chance to add the gate.
    this.node.addValidation({
      validate: () =>
        p.riskTier === 'high' && !isReviewGated(this)
          ? [
              `${this.node.path}: riskTier: is high, but no ModelReviewGate guards the group (got high; expected a ModelReviewGate with registry: this registry)`,
            ]
          : [],
    });

    this.resource = new sagemaker.CfnModelPackageGroup(this, 'Resource', {
      modelPackageGroupName: this.modelPackageGroupName,
      // Not ModelPackageGroupDescription: it is create-only, and a replaced group loses its versions.
      tags: tags.length === 0 ? undefined : tags,
      modelPackageGroupPolicy: p.crossAccountReadAccounts?.length
        ? new iam.PolicyDocument({
            statements: [
              new iam.PolicyStatement({
                sid: 'CrossAccountRead',
                principals: p.crossAccountReadAccounts.map((a) => new iam.AccountPrincipal(a)),
                actions: [...READ_MODEL_PACKAGE_ACTIONS],
                resources: [arns.group, arns.versions],
              }),
            ],
          }).toJSON()
        : undefined,
    });

    // The alert topic's key already lets EventBridge encrypt (it publishes to the topic with it).
    this.deadLetterQueue = triggerDeadLetterQueue(this, 'DeadLetters', p.alerts.encryptionKey);
    this.approvalRule = new events.Rule(this, 'ApprovalChanges', {
      description: `Approval-status changes of model versions in ${this.node.path}`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Model Package State Change'],
        detail: {
          ModelPackageGroupName: [this.modelPackageGroupName],
          ModelApprovalStatus: ['PendingManualApproval', 'Approved', 'Rejected'],
        },
      },
      targets: [
        new targets.SnsTopic(p.alerts.topic, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 10 }),
      ],
    });
  }

  /** {@inheritDoc IModelRegistry.grantRegister} */
  public grantRegister(grantee: iam.IGrantable): iam.Grant {
    return grantOn(grantee, REGISTER_MODEL_ACTIONS, this);
  }

  /** {@inheritDoc IModelRegistry.grantApprove} */
  public grantApprove(grantee: iam.IGrantable): iam.Grant {
    return grantOn(grantee, APPROVE_MODEL_ACTIONS, this);
  }
}

class ImportedModelRegistry extends Construct implements IModelRegistry {
  public readonly modelPackageGroupArn: string;
  public readonly modelPackageArnPattern: string;
  constructor(
    scope: Construct,
    id: string,
    public readonly modelPackageGroupName: string,
  ) {
    super(scope, id);
    const arns = registryArns(this, modelPackageGroupName);
    this.modelPackageGroupArn = arns.group;
    this.modelPackageArnPattern = arns.versions;
  }
  public grantRegister(grantee: iam.IGrantable): iam.Grant {
    return grantOn(grantee, REGISTER_MODEL_ACTIONS, this);
  }
  public grantApprove(grantee: iam.IGrantable): iam.Grant {
    return grantOn(grantee, APPROVE_MODEL_ACTIONS, this);
  }
}

/** SageMaker writes names into ARNs in lowercase, and IAM compares ARNs case-sensitively. */
function registryArns(scope: Construct, name: string): { group: string; versions: string } {
  const arnName = Token.isUnresolved(name) ? name : name.toLowerCase();
  const stack = Stack.of(scope);
  return {
    group: stack.formatArn({
      service: 'sagemaker',
      resource: 'model-package-group',
      resourceName: arnName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }),
    versions: stack.formatArn({
      service: 'sagemaker',
      resource: 'model-package',
      resourceName: `${arnName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }),
  };
}

function grantOn(grantee: iam.IGrantable, actions: readonly string[], registry: IModelRegistry): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: [...actions],
    resourceArns: [registry.modelPackageGroupArn, registry.modelPackageArnPattern],
  });
}
