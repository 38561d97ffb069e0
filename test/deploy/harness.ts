import { createHash } from 'node:crypto';
import { App } from 'aws-cdk-lib';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { DEFAULT_CONFIG } from '../../examples/reference-app/config';
import { buildPlatform } from '../../examples/reference-app/platform-app';

/**
 * The authorization proof's model of the synthesized reference app: every template with its
 * intrinsics resolved to deterministic values, the identity policies of each role, the resource
 * policies of each key, bucket, queue, topic, function and repository, and the VPC endpoint
 * policies. {@link ReferenceModel.can} evaluates one request with `@cloud-copilot/iam-simulate`
 * (identity + resource + VPC endpoint policies, KMS key-policy trust, all condition operators).
 *
 * Physical names CloudFormation would generate are faked deterministically
 * (`<stack>-<logicalid>` in the casing each service allows); ARNs follow each service's format.
 */

/** A CloudFormation template as synthesized. */
interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/** An IAM policy document (resolved). */
export interface PolicyDocument {
  Version?: string;
  Statement: Record<string, unknown>[];
}

/** A named policy: `label` names it in decisions (logical id without its hash). */
export interface NamedPolicy {
  readonly label: string;
  readonly document: PolicyDocument;
}

/** Who makes a request. */
export type Actor =
  /** A role of the app, by logical id without its 8-hex hash, optionally `<stack>/<name>`. */
  | { readonly role: string }
  /** An AWS service principal acting for itself (`cloudtrail.amazonaws.com`). */
  | { readonly service: string }
  /** A principal outside the app's templates, with the identity policies given here. */
  | { readonly external: string; readonly arn: string; readonly policies: readonly NamedPolicy[] };

/** Options of one evaluated request. */
export interface RequestOptions {
  /** Request context keys the service sends, beyond the defaults {@link ReferenceModel.can} adds. */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** VPC endpoints the request goes through, by logical id without hash (`NetworkS3`). */
  readonly via?: readonly string[];
  /**
   * The resource policy of a resource outside the app (an AWS-owned bucket, say). Without it the
   * app's own policy of the resource applies, or none.
   */
  readonly resourcePolicy?: PolicyDocument;
  /** The account that owns the resource. @default - from the ARN, else the app's account */
  readonly resourceAccount?: string;
}

/** One decision, with the statements that decided it. */
export interface Decision {
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
  /** `policy#sid` (or `policy#<index>`) of every matching Allow, identity and resource side. */
  readonly allowedBy: readonly string[];
  /** `policy#sid` of every matching Deny. */
  readonly deniedBy: readonly string[];
  /** Policy types that blocked an otherwise allowed request (`vpce`, `resource`, …). */
  readonly blockedBy: readonly string[];
}

const ACCOUNT = DEFAULT_CONFIG.account;
const REGION = DEFAULT_CONFIG.region;
const PARTITION = 'aws';

/** Synthesizes the reference app once and returns its model. About 2 s. */
export function loadReferenceModel(): ReferenceModel {
  const app = new App();
  buildPlatform(app, DEFAULT_CONFIG, { packs: false });
  const assembly = app.synth();
  const templates: Record<string, Template> = {};
  for (const s of assembly.stacks) templates[s.stackName] = s.template as Template;
  return new ReferenceModel(templates);
}

/** The logical id without the 8-hex hash CDK appends. */
export function shortId(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

function hex(seed: string, n: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, n);
}

/** See the module comment. */
export class ReferenceModel {
  /** The account and region of the reference config. */
  public readonly account = ACCOUNT;
  public readonly region = REGION;

  private readonly byShort = new Map<string, { stack: string; id: string }[]>();
  private readonly exports = new Map<string, { stack: string; value: unknown }>();
  private readonly resolving = new Set<string>();

