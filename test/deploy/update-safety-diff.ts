import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';

/**
 * Update and retry safety of synthesized templates, on top of `@aws-cdk/cloudformation-diff` (the
 * diff engine behind `cdk diff`), whose per-property replacement data comes from the CloudFormation
 * resource specification.
 *
 * CloudFormation refuses an update that replaces a custom-named resource unless the name changes
 * too ("CloudFormation cannot update a stack when a custom-named resource requires replacing"):
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 *
 * A resource whose DeletionPolicy is `Retain` survives the rollback of the create that made it, so a
 * fixed name makes the retry fail with "already exists"; `RetainExceptOnCreate`
 * (`RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE`) deletes what a failed create made:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */

/** A synthesized CloudFormation template (the parts this module reads). */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
  readonly [key: string]: unknown;
}

/** One resource of a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly [key: string]: unknown;
}

/**
 * The properties that make up each resource type's physical identity: its custom name, plus the
 * parent the name is unique within where there is one (a stage within its API, a policy within its
 * scalable target). `[]` marks a type without a custom name (CloudFormation generates its physical
 * ID, so a replacement can never collide). Every type the tests synthesize must be listed: a new
 * type fails {@link unclassifiedTypes} until someone decides which property names it.
 *
 * Names that are not unique (REST API, usage plan, request validator names) are not identities.
 */
