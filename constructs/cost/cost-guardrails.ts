import { createHash } from 'node:crypto';
import { CfnResource, Lazy, Stack, TagManager, Token } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import { requireAlertPublishers } from '../monitoring/alert-topic';
import { DEFAULT_REQUIRED_TAGS } from '../core/tags';
import { describeValue, refs, validateProps } from '../core/validate';
import { argValue, checkablePipelineSteps, pipelineParameters } from '../../lib/policy/rule-helpers';
import type { IAlertDestination } from '../monitoring/alert-topic';

/** SageMaker resource types that belong to one model and must say which (`model-id`). */
export const MODEL_SCOPED_TYPES: readonly string[] = [
  'AWS::SageMaker::Model',
  'AWS::SageMaker::EndpointConfig',
  'AWS::SageMaker::Endpoint',
  'AWS::SageMaker::Pipeline',
  'AWS::SageMaker::ModelPackageGroup',
  'AWS::SageMaker::InferenceComponent',
];

/** GPU and accelerator instance families: allowed only where `allowGpu` is true. */
export const GPU_FAMILIES: readonly string[] = [
  'g4dn',
  'g5',
  'g6',
  'g6e',
  'p3',
  'p4d',
  'p4de',
  'p5',
  'p5e',
  'inf1',
  'inf2',
  'trn1',
  'trn2',
];

/** A monthly budget filtered on cost-allocation tags. */
export interface TagBudget {
  /**
   * The readable part of the budget name, unique in the account (at most 91
   * characters, no `:` or `\\`). The deployed budget is named `<name>-<8 hex digits>`, the digits a
   * hash of its alerts (thresholds and alert topic): CloudFormation replaces a budget whose
   * notifications change, and it can only do so under a new name.
   */
  readonly name: string;
  /** Monthly limit in US dollars. */
  readonly limitUsd: number;
  /** Cost-allocation tags the budget counts, e.g. `{ team: 'fraud' }` or `{ 'model-id': 'churn' }`. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Alert when actual spend passes this share of the limit (percent).
   * @default 80
   */
  readonly actualThresholdPercent?: number;
  /**
   * Alert when forecast spend passes this share of the limit (percent).
   * @default 100
   */
  readonly forecastThresholdPercent?: number;
}

/** Which instances an environment may run. */
export interface InstancePolicy {
  /**
   * Allowed instance types; `*` matches the size (e.g. `ml.m5.*`).
   * @default - every type, subject to `allowGpu`
   */
  readonly allowedInstanceTypes?: string[];
  /**
   * Most instances one resource may ask for (variant count, training instance count).
   * @default 10
   */
  readonly maxInstanceCount?: number;
  /**
   * Whether GPU and accelerator families are allowed.
   * @default false
   */
  readonly allowGpu?: boolean;
}

/** Props for {@link CostGuardrails}. */
export interface CostGuardrailsProps {
  /**
   * Where budget alerts go: the platform's `AlertTopic`, or any topic through
   * `AlertTopic.fromTopic(topic)`. AWS Budgets publishes as `budgets.amazonaws.com`: the topic's
   * access policy must allow it (an AlertTopic's does), and a key the destination names must let it
   * use the key (`alert-publishers`: a domain key without it is a validation error).
   * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html
   */
  readonly alerts: IAlertDestination;
  /**
   * Per-team and per-model monthly budgets.
   * @default - none
   */
  readonly budgets?: TagBudget[];
  /**
   * The instance-type policy enforced at synth on every SageMaker resource in `scope`,
   * pipeline definitions included.
   * @default - no instance policy
   */
  readonly instancePolicy?: InstancePolicy;
  /**
   * Tag key every model-scoped SageMaker resource must carry (see {@link MODEL_SCOPED_TYPES}).
   * @default 'model-id'
   */
  readonly modelTagKey?: string;
  /**
   * Where the tag and instance rules apply.
   * @default - the whole app
   */
  readonly scope?: IConstruct;
}