  public constructor(public readonly templates: Readonly<Record<string, Template>>) {
    for (const [stack, t] of Object.entries(templates)) {
      for (const id of Object.keys(t.Resources)) {
        const list = this.byShort.get(shortId(id)) ?? [];
        list.push({ stack, id });
        this.byShort.set(shortId(id), list);
      }
      for (const o of Object.values(t.Outputs ?? {})) {
        if (o.Export !== undefined)
          this.exports.set(String(this.resolve(stack, o.Export.Name)), { stack, value: o.Value });
      }
    }
  }

  /** Finds a resource by logical id without hash, `<stack>/<name>` when two stacks have one. */
  public find(name: string): { stack: string; id: string; type: string; props: Record<string, unknown> } {
    const [stackPart, short] = name.includes('/')
      ? (name.split('/', 2) as [string, string])
      : [undefined, name];
    const hits = (this.byShort.get(short) ?? []).filter(
      (h) => stackPart === undefined || h.stack === stackPart,
    );
    if (hits.length !== 1) {
      throw new Error(
        `${name}: ${hits.length === 0 ? 'no such resource' : `ambiguous (${hits.map((h) => h.stack).join(', ')})`}`,
      );
    }
    const { stack, id } = hits[0];
    const r = this.templates[stack].Resources[id];
    return { stack, id, type: r.Type, props: r.Properties ?? {} };
  }

  /** `Ref` of a resource, resolved. */
  public ref(name: string): string {
    const r = this.find(name);
    return String(this.resolve(r.stack, { Ref: r.id }));
  }

  /** `Fn::GetAtt` of a resource, resolved. */
  public att(name: string, attribute: string): string {
    const r = this.find(name);
    return String(this.resolve(r.stack, { 'Fn::GetAtt': [r.id, attribute] }));
  }