export const PHYSICAL_IDENTITY: Readonly<Record<string, readonly string[]>> = {
  'AWS::ApiGateway::Account': [],
  'AWS::ApiGateway::ApiKey': [],
  'AWS::ApiGateway::ClientCertificate': [],
  'AWS::ApiGateway::Deployment': [],
  'AWS::ApiGateway::Method': ['RestApiId', 'ResourceId', 'HttpMethod'],
  'AWS::ApiGateway::Model': ['RestApiId', 'Name'],
  'AWS::ApiGateway::RequestValidator': [],
  'AWS::ApiGateway::Resource': ['ParentId', 'PathPart'],
  'AWS::ApiGateway::RestApi': [],
  'AWS::ApiGateway::Stage': ['RestApiId', 'StageName'],
  'AWS::ApiGateway::UsagePlan': [],
  'AWS::ApiGateway::UsagePlanKey': ['UsagePlanId', 'KeyId'],
  'AWS::ApplicationAutoScaling::ScalableTarget': ['ServiceNamespace', 'ResourceId', 'ScalableDimension'],
  // Unique within its scalable target: named by ScalingTargetId or by the three ids of the target.
  'AWS::ApplicationAutoScaling::ScalingPolicy': [
    'PolicyName',
    'ScalingTargetId',
    'ServiceNamespace',
    'ResourceId',
    'ScalableDimension',
  ],
  'AWS::ApplicationAutoScaling::ScheduledAction': [
    'ScheduledActionName',
    'ServiceNamespace',
    'ResourceId',
    'ScalableDimension',
  ],
  'AWS::Budgets::Budget': ['Budget.BudgetName'],
  'AWS::Chatbot::MicrosoftTeamsChannelConfiguration': ['ConfigurationName'],
  'AWS::Chatbot::SlackChannelConfiguration': ['ConfigurationName'],
  'AWS::CloudTrail::Trail': ['TrailName'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::CloudWatch::CompositeAlarm': ['AlarmName'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::EC2::FlowLog': [],
  'AWS::EC2::InternetGateway': [],
  'AWS::EC2::Route': [],
  'AWS::EC2::RouteTable': [],
  'AWS::EC2::SecurityGroup': ['GroupName', 'VpcId'],
  'AWS::EC2::SecurityGroupEgress': [],
  'AWS::EC2::SecurityGroupIngress': [],
  'AWS::EC2::Subnet': [],
  'AWS::EC2::SubnetRouteTableAssociation': [],
  'AWS::EC2::VPC': [],
  'AWS::EC2::VPCEndpoint': [],
  'AWS::ECR::Repository': ['RepositoryName'],
  'AWS::Events::Rule': ['Name', 'EventBusName'],
  'AWS::Glue::Database': ['CatalogId', 'DatabaseInput.Name'],
  'AWS::Glue::Table': ['CatalogId', 'DatabaseName', 'TableInput.Name'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::IAM::Policy': [],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::KMS::Key': [],
  'AWS::Lambda::EventInvokeConfig': ['FunctionName', 'Qualifier'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::Lambda::Permission': [],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::Logs::MetricFilter': ['FilterName', 'LogGroupName'],
  'AWS::Logs::SubscriptionFilter': ['FilterName', 'LogGroupName'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::S3::BucketPolicy': [],
  'AWS::SageMaker::Endpoint': ['EndpointName'],
  'AWS::SageMaker::EndpointConfig': ['EndpointConfigName'],
  'AWS::SageMaker::FeatureGroup': ['FeatureGroupName'],
  'AWS::SageMaker::Model': ['ModelName'],
  'AWS::SageMaker::ModelPackageGroup': ['ModelPackageGroupName'],
  'AWS::SageMaker::NotebookInstanceLifecycleConfig': ['NotebookInstanceLifecycleConfigName'],
  'AWS::SageMaker::Pipeline': ['PipelineName'],
  'AWS::Scheduler::Schedule': ['Name', 'GroupName'],
  'AWS::Scheduler::ScheduleGroup': ['Name'],
  'AWS::SNS::Subscription': [],
  'AWS::SSMIncidents::ResponsePlan': ['Name'],
  'AWS::Synthetics::Canary': ['Name'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SNS::TopicPolicy': [],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::SQS::QueuePolicy': [],
  'AWS::WAFv2::LoggingConfiguration': [],
  'AWS::WAFv2::WebACL': ['Name', 'Scope'],
  'AWS::WAFv2::WebACLAssociation': [],
  'Custom::VpcRestrictDefaultSG': [],
};

/** The name property of each identity: the first path of {@link PHYSICAL_IDENTITY} (the one that must be set for a fixed name). */
function namePath(type: string): string | undefined {
  return PHYSICAL_IDENTITY[type]?.[0];
}

function valueAt(properties: Record<string, unknown> | undefined, path: string): unknown {
  let current: unknown = properties;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Resource types of a template that {@link PHYSICAL_IDENTITY} does not classify. */
export function unclassifiedTypes(template: CfnTemplate): string[] {
  const types = Object.values(template.Resources ?? {}).map((r) => r.Type);
  return [...new Set(types.filter((t) => !(t in PHYSICAL_IDENTITY)))].sort();
}

/** A resource an update would replace under the name it already has. */
export interface UnsafeReplacement {
  readonly logicalId: string;
  readonly type: string;
  /** The name property and its (unchanged) value. */
  readonly name: string;
  /** The properties whose change forces the replacement, with the replaced resources they reference. */
  readonly causes: readonly string[];
}

/** A retained resource with a fixed name: it survives a failed create's rollback and blocks the retry. */
export interface RetryBlocker {
  readonly logicalId: string;
  readonly type: string;
  readonly name: string;
  readonly deletionPolicy: string;
}

const REPLACED = '(replaced)';

/**
 * Rewrites, in place, every reference to one of `ids` (Ref, Fn::GetAtt, `${Id}` and `${Id.Attr}` in
 * Fn::Sub, at any depth and inside any intrinsic): a replaced resource gets a new physical ID, so
 * whatever references it changes too. The diff engine's own propagation stops at the first
 * intrinsic (a Ref inside Fn::Join or Fn::Sub is not followed), which would hide replacements.
 */
function markReferences(value: unknown, ids: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => markReferences(v, ids));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [key] = keys;
    const arg = obj[key];
    if (key === 'Ref' && typeof arg === 'string' && ids.has(arg)) return { Ref: `${arg}${REPLACED}` };
    if (key === 'Fn::GetAtt') {
      const parts = typeof arg === 'string' ? arg.split('.') : (arg as unknown[]);
      if (Array.isArray(parts) && typeof parts[0] === 'string' && ids.has(parts[0])) {
        return {
          'Fn::GetAtt': [`${parts[0]}${REPLACED}`, ...parts.slice(1).map((p) => markReferences(p, ids))],
        };
      }
    }
    if (key === 'Fn::Sub') {
      const sub = (s: string) =>
        s.replace(/\$\{([^!}][^}.]*)((?:\.[^}]*)?)\}/g, (m, id: string, attr: string) =>
          ids.has(id) ? `\${${id}${REPLACED}${attr}}` : m,
        );
      if (typeof arg === 'string') return { 'Fn::Sub': sub(arg) };
      if (Array.isArray(arg) && typeof arg[0] === 'string')
        return { 'Fn::Sub': [sub(arg[0]), markReferences(arg[1], ids)] };
    }
  }
  return Object.fromEntries(keys.map((k) => [k, markReferences(obj[k], ids)]));
}

function replacedIds(before: CfnTemplate, after: CfnTemplate): Map<string, string[]> {
  const out = new Map<string, string[]>();
  fullDiff(before, after).resources.forEachDifference((logicalId, change) => {
    if (change.isAddition || change.isRemoval) return;
    if (
      change.changeImpact !== ResourceImpact.WILL_REPLACE &&
      change.changeImpact !== ResourceImpact.MAY_REPLACE
    )
      return;
    const causes: string[] = [];
    for (const [property, diff] of Object.entries(change.propertyUpdates)) {
      if (
        diff.changeImpact === ResourceImpact.WILL_REPLACE ||
        diff.changeImpact === ResourceImpact.MAY_REPLACE
      ) {
        causes.push(
          diff.changeImpact === ResourceImpact.MAY_REPLACE ? `${property} (may replace)` : property,
        );
      }
    }
    if (change.resourceTypeChanged) causes.push('Type');
    out.set(logicalId, causes);
  });
  return out;
}

/**
 * The template `after` as CloudFormation would see it once every replacement has happened: each
 * reference to a replaced resource marked as changed, repeated until no further resource is
 * replaced. Returns the marked template and the replaced resources with their causes.
 */
export function propagateReplacements(
  before: CfnTemplate,
  after: CfnTemplate,
): { template: CfnTemplate; replaced: Map<string, string[]> } {
  let template = after;
  let marked = new Set<string>();
  for (;;) {
    const replaced = replacedIds(before, template);
    const next = new Set([...marked, ...replaced.keys()]);
    if (next.size === marked.size) return { template, replaced };
    marked = next;
    template = {
      ...after,
      Resources: markReferences(after.Resources, marked) as Record<string, CfnResourceJson>,
      Outputs: markReferences(after.Outputs, marked) as CfnTemplate['Outputs'],
    };
  }
}

function referencedReplaced(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.endsWith(REPLACED)) found.add(v.slice(0, -REPLACED.length));
      for (const m of v.matchAll(/\$\{([^}.]+)\(replaced\)/g)) found.add(m[1]);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return [...found].sort();
}