const patternRe = /^ml\.[a-z0-9-]+\.(\*|[a-z0-9-]+)$/;
const schema = z.strictObject({
  alerts: refs.alerts,
  budgets: z
    .array(
      z.strictObject({
        // Budget names are at most 100 characters; 9 are taken by the `-<hash>` suffix.
        name: z.string().regex(/^[^:\\]{1,91}$/),
        limitUsd: z.number().positive().max(10_000_000),
        tags: z.record(z.string().min(1), z.string().min(1)).refine((t) => Object.keys(t).length > 0, {
          message: 'needs at least one tag',
          params: { expected: 'at least one tag' },
        }),
        actualThresholdPercent: z.number().min(1).max(1000).optional(),
        forecastThresholdPercent: z.number().min(1).max(1000).optional(),
      }),
    )
    .superRefine((list, ctx) => {
      // Budget names are unique in the account, and each becomes a construct id.
      const seen = new Set<string>();
      list.forEach((b, i) => {
        if (seen.has(b.name)) {
          ctx.addIssue({
            code: 'custom',
            message: 'is a duplicate budget name',
            path: [i, 'name'],
            input: b.name,
            params: { expected: 'unique budget names' },
          });
        }
        seen.add(b.name);
      });
    })
    .optional(),
  instancePolicy: z
    .strictObject({
      allowedInstanceTypes: z.array(z.string().regex(patternRe)).min(1).optional(),
      maxInstanceCount: z.number().int().min(1).max(1000).optional(),
      allowGpu: z.boolean().optional(),
    })
    .optional(),
  modelTagKey: z.string().min(1).max(128).optional(),
  scope: z.custom<IConstruct>((v) => typeof v === 'object' && v !== null && 'node' in v).optional(),
});

/**
 * The construct id of a budget: `Budget<alphanumerics of the name>` (stable, as before), with a
 * hash of the full name appended when another name already took that id ("a-b" and "ab").
 */
function budgetId(name: string, taken: Set<string>): string {
  let id = `Budget${name.replace(/[^A-Za-z0-9]/g, '')}`;
  if (taken.has(id)) id = `${id}${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  taken.add(id);
  return id;
}

/**
 * The deployed name of a budget: its readable name and a short hash of its notifications.
 *
 * `NotificationsWithSubscribers` is create-only ("Update requires: Replacement"), and CloudFormation
 * cannot replace a custom-named resource under the same name, so whatever forces the replacement
 * (a threshold, the alert topic) must rename the budget. The hash is taken at synthesis over the
 * notifications as they resolve in the template, so a topic whose logical ID changes renames the
 * budget too; limit and tag filter changes are updates and keep the name.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-budgets-budget.html
 */
function budgetName(scope: Construct, name: string, notifications: unknown): string {
  return Lazy.string({
    produce: () => {
      const resolved = JSON.stringify(Stack.of(scope).resolve(notifications));
      return `${name}-${createHash('sha256').update(resolved).digest('hex').slice(0, 8)}`;
    },
  });
}

/** The instance type and count a SageMaker resource asks for, found in its L1 properties. */
interface InstanceUse {
  readonly field: string;
  readonly instanceType?: unknown;
  readonly count?: unknown;
}

/**
 * Cost guardrails for an ML platform: monthly budgets per team and per model with actual and
 * forecast alerts to the encrypted alert topic, a `model-id` tag on every model-scoped SageMaker
 * resource, and an instance-type policy per environment (allowlist, maximum count, GPU only where
 * allowed) enforced at synth, inside pipeline definitions too.
 *
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html
 */
export class CostGuardrails extends Construct {
  /** The budgets, by the readable `name` given (the deployed name adds a hash; `ref` returns it). */
  public readonly budgets: Readonly<Record<string, budgets.CfnBudget>>;

  constructor(scope: Construct, id: string, props: CostGuardrailsProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    // AWS Budgets publishes the alerts to the topic: its key must let it (an AlertTopic's does).
    requireAlertPublishers(this, p.alerts);
    const made: Record<string, budgets.CfnBudget> = {};
    const ids = new Set<string>();
    for (const b of p.budgets ?? []) {
      const subscribers = [{ subscriptionType: 'SNS', address: p.alerts.topic.topicArn }];
      const notifications: budgets.CfnBudget.NotificationWithSubscribersProperty[] = [
        {
          notification: {
            notificationType: 'ACTUAL',
            comparisonOperator: 'GREATER_THAN',
            threshold: b.actualThresholdPercent ?? 80,
            thresholdType: 'PERCENTAGE',
          },
          subscribers,
        },
        {
          notification: {
            notificationType: 'FORECASTED',
            comparisonOperator: 'GREATER_THAN',
            threshold: b.forecastThresholdPercent ?? 100,
            thresholdType: 'PERCENTAGE',
          },
          subscribers,
        },
      ];
      made[b.name] = new budgets.CfnBudget(this, budgetId(b.name, ids), {
        budget: {
          budgetName: budgetName(this, b.name, notifications),
          budgetType: 'COST',
          timeUnit: 'MONTHLY',
          budgetLimit: { amount: b.limitUsd, unit: 'USD' },
          costFilters: { TagKeyValue: Object.entries(b.tags).map(([k, v]) => `user:${k}$${v}`) },
        },
        notificationsWithSubscribers: notifications,
      });
    }
    this.budgets = made;

    const target = p.scope ?? this.node.root;
    const modelTag = p.modelTagKey ?? 'model-id';
    const policy = p.instancePolicy;
    target.node.addValidation({
      validate: () => [
        ...modelTagProblems(target, modelTag),
        ...(policy ? instanceProblems(target, policy) : []),
      ],
    });
  }

  /** The cost-allocation tag keys the platform requires, plus the model tag. */
  public static requiredTagKeys(modelTagKey = 'model-id'): string[] {
    return [...DEFAULT_REQUIRED_TAGS, modelTagKey];
  }
}

function modelTagProblems(scope: IConstruct, key: string): string[] {
  const out: string[] = [];
  for (const c of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || !MODEL_SCOPED_TYPES.includes(c.cfnResourceType)) continue;
    if (!TagManager.isTaggable(c)) continue;
    const value = c.tags.tagValues()[key];
    if (!value) {
      out.push(
        `${c.node.path}: tags.${key}: a model-scoped SageMaker resource must say which model it serves (got no ${key}; expected a ${key} tag)`,
      );
    }
  }
  return out;
}

function instanceProblems(scope: IConstruct, policy: InstancePolicy): string[] {
  const out: string[] = [];
  const max = policy.maxInstanceCount ?? 10;
  for (const c of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || !c.cfnResourceType.startsWith('AWS::SageMaker::')) continue;
    for (const use of instanceUses(c)) {
      if (typeof use.instanceType === 'string' && !Token.isUnresolved(use.instanceType)) {
        const why = disallowed(use.instanceType, policy);
        if (why)
          out.push(
            `${c.node.path}: ${use.field}.instanceType: ${why.problem} (got ${describeValue(use.instanceType)}; expected ${why.expected})`,
          );
      }
      if (typeof use.count === 'number' && !Token.isUnresolved(use.count) && use.count > max) {
        out.push(
          `${c.node.path}: ${use.field}.instanceCount: exceeds the environment's maximum (got ${use.count}; expected <= ${max})`,
        );
      }
    }
  }
  return out;
}