  /** A resolved property of a resource. */
  public prop(name: string, path: string): unknown {
    const r = this.find(name);
    let v: unknown = r.props;
    for (const p of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[p];
    return this.resolve(r.stack, v);
  }

  /** The ARN of a resource by type (bucket, role, key, queue, topic, log group without `:*`, …). */
  public arn(name: string): string {
    const r = this.find(name);
    switch (r.type) {
      case 'AWS::SNS::Topic':
        return this.ref(name);
      case 'AWS::Logs::LogGroup':
        return this.att(name, 'Arn').replace(/:\*$/, '');
      case 'AWS::SageMaker::Endpoint':
        return this.ref(name);
      default:
        return this.att(name, 'Arn');
    }
  }

  /** `arn:aws:s3:::<bucket>/<key>` of an app bucket. */
  public object(bucket: string, key: string): string {
    return `${this.arn(bucket)}/${key}`;
  }

  /** The ARN of a log stream in an app log group. */
  public logStream(logGroup: string, stream: string): string {
    return `${this.arn(logGroup)}:log-stream:${stream}`;
  }

  /** The identity policies of a role: inline, customer managed (attached in any stack). */
  public identityPolicies(roleName: string): NamedPolicy[] {
    const role = this.find(roleName);
    if (role.type !== 'AWS::IAM::Role') throw new Error(`${roleName}: not a role (${role.type})`);
    const roleArn = this.att(roleName, 'Arn');
    const out: NamedPolicy[] = [];
    for (const p of (role.props.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ??
      []) {
      out.push({
        label: `${shortId(role.id)}.${p.PolicyName}`,
        document: this.resolve(role.stack, p.PolicyDocument) as PolicyDocument,
      });
    }
    const attachedArns = (
      (this.resolve(role.stack, role.props.ManagedPolicyArns) as string[] | undefined) ?? []
    ).map(String);
    for (const [stack, t] of Object.entries(this.templates)) {
      for (const [id, r] of Object.entries(t.Resources)) {
        if (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') continue;
        const roles = ((this.resolve(stack, r.Properties?.Roles) as string[] | undefined) ?? []).map((n) =>
          this.roleArnByName(n),
        );
        const policyArn =
          r.Type === 'AWS::IAM::ManagedPolicy' ? String(this.resolve(stack, { Ref: id })) : undefined;
        if (roles.includes(roleArn) || (policyArn !== undefined && attachedArns.includes(policyArn))) {
          out.push({
            label: shortId(id),
            document: this.resolve(stack, r.Properties?.PolicyDocument) as PolicyDocument,
          });
        }
      }
    }
    // AWS managed policies (only the CDK custom-resource provider has one) are not modelled.
    return out;
  }

  /** The resource policy of an ARN: key, bucket (and its objects), queue, topic, function, repository. */
  public resourcePolicy(arn: string): NamedPolicy | undefined {
    for (const [stack, t] of Object.entries(this.templates)) {
      for (const [id, r] of Object.entries(t.Resources)) {
        const p = r.Properties ?? {};
        const label = shortId(id);
        switch (r.Type) {
          case 'AWS::KMS::Key':
            if (this.resolve(stack, { 'Fn::GetAtt': [id, 'Arn'] }) === arn)
              return { label, document: this.resolve(stack, p.KeyPolicy) as PolicyDocument };
            break;
          case 'AWS::S3::BucketPolicy': {
            const bucketArn = `arn:${PARTITION}:s3:::${String(this.resolve(stack, p.Bucket))}`;
            if (arn === bucketArn || arn.startsWith(`${bucketArn}/`))
              return { label, document: this.resolve(stack, p.PolicyDocument) as PolicyDocument };
            break;
          }
          case 'AWS::SQS::QueuePolicy': {
            const urls = (this.resolve(stack, p.Queues) as string[]).map(String);
            if (urls.some((u) => this.queueArnOfUrl(u) === arn))
              return { label, document: this.resolve(stack, p.PolicyDocument) as PolicyDocument };
            break;
          }
          case 'AWS::SNS::TopicPolicy':
            if ((this.resolve(stack, p.Topics) as string[]).includes(arn))
              return { label, document: this.resolve(stack, p.PolicyDocument) as PolicyDocument };
            break;
          case 'AWS::SNS::TopicInlinePolicy':
            if (this.resolve(stack, p.TopicArn) === arn)
              return { label, document: this.resolve(stack, p.PolicyDocument) as PolicyDocument };
            break;
          case 'AWS::IAM::Role':
            // The trust policy is the role's resource policy for sts:AssumeRole.
            if (this.resolve(stack, { 'Fn::GetAtt': [id, 'Arn'] }) === arn)
              return {
                label: `${label}.trust`,
                document: this.resolve(stack, p.AssumeRolePolicyDocument) as PolicyDocument,
              };
            break;
          case 'AWS::ECR::Repository':
            if (
              p.RepositoryPolicyText !== undefined &&
              this.resolve(stack, { 'Fn::GetAtt': [id, 'Arn'] }) === arn
            ) {
              const doc = this.resolve(stack, p.RepositoryPolicyText) as PolicyDocument;
              // Repository policies name no Resource: the repository is implied.
              return {
                label,
                document: { ...doc, Statement: doc.Statement.map((s) => ({ Resource: arn, ...s })) },
              };
            }
            break;
          default:
            break;
        }
      }
    }
    const lambda = this.lambdaPermissions(arn);
    if (lambda !== undefined) return lambda;
    return undefined;
  }

  /** The policy document of a VPC endpoint, by logical id without hash. */
  public endpointPolicy(name: string): NamedPolicy {
    const r = this.find(name);
    if (r.type !== 'AWS::EC2::VPCEndpoint') throw new Error(`${name}: not a VPC endpoint`);
    const resolved = this.resolve(r.stack, r.props.PolicyDocument) as PolicyDocument | undefined;
    // iam-simulate accepts only `"Principal": "*"` in endpoint policies; `{"AWS": "*"}` means the same.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
    const doc = resolved && {
      ...resolved,
      Statement: resolved.Statement.map((st) =>
        JSON.stringify(st.Principal) === '{"AWS":"*"}' ? { ...st, Principal: '*' } : st,
      ),
    };
    // An endpoint without a policy has the default full-access policy.
    return {
      label: shortId(r.id),
      document: doc ?? {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
      },
    };
  }

  /** The principal ARN a role's requests carry: an assumed-role session. */
  public sessionArn(roleName: string): string {
    const name = this.ref(roleName);
    return `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${name}/session`;
  }

  /**
   * Evaluates one request the way AWS does: identity policies of the actor, the resource policy of
   * the resource, the policies of the VPC endpoints it goes through.
   *
   * Defaults added to the context: `aws:SecureTransport=true`, `s3:TlsVersion=1.3`; for a service
   * principal `aws:PrincipalServiceName` and `aws:PrincipalIsAWSService=true`; for a principal of
   * an account `aws:PrincipalAccount`, `aws:PrincipalArn`, `kms:CallerAccount`.
   */
  public async can(
    actor: Actor,
    action: string,
    resource: string,
    options: RequestOptions = {},
  ): Promise<Decision> {
    const principal = this.principalOf(actor);
    const identity =
      'role' in actor ? this.identityPolicies(actor.role) : 'external' in actor ? [...actor.policies] : [];
    const resourcePolicy =
      options.resourcePolicy !== undefined
        ? { label: 'resource-policy', document: options.resourcePolicy }
        : this.resourcePolicy(resource);
    const endpoints = (options.via ?? []).map((e) => this.endpointPolicy(e));
    const principalAccount =
      'service' in actor ? undefined : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
    const context: Record<string, string | string[]> = {
      'aws:SecureTransport': 'true',
      // What AWS sets on every request a service principal makes for itself.
      ...('service' in actor
        ? { 'aws:PrincipalServiceName': actor.service, 'aws:PrincipalIsAWSService': 'true' }
        : {}),
      ...(action.startsWith('s3:') ? { 's3:TlsVersion': '1.3' } : {}),
      ...(principalAccount !== undefined
        ? {
            'aws:PrincipalAccount': principalAccount,
            'aws:PrincipalArn': 'role' in actor ? this.att(actor.role, 'Arn') : principal,
            ...(action.startsWith('kms:') ? { 'kms:CallerAccount': principalAccount } : {}),
          }
        : {}),
      ...options.context,
    };
    const simulation: Simulation = {
      request: {
        principal,
        action,
        resource: { resource, accountId: options.resourceAccount ?? this.accountOf(resource) },
        contextVariables: aliasContext(context),
      },
      identityPolicies: identity.map((p) => ({ name: p.label, policy: aliasPolicy(p.document) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy !== undefined ? { resourcePolicy: aliasPolicy(resourcePolicy.document) } : {}),
      ...(endpoints.length > 0
        ? { vpcEndpointPolicies: endpoints.map((e) => ({ name: e.label, policy: aliasPolicy(e.document) })) }
        : {}),
    };
    const response = await runSimulation(simulation, {});
    if (response.resultType === 'error') {
      throw new Error(`simulation of ${action} on ${resource} rejected: ${JSON.stringify(response.errors)}`);
    }
    const results = response.resultType === 'single' ? [response.result] : response.results;
    // A context key iam-simulate does not know for the action would silently never match: refuse.
    const ignored = [...new Set(results.flatMap((r) => r.ignoredContextKeys ?? []))].filter(
      (k) => !DEFAULT_KEYS.has(k),
    );
    if (ignored.length > 0)
      throw new Error(
        `${action} on ${resource}: context keys not applicable to the action: ${ignored.join(', ')}`,
      );
    const allowedBy = new Set<string>();
    const deniedBy = new Set<string>();
    const blockedBy = new Set<string>();
    type Analysis = { allowStatements: StatementLike[]; denyStatements: StatementLike[] } | undefined;
    const label = (fallback: string, s: StatementLike) =>
      `${s.policyId ?? fallback}#${s.statement.sid() ?? s.statement.index()}`;
    for (const r of results) {
      const a = r.analysis;
      const sides: [string, Analysis][] = [
        ['identity', a.identityAnalysis as Analysis],
        [resourcePolicy?.label ?? 'resource', a.resourceAnalysis as Analysis],
        ['vpce', a.endpointAnalysis as Analysis],
      ];
      for (const [name, side] of sides) {
        for (const s of side?.allowStatements ?? []) allowedBy.add(label(name, s));
        for (const s of side?.denyStatements ?? []) deniedBy.add(label(name, s));
      }
      for (const b of a.blockedBy ?? []) blockedBy.add(b);
    }
    return {
      result: response.overallResult,
      allowedBy: [...allowedBy],
      deniedBy: [...deniedBy],
      blockedBy: [...blockedBy],
    };
  }

  /** The request principal string of an actor. */
  public principalOf(actor: Actor): string {
    if ('role' in actor) return this.sessionArn(actor.role);
    if ('service' in actor) return actor.service;
    return actor.arn;
  }

  /** A human label of an actor (matrix rows). */
  public labelOf(actor: Actor): string {
    if ('role' in actor) return `role ${actor.role}`;
    if ('service' in actor) return actor.service;
    return actor.external;
  }

  private accountOf(arn: string): string {
    const account = arn.split(':')[4];
    return account !== undefined && /^\d{12}$/.test(account) ? account : ACCOUNT;
  }

  private roleArnByName(name: string): string {
    return `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`;
  }

  private queueArnOfUrl(url: string): string {
    const m = /^https:\/\/sqs\.([^.]+)\.amazonaws\.com\/(\d{12})\/(.+)$/.exec(url);
    if (m === null) throw new Error(`not a queue URL: ${url}`);
    return `arn:${PARTITION}:sqs:${m[1]}:${m[2]}:${m[3]}`;
  }

  /** AWS::Lambda::Permission resources of a function, as the function policy Lambda builds from them. */
  private lambdaPermissions(arn: string): NamedPolicy | undefined {
    const statements: Record<string, unknown>[] = [];
    for (const [stack, t] of Object.entries(this.templates)) {
      for (const [id, r] of Object.entries(t.Resources)) {
        if (r.Type !== 'AWS::Lambda::Permission') continue;
        const p = this.resolve(stack, r.Properties) as Record<string, string>;
        const fn = p.FunctionName.startsWith('arn:')
          ? p.FunctionName
          : `arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${p.FunctionName}`;
        if (fn !== arn) continue;
        const condition: Record<string, Record<string, string>> = {};
        if (p.SourceArn !== undefined) condition.ArnLike = { 'aws:SourceArn': p.SourceArn };
        if (p.SourceAccount !== undefined) condition.StringEquals = { 'aws:SourceAccount': p.SourceAccount };
        const principal = p.Principal.endsWith('.amazonaws.com')
          ? { Service: p.Principal }
          : { AWS: p.Principal };
        statements.push({
          Sid: shortId(id),
          Effect: 'Allow',
          Principal: principal,
          Action: p.Action,
          Resource: arn,
          ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
        });
      }
    }
    return statements.length === 0
      ? undefined
      : { label: 'function-policy', document: { Version: '2012-10-17', Statement: statements } };
  }

  /** Resolves intrinsics in a template value of one stack. */
  public resolve(stack: string, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(stack, v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = obj[k];
      switch (k) {
        case 'Ref':
          return this.refOf(stack, String(arg));
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.', 2);
          return this.getAtt(stack, id, attr);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(stack, parts) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          return (this.resolve(stack, list) as unknown[])[Number(this.resolve(stack, index))];
        }
        case 'Fn::Split': {
          const [sep, source] = arg as [string, unknown];
          return String(this.resolve(stack, source)).split(sep);
        }
        case 'Fn::Sub':
          return this.sub(stack, arg);
        case 'Fn::ImportValue': {
          const name = String(this.resolve(stack, arg));
          const exp = this.exports.get(name);
          if (exp === undefined) throw new Error(`${stack}: no export named ${name}`);
          return this.resolve(exp.stack, exp.value);
        }
        case 'Fn::If':
        case 'Fn::FindInMap':
        case 'Fn::GetAZs':
        case 'Fn::Base64':
        case 'Fn::Cidr':
          throw new Error(`${stack}: ${k} is not modelled by the authorization proof`);
        default:
          break;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const r = this.resolve(stack, v);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private sub(stack: string, arg: unknown): string {
    const [template, vars] = Array.isArray(arg)
      ? (arg as [string, Record<string, unknown>])
      : [String(arg), {}];
    return template.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      if (name in vars) return String(this.resolve(stack, vars[name]));
      if (name.includes('.')) {
        const [id, attr] = name.split('.', 2);
        return String(this.getAtt(stack, id, attr));
      }
      return String(this.refOf(stack, name));
    });
  }

  private refOf(stack: string, id: string): unknown {
    switch (id) {
      case 'AWS::Partition':
        return PARTITION;
      case 'AWS::Region':
        return REGION;
      case 'AWS::AccountId':
        return ACCOUNT;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack;
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return this.getAtt(stack, id, REF);
    }
  }

  private getAtt(stack: string, id: string, attr: string): unknown {
    const r = this.templates[stack]?.Resources[id];
    if (r === undefined) throw new Error(`${stack}: no resource ${id}`);
    const key = `${stack}/${id}/${attr}`;
    if (this.resolving.has(key)) throw new Error(`${key}: circular reference`);
    this.resolving.add(key);
    try {
      return this.attribute(stack, id, r.Type, r.Properties ?? {}, attr);
    } finally {
      this.resolving.delete(key);
    }
  }

  /** Ref and attributes per resource type, as CloudFormation documents them. */
  private attribute(
    stack: string,
    id: string,
    type: string,
    props: Record<string, unknown>,
    attr: string,
  ): unknown {
    const named = (prop: string, fallback: string) =>
      props[prop] !== undefined ? String(this.resolve(stack, props[prop])) : fallback;
    const generated = `${stack}-${id}`;
    const arn = (service: string, rest: string, region = REGION) =>
      `arn:${PARTITION}:${service}:${region}:${ACCOUNT}:${rest}`;
    const unknown = () => {
      throw new Error(`${stack}/${id}: ${type} attribute ${attr} is not modelled by the authorization proof`);
    };
    switch (type) {
      case 'AWS::S3::Bucket': {
        const name = named('BucketName', generated.toLowerCase().slice(0, 63));
        return attr === REF
          ? name
          : attr === 'Arn'
            ? `arn:${PARTITION}:s3:::${name}`
            : attr === 'DomainName'
              ? `${name}.s3.amazonaws.com`
              : unknown();
      }
      case 'AWS::IAM::Role': {
        const name = named('RoleName', generated.slice(0, 64));
        return attr === REF
          ? name
          : attr === 'Arn'
            ? `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`
            : attr === 'RoleId'
              ? `AROA${hex(key(stack, id), 17).toUpperCase()}`
              : unknown();
      }
      case 'AWS::IAM::ManagedPolicy': {
        const name = named('ManagedPolicyName', generated.slice(0, 128));
        return attr === REF || attr === 'PolicyArn'
          ? `arn:${PARTITION}:iam::${ACCOUNT}:policy/${name}`
          : unknown();
      }
      case 'AWS::KMS::Key': {
        const h = hex(key(stack, id), 32);
        const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
        return attr === REF || attr === 'KeyId'
          ? keyId
          : attr === 'Arn'
            ? arn('kms', `key/${keyId}`)
            : unknown();
      }
      case 'AWS::SQS::Queue': {
        const name = named('QueueName', generated.slice(0, 80));
        const url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
        return attr === REF || attr === 'QueueUrl'
          ? url
          : attr === 'Arn'
            ? arn('sqs', name)
            : attr === 'QueueName'
              ? name
              : unknown();
      }
      case 'AWS::SNS::Topic': {
        const name = named('TopicName', generated.slice(0, 256));
        return attr === REF || attr === 'TopicArn'
          ? arn('sns', name)
          : attr === 'TopicName'
            ? name
            : unknown();
      }
      case 'AWS::Logs::LogGroup': {
        const name = named('LogGroupName', generated);
        return attr === REF ? name : attr === 'Arn' ? arn('logs', `log-group:${name}:*`) : unknown();
      }
      case 'AWS::Lambda::Function': {
        const name = named('FunctionName', generated.slice(0, 64));
        return attr === REF ? name : attr === 'Arn' ? arn('lambda', `function:${name}`) : unknown();
      }
      case 'AWS::Events::Rule': {
        const name = named('Name', generated.slice(0, 64));
        return attr === REF ? name : attr === 'Arn' ? arn('events', `rule/${name}`) : unknown();
      }
      case 'AWS::Scheduler::Schedule': {
        const name = named('Name', generated.slice(0, 64));
        return attr === REF
          ? name
          : attr === 'Arn'
            ? arn('scheduler', `schedule/default/${name}`)
            : unknown();
      }
      case 'AWS::CloudWatch::Alarm': {
        const name = named('AlarmName', generated);
        return attr === REF ? name : attr === 'Arn' ? arn('cloudwatch', `alarm:${name}`) : unknown();
      }
      case 'AWS::CloudTrail::Trail': {
        const name = named('TrailName', generated.slice(0, 128));
        return attr === REF ? name : attr === 'Arn' ? arn('cloudtrail', `trail/${name}`) : unknown();
      }
      case 'AWS::ECR::Repository': {
        const name = named('RepositoryName', generated.toLowerCase());
        return attr === REF
          ? name
          : attr === 'Arn'
            ? arn('ecr', `repository/${name}`)
            : attr === 'RepositoryUri'
              ? `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`
              : unknown();
      }
      case 'AWS::SageMaker::Model': {
        const name = named('ModelName', `${id}-${hex(key(stack, id), 8)}`);
        return attr === REF
          ? arn('sagemaker', `model/${name.toLowerCase()}`)
          : attr === 'ModelName'
            ? name
            : unknown();
      }
      case 'AWS::SageMaker::EndpointConfig': {
        const name = named('EndpointConfigName', `${id}-${hex(key(stack, id), 8)}`);
        return attr === REF
          ? arn('sagemaker', `endpoint-config/${name.toLowerCase()}`)
          : attr === 'EndpointConfigName'
            ? name
            : unknown();
      }
      case 'AWS::SageMaker::Endpoint': {
        const name = named('EndpointName', `${id}-${hex(key(stack, id), 8)}`);
        return attr === REF
          ? arn('sagemaker', `endpoint/${name.toLowerCase()}`)
          : attr === 'EndpointName'
            ? name
            : unknown();
      }
      case 'AWS::SageMaker::Pipeline': {
        const name = named('PipelineName', generated);
        return attr === REF
          ? name
          : attr === 'PipelineArn'
            ? arn('sagemaker', `pipeline/${name.toLowerCase()}`)
            : unknown();
      }
      case 'AWS::SageMaker::ModelPackageGroup': {
        const name = named('ModelPackageGroupName', generated);
        return attr === REF || attr === 'ModelPackageGroupArn'
          ? arn('sagemaker', `model-package-group/${name}`)
          : unknown();
      }
      case 'AWS::SageMaker::FeatureGroup': {
        const name = named('FeatureGroupName', generated);
        return attr === REF || attr === 'FeatureGroupName' ? name : unknown();
      }
      case 'AWS::WAFv2::WebACL': {
        const name = named('Name', generated);
        const aclId = hex(key(stack, id), 36);
        return attr === 'Arn'
          ? arn('wafv2', `regional/webacl/${name}/${aclId}`)
          : attr === 'Id'
            ? aclId
            : attr === REF
              ? `${name}|${aclId}|REGIONAL`
              : unknown();
      }
      case 'AWS::EC2::VPC':
        return attr === REF || attr === 'VpcId'
          ? `vpc-${hex(key(stack, id), 17)}`
          : attr === 'DefaultSecurityGroup'
            ? `sg-${hex(`${key(stack, id)}/default`, 17)}`
            : unknown();
      case 'AWS::EC2::SecurityGroup':
        return attr === REF || attr === 'GroupId' ? `sg-${hex(key(stack, id), 17)}` : unknown();
      case 'AWS::EC2::Subnet':
        return attr === REF || attr === 'SubnetId' ? `subnet-${hex(key(stack, id), 17)}` : unknown();
      case 'AWS::EC2::RouteTable':
        return attr === REF ? `rtb-${hex(key(stack, id), 17)}` : unknown();
      case 'AWS::EC2::VPCEndpoint':
        return attr === REF || attr === 'Id' ? `vpce-${hex(key(stack, id), 17)}` : unknown();
      case 'AWS::ApiGateway::RestApi':
        return attr === REF
          ? hex(key(stack, id), 10)
          : attr === 'RootResourceId'
            ? hex(`${key(stack, id)}/root`, 10)
            : unknown();
      case 'AWS::Glue::Database':
        return attr === REF
          ? String((this.resolve(stack, props.DatabaseInput) as { Name?: string }).Name ?? id.toLowerCase())
          : unknown();
      default:
        // Anything else only needs an opaque, stable Ref (deployment ids, stage names, …).
        return attr === REF ? `${id.toLowerCase()}-${hex(key(stack, id), 8)}` : unknown();
    }
  }
}

/** The subset of iam-simulate's StatementAnalysis the decisions read. */
interface StatementLike {
  policyId?: string;
  statement: { sid(): string | undefined; index(): number };
}

const REF = '$ref';

/** Context keys added to every request; the ones not applicable to an action are dropped quietly. */
const DEFAULT_KEYS = new Set([
  'aws:SecureTransport',
  's3:TlsVersion',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'kms:CallerAccount',
  'aws:PrincipalServiceName',
  'aws:PrincipalIsAWSService',
]);

/**
 * iam-simulate 0.1.173 drops request context keys whose variable part follows a colon
 * (`kms:EncryptionContext:aws:logs:arn`: it matches variable keys only after a `/`), so a
 * condition on them could never match. The harness renames them, in the request and in every
 * policy alike, to the global variable key `aws:RequestTag/kms:EncryptionContext:<key>`, which it
 * keeps; the operators and values are untouched, so the decision is the same. No policy of the app
 * uses `aws:RequestTag`.
 */
const EC_PREFIX = 'kms:encryptioncontext:';
const EC_ALIAS = 'aws:RequestTag/kms:EncryptionContext:';

function aliasKey(key: string): string {
  return key.toLowerCase().startsWith(EC_PREFIX) ? `${EC_ALIAS}${key.slice(EC_PREFIX.length)}` : key;
}

function aliasContext(context: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(context).map(([k, v]) => [aliasKey(k), v]));
}

function aliasPolicy(doc: PolicyDocument): PolicyDocument {
  return {
    ...doc,
    Statement: doc.Statement.map((st) => {
      const condition = st.Condition as Record<string, Record<string, unknown>> | undefined;
      if (condition === undefined) return st;
      const renamed = Object.fromEntries(
        Object.entries(condition).map(([op, keys]) => [
          op,
          Object.fromEntries(Object.entries(keys).map(([k, v]) => [aliasKey(k), v])),
        ]),
      );
      return { ...st, Condition: renamed };
    }),
  };
}
const NO_VALUE = Symbol('AWS::NoValue');

function key(stack: string, id: string): string {
  return `${stack}/${id}`;
}