/**
 * The resources that updating a stack from `before` to `after` would replace while keeping their
 * custom name: CloudFormation refuses such an update. A replacement whose identity (name, or the
 * parent the name is unique within) changes too is safe, and so is a resource without a name.
 */
export function unsafeReplacements(before: CfnTemplate, after: CfnTemplate): UnsafeReplacement[] {
  const { template, replaced } = propagateReplacements(before, after);
  const out: UnsafeReplacement[] = [];
  for (const [logicalId, causes] of replaced) {
    const old = before.Resources?.[logicalId];
    const now = template.Resources?.[logicalId];
    if (!old || !now || old.Type !== now.Type) continue;
    const identity = PHYSICAL_IDENTITY[old.Type] ?? [];
    const name = namePath(old.Type);
    if (!name || valueAt(old.Properties, name) === undefined) continue; // generated by CloudFormation
    const same = identity.every(
      (path) =>
        JSON.stringify(valueAt(old.Properties, path)) === JSON.stringify(valueAt(now.Properties, path)),
    );
    if (!same) continue;
    out.push({
      logicalId,
      type: old.Type,
      name: `${name}=${JSON.stringify(valueAt(old.Properties, name))}`,
      causes: causes.map((c) => {
        const via = referencedReplaced(now.Properties?.[c.replace(/ \(may replace\)$/, '')]);
        return via.length > 0 ? `${c} (references replaced ${via.join(', ')})` : c;
      }),
    });
  }
  // A resource whose logical ID changes is created anew before the old one is deleted, so a name
  // that stays the same collides too ("already exists").
  const removed = Object.entries(before.Resources ?? {}).filter(([id]) => !template.Resources?.[id]);
  for (const [logicalId, now] of Object.entries(template.Resources ?? {})) {
    if (before.Resources?.[logicalId]) continue;
    const name = namePath(now.Type);
    if (!name || valueAt(now.Properties, name) === undefined) continue;
    const identity = PHYSICAL_IDENTITY[now.Type] ?? [];
    const key = (props: Record<string, unknown> | undefined) =>
      JSON.stringify(identity.map((path) => valueAt(props, path)));
    const twin = removed.find(
      ([, old]) => old.Type === now.Type && key(old.Properties) === key(now.Properties),
    );
    if (twin) {
      out.push({
        logicalId,
        type: now.Type,
        name: `${name}=${JSON.stringify(valueAt(now.Properties, name))}`,
        causes: [`logical ID changed from ${twin[0]}`],
      });
    }
  }
  return out.sort((a, b) => a.logicalId.localeCompare(b.logicalId));
}