function disallowed(type: string, policy: InstancePolicy): { problem: string; expected: string } | undefined {
  const family = type.split('.')[1] ?? '';
  if (!policy.allowGpu && GPU_FAMILIES.includes(family)) {
    return {
      problem: 'GPU and accelerator instances are not allowed in this environment',
      expected: 'a CPU instance type, or allowGpu: true',
    };
  }
  const allowed = policy.allowedInstanceTypes;
  if (allowed && !allowed.some((pattern) => matches(pattern, type))) {
    return { problem: 'is not in the instance allowlist', expected: `one of ${allowed.join(', ')}` };
  }
  return undefined;
}

function matches(pattern: string, type: string): boolean {
  return pattern.endsWith('.*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

function instanceUses(c: CfnResource): InstanceUse[] {
  const resolve = (v: unknown) => Stack.of(c).resolve(v);
  if (c instanceof sagemaker.CfnEndpointConfig) {
    const variants = [
      ...((resolve(c.productionVariants) as Array<Record<string, unknown>> | undefined) ?? []),
      ...((resolve(c.shadowProductionVariants) as Array<Record<string, unknown>> | undefined) ?? []),
    ];
    return variants.map((v, i) => ({
      field: `variants.${i}`,
      instanceType: v.instanceType ?? v.InstanceType,
      count: v.initialInstanceCount ?? v.InitialInstanceCount,
    }));
  }
  if (c instanceof sagemaker.CfnNotebookInstance) {
    return [{ field: 'notebook', instanceType: resolve(c.instanceType) }];
  }
  if (c instanceof sagemaker.CfnPipeline) {
    return pipelineUses(c);
  }
  return [];
}

/**
 * Instance types inside an inline pipeline definition: training and processing steps (nested
 * Condition steps included), with pipeline parameters read at their default values. The
 * definition is parsed the way the MLOps pack parses it, so bodies built with `Fn::Join` around
 * references count too.
 */
function pipelineUses(pipeline: sagemaker.CfnPipeline): InstanceUse[] {
  const steps = checkablePipelineSteps(pipeline) ?? [];
  const parameters = pipelineParameters(pipeline);
  const uses: InstanceUse[] = [];
  for (const step of steps) {
    const processing = step.args.ProcessingResources as { ClusterConfig?: unknown } | undefined;
    const rc = (step.args.ResourceConfig ?? processing?.ClusterConfig) as
      { InstanceType?: unknown; InstanceCount?: unknown } | undefined;
    if (!rc) continue;
    uses.push({
      field: `steps.${step.name}`,
      instanceType: argValue(rc.InstanceType, parameters),
      count: argValue(rc.InstanceCount, parameters),
    });
  }
  return uses;
}