/** Whether a name is fixed: set, and built only from literals, parameters and pseudo parameters (no other resource's generated ID). */
function isFixedName(value: unknown, resources: Record<string, unknown>): boolean {
  if (value === undefined) return false;
  let fixed = true;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const obj = v as Record<string, unknown>;
    if (typeof obj.Ref === 'string' && obj.Ref in resources) fixed = false;
    if ('Fn::GetAtt' in obj) {
      const arg = obj['Fn::GetAtt'];
      const id = typeof arg === 'string' ? arg.split('.')[0] : Array.isArray(arg) ? arg[0] : undefined;
      if (typeof id === 'string' && id in resources) fixed = false;
    }
    if ('Fn::Sub' in obj) {
      const arg = obj['Fn::Sub'];
      const text =
        typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : '';
      for (const m of text.matchAll(/\$\{([^!}][^}.]*)/g)) if (m[1] in resources) fixed = false;
    }
    // An imported value is another stack's resource: fixed for as long as that one stays.
    Object.values(obj).forEach(walk);
  };
  walk(value);
  return fixed;
}

/**
 * Resources that a failed, rolled-back first create would leave behind and that would make the
 * retry fail with "already exists": DeletionPolicy `Retain` (not `RetainExceptOnCreate`) on a
 * resource whose name is fixed.
 */
export function retryBlockers(template: CfnTemplate): RetryBlocker[] {
  const resources = template.Resources ?? {};
  const out: RetryBlocker[] = [];
  for (const [logicalId, r] of Object.entries(resources)) {
    if (r.DeletionPolicy !== 'Retain') continue;
    const name = namePath(r.Type);
    if (!name) continue;
    const value = valueAt(r.Properties, name);
    if (!isFixedName(value, resources)) continue;
    out.push({
      logicalId,
      type: r.Type,
      name: `${name}=${JSON.stringify(value)}`,
      deletionPolicy: r.DeletionPolicy,
    });
  }
  return out.sort((a, b) => a.logicalId.localeCompare(b.logicalId));
}

/** One line per finding, for assertion messages that name the resource. */
export function describeUnsafe(u: UnsafeReplacement): string {
  return `${u.logicalId} (${u.type}) replaced under the same ${u.name}, forced by ${u.causes.join('; ')}`;
}

/** An exported value that an update would change while another stack imports it. */
export interface ChangedExportInUse {
  readonly stackName: string;
  readonly exportName: string;
  readonly importedBy: readonly string[];
}

/**
 * Exports whose value changes (directly, or because the resource behind it is replaced) while
 * another stack of the app imports them: CloudFormation refuses to update an export in use
 * ("Cannot update export ... as it is in use by ..."), so the exporting stack's update fails.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html
 */
export function changedExportsInUse(
  before: Record<string, CfnTemplate>,
  after: Record<string, CfnTemplate>,
): ChangedExportInUse[] {
  const importers = (name: string): string[] =>
    Object.entries(before)
      .filter(([, t]) =>
        JSON.stringify(t.Resources ?? {}).includes(JSON.stringify({ 'Fn::ImportValue': name })),
      )
      .map(([stackName]) => stackName);
  const out: ChangedExportInUse[] = [];
  for (const [stackName, old] of Object.entries(before)) {
    const now = after[stackName];
    if (!now) continue;
    const { template } = propagateReplacements(old, now);
    for (const [outputId, output] of Object.entries(old.Outputs ?? {})) {
      const exportName = output.Export?.Name;
      if (typeof exportName !== 'string') continue;
      const next = Object.values(template.Outputs ?? {}).find((o) => o.Export?.Name === exportName);
      if (next && JSON.stringify(next.Value) === JSON.stringify(output.Value)) continue;
      const importedBy = importers(exportName).filter((s) => s !== stackName);
      if (importedBy.length > 0)
        out.push({ stackName, exportName: `${exportName} (${outputId})`, importedBy });
    }
  }
  return out;
}
