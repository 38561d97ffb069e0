import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { z } from 'zod';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { describeValue, PropsProblem, throwIfProblems, validateProps } from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import {
  DEFAULT_BURST_LIMIT,
  DEFAULT_INTEGRATION_TIMEOUT,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_QUOTA_PER_DAY,
  DEFAULT_RATE_LIMIT,
  DEFAULT_STAGE_NAME,
  physicalNameFor,
  WAF_MAX_BODY_INSPECTION_BYTES,
} from './defaults';
import { InferenceApiProps, inferenceApiSchema } from './inference-api-props';
import { environmentDifference, IIsolatedEndpoint } from './isolated-endpoint';
import { ApiGatewayAccount, IApiGatewayAccount } from './api-gateway-account';

/** The resource path the API serves inference on. */
export const INVOCATIONS_PATH = '/invocations';

/** The SageMaker header that carries the correlation id into the container (`correlation-id=<request id>`). */
export const CUSTOM_ATTRIBUTES_HEADER = 'X-Amzn-SageMaker-Custom-Attributes';

/** The SageMaker header whose value data capture records as `eventMetadata.inferenceId`. */
export const INFERENCE_ID_HEADER = 'X-Amzn-SageMaker-Inference-Id';

/** The response header that returns the request id to the caller. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Access-log fields: JSON, keyed by the request id that also reaches SageMaker and X-Ray. */
const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  xrayTraceId: '$context.xrayTraceId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  userArn: '$context.identity.userArn',
  apiKeyId: '$context.identity.apiKeyId',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  requestLength: '$context.requestLength',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  wafStatus: '$context.waf.status',
  errorMessage: '$context.error.message',
  validationError: '$context.error.validationErrorString',
};

/**
 * A Regional REST API in front of an {@link IsolatedEndpoint} that passes every policy pack:
 * API Gateway calls SageMaker `InvokeEndpoint` directly (no Lambda) with a role allowed only that
 * endpoint; IAM authorisation (or a Cognito user pool); request bodies validated against a JSON
 * Schema rendered from a zod contract; stage, method and per-client (usage plan) throttling and
 * quotas; a WAF web ACL with AWS managed rules, an IP rate limit and a body-size limit; JSON
 * access logs, execution logs and WAF logs in KMS-encrypted log groups; X-Ray tracing; and the
 * request id passed to SageMaker so access logs, data capture records and traces share one id.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 */
export class InferenceApi extends Construct {
  /** The REST API. */
  public readonly api: apigw.RestApi;
  /** The deployed stage. */
  public readonly stage: apigw.Stage;
  /** The POST /invocations method. */
  public readonly method: apigw.Method;
  /** The role API Gateway assumes to invoke the endpoint. */
  public readonly integrationRole: ScopedRole;
  /** The request body model rendered from the input contract. */
  public readonly model: apigw.Model;
  /** The JSON Schema rendered from the input contract. */
  public readonly inputJsonSchema: Record<string, unknown>;
  /** The usage plan that throttles and meters clients. */
  public readonly usagePlan: apigw.UsagePlan;
  /** The WAF web ACL associated with the stage. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** JSON access logs. */
  public readonly accessLogGroup: logs.LogGroup;
  /** Execution (error) logs, pre-created so they are encrypted and expire. */
  public readonly executionLogGroup: logs.LogGroup;
  /** WAF logs. */
  public readonly wafLogGroup: logs.LogGroup;
  /** The key of the log groups. */
  public readonly encryptionKey: kms.IKey;
  /** The invoke URL of `POST /invocations`. */
  public readonly invocationsUrl: string;
  /** The endpoint behind the API. */
  public readonly endpoint: IIsolatedEndpoint;
  /** Ids of the clients added with addClient. */
  private readonly clients: string[] = [];
  /** The account's API Gateway CloudWatch role setting the stage deploys after, if one was given or created. */
  public readonly apiGatewayAccount?: IApiGatewayAccount;

  constructor(scope: Construct, id: string, props: InferenceApiProps) {
    super(scope, id);
    const p = validateProps(this, inferenceApiSchema, props);
    const timeout = p.integrationTimeout ?? DEFAULT_INTEGRATION_TIMEOUT;
    const rendered = renderContract(p.inputContract);
    throwIfProblems(this, [
      ...crossFieldProblems(this, p.endpoint, timeout, rendered),
      ...accountProblems(p),
    ]);
    const jsonSchema = rendered.schema as Record<string, unknown>;
    this.inputJsonSchema = jsonSchema;
    this.endpoint = p.endpoint;

    const stack = Stack.of(this);
    const stageName = p.stageName ?? DEFAULT_STAGE_NAME;
    const rate = p.throttlingRateLimit ?? DEFAULT_RATE_LIMIT;
    const burst = p.throttlingBurstLimit ?? DEFAULT_BURST_LIMIT;
    const retention = p.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const maxPayload = p.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.encryptionKey = p.encryptionKey ?? createDomainKey(this, 'Key', 'logs');
    const logGroup = (logId: string, logGroupName?: string) =>
      new logs.LogGroup(this, logId, {
        logGroupName,
        encryptionKey: this.encryptionKey,
        retention,
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      });

    this.accessLogGroup = logGroup('AccessLogs');
    const clientCertificate = new apigw.CfnClientCertificate(this, 'ClientCertificate', {
      description: `Lets HTTP backends verify calls from ${this.node.path}`,
    });

    this.api = new apigw.RestApi(this, 'Resource', {
      restApiName: physicalNameFor(this, 100),
      description: `Inference API of SageMaker endpoint ${p.endpoint.endpointName}`,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // aws-cdk-lib's default account role carries an AWS managed policy; ours is scoped below.
      cloudWatchRole: false,
      deployOptions: {
        stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Request and response bodies are inference data: never in execution logs.
        dataTraceEnabled: false,
        throttlingRateLimit: rate,
        throttlingBurstLimit: burst,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        clientCertificateId: clientCertificate.ref,
        methodOptions: {
          [`${INVOCATIONS_PATH}/POST`]: { throttlingRateLimit: rate, throttlingBurstLimit: burst },
        },
      },
    });
    this.stage = this.api.deploymentStage;
    this.executionLogGroup = logGroup(
      'ExecutionLogs',
      `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`,
    );
    this.stage.node.addDependency(this.executionLogGroup);
    // Execution and access logging need the account's CloudWatch role set before the stage exists.
    this.apiGatewayAccount = p.manageAccountCloudWatchRole
      ? new ApiGatewayAccount(this, 'Account')
      : p.apiGatewayAccount;
    if (this.apiGatewayAccount) this.stage.node.addDependency(this.apiGatewayAccount);
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      acknowledge(this.stage, `${pack}-APIGWCacheEnabledAndEncrypted`, {
        reason:
          "inference is POST: a cache keyed on headers and parameters, not the body, would return one caller's prediction to another",
        ...INHERENT,
      });
    }

    this.integrationRole = new ScopedRole(this, 'IntegrationRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: `Lets ${this.node.path} invoke SageMaker endpoint ${p.endpoint.endpointName}`,
    });
    p.endpoint.grantInvoke(this.integrationRole);

    this.model = this.api.addModel('Input', {
      contentType: 'application/json',
      description: 'The inference request contract',
      schema: toApigwSchema(jsonSchema) as apigw.JsonSchema,
    });
    const validator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const errorTemplate = (message: string) => ({
      'application/json': JSON.stringify({ message, requestId: '$context.requestId' }),
    });
    const requestIdOut = { [`method.response.header.${REQUEST_ID_HEADER}`]: 'context.requestId' };
    const integration = new apigw.AwsIntegration({
      service: 'runtime.sagemaker',
      path: `endpoints/${p.endpoint.endpointName}/invocations`,
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.integrationRole,
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        timeout,
        requestParameters: {
          // Data capture records carry the inference id, so captures join access logs on it.
          [`integration.request.header.${INFERENCE_ID_HEADER}`]: 'context.requestId',
          'integration.request.header.Content-Type': "'application/json'",
          'integration.request.header.Accept': "'application/json'",
        },
        requestTemplates: {
          // The body passes through unchanged; the container receives the id as a custom attribute.
          'application/json': `#set($context.requestOverride.header.${CUSTOM_ATTRIBUTES_HEADER} = "correlation-id=$context.requestId")\n$input.body`,
        },
        integrationResponses: [
          { statusCode: '200', responseParameters: requestIdOut },
          // Only our message and the request id reach the caller: a model error's body can carry
          // the container's output, and the container's logs are where its detail belongs.
          ...INTEGRATION_ERRORS.map((e) => ({
            statusCode: e.statusCode,
            selectionPattern: e.selectionPattern,
            responseParameters: requestIdOut,
            responseTemplates: errorTemplate(e.message),
          })),
        ],
      },
    });

    const apiKeyRequired = p.apiKeyRequired ?? false;
    this.node.addValidation({ validate: () => clientProblems(this, apiKeyRequired, this.clients) });
    const authorizer = p.cognitoUserPool
      ? new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [p.cognitoUserPool] })
      : undefined;
    const responseHeader = { [`method.response.header.${REQUEST_ID_HEADER}`]: true };
    this.method = this.api.root.addResource(INVOCATIONS_PATH.slice(1)).addMethod('POST', integration, {
      authorizationType: authorizer ? apigw.AuthorizationType.COGNITO : apigw.AuthorizationType.IAM,
      authorizer,
      apiKeyRequired,
      requestValidator: validator,
      requestModels: { 'application/json': this.model },
      methodResponses: ['200', ...INTEGRATION_ERRORS.map((e) => e.statusCode)].map((statusCode) => ({
        statusCode,
        responseParameters: responseHeader,
      })),
    });
    if (!authorizer) {
      acknowledge(this.method, 'AwsSolutions-COG4', {
        reason:
          'IAM (SigV4) authorisation is the default: callers are workloads with roles, not Cognito users; pass cognitoUserPool for user-facing APIs',
        ...INHERENT,
      });
    }

    this.usagePlan = this.api.addUsagePlan('UsagePlan', {
      description: `Throttle and daily quota per client of ${this.node.path}`,
      throttle: { rateLimit: rate, burstLimit: burst },
      quota: { limit: p.quotaPerDay ?? DEFAULT_QUOTA_PER_DAY, period: apigw.Period.DAY },
      apiStages: [
        {
          api: this.api,
          stage: this.stage,
          throttle: [{ method: this.method, throttle: { rateLimit: rate, burstLimit: burst } }],
        },
      ],
    });

    this.wafLogGroup = logGroup('WafLogs', `aws-waf-logs-${physicalNameFor(this, 200)}`);
    this.webAcl = this.createWebAcl(p.wafRateLimit ?? wafRateLimitFor(rate), maxPayload);
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the `:*` that CloudFormation's Arn attribute ends with.
      logDestinationConfigs: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.wafLogGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'x-api-key' } }],
    });
    logging.node.addDependency(this.wafLogGroup);

    this.invocationsUrl = this.api.urlForPath(INVOCATIONS_PATH);
  }

  /**
   * Lets a principal call `POST /invocations` (`execute-api:Invoke` on that method and stage), for
   * the default IAM authorisation.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.api.arnForExecuteApi('POST', INVOCATIONS_PATH, this.stage.stageName)],
    });
  }

  /**
   * Adds a client: an API key in the usage plan, so it gets the plan's throttle and quota. Needs
   * `apiKeyRequired: true` (a validation error otherwise: the key would never be checked).
   */
  public addClient(id: string, description?: string): apigw.IApiKey {
    const key = new apigw.ApiKey(this, `Client${id}`, {
      description: description ?? `Client ${id} of ${this.node.path}`,
    });
    this.usagePlan.addApiKey(key);
    this.clients.push(id);
    return key;
  }

  private createWebAcl(rateLimit: number, maxPayload: number): wafv2.CfnWebACL {
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managed = (name: string, priority: number, overrides?: string[]): wafv2.CfnWebACL.RuleProperty => ({
      name: `AWS-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ruleActionOverrides: overrides?.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
        },
      },
      visibilityConfig: visibility(name),
    });
    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      managed('AWSManagedRulesAmazonIpReputationList', 0),
      {
        name: 'RateLimitPerIp',
        priority: 1,
        action: { block: {} },
        statement: {
          rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
        },
        visibilityConfig: visibility('RateLimitPerIp'),
      },
    ];
    if (maxPayload <= WAF_MAX_BODY_INSPECTION_BYTES) {
      rules.push({
        name: 'MaxPayloadSize',
        priority: 2,
        action: { block: {} },
        statement: {
          sizeConstraintStatement: {
            // Bodies past the 64 KiB inspection limit match too, so nothing larger slips through.
            fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
            comparisonOperator: 'GT',
            size: maxPayload,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        visibilityConfig: visibility('MaxPayloadSize'),
      });
    }
    rules.push(managed('AWSManagedRulesKnownBadInputsRuleSet', 3));
    // The common rule set blocks bodies over 8 KiB; the payload limit above is the one that applies.
    rules.push(managed('AWSManagedRulesCommonRuleSet', 4, ['SizeRestrictions_BODY']));
    return new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: `Protects ${this.node.path}`,
      visibilityConfig: visibility(physicalNameFor(this, 128)),
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_64' } } },
      rules,
    });
  }
}

/**
 * How SageMaker's InvokeEndpoint errors reach the caller, by HTTP status. API Gateway matches the
 * whole backend status code against each pattern, and keys integration responses by the status
 * they answer with, so the patterns are disjoint and the statuses distinct.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html#API_runtime_InvokeEndpoint_Errors
 */
const INTEGRATION_ERRORS: readonly { statusCode: string; selectionPattern: string; message: string }[] = [
  // ValidationError (and ThrottlingException, which shares the status): the caller's to fix.
  { statusCode: '400', selectionPattern: '400', message: 'the endpoint rejected the request' },
  // ModelError: the container answered this request with an error.
  { statusCode: '424', selectionPattern: '424', message: 'the model returned an error for this request' },
  // ModelNotReadyException: retryable.
  {
    statusCode: '429',
    selectionPattern: '429',
    message: 'the model is not ready or is throttled; retry with backoff',
  },
  // Any other 4xx (access denied, endpoint not found): this API's configuration, not the caller.
  {
    statusCode: '500',
    selectionPattern: '4(0[1-9]|1\\d|2[0-35-8]|[3-9]\\d)',
    message: 'the API could not invoke the model endpoint',
  },
  // ServiceUnavailable: retryable.
  {
    statusCode: '503',
    selectionPattern: '503',
    message: 'the model endpoint is unavailable; retry with backoff',
  },
  // InternalFailure, InternalDependencyException and any other 5xx.
  {
    statusCode: '502',
    selectionPattern: '5(0[0-24-9]|[1-9]\\d)',
    message: 'the model endpoint failed to answer',
  },
];

/** WAF counts a rate-based rule's requests per IP over five minutes. */
const WAF_RATE_WINDOW_SECONDS = 300;

/**
 * The default per-IP WAF limit: what the stage throttle admits in WAF's five-minute window, so one
 * caller (or many behind one NAT address) can use the whole stage rate but no more. WAF's floor is 100.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
 */
export function wafRateLimitFor(stageRateLimit: number): number {
  return Math.max(100, Math.ceil(stageRateLimit * WAF_RATE_WINDOW_SECONDS));
}

/** An API key is checked only when the method requires one; a required key no client holds blocks every call. */
function clientProblems(api: InferenceApi, apiKeyRequired: boolean, clients: readonly string[]): string[] {
  if (apiKeyRequired && clients.length === 0) {
    return [
      `${api.node.path}: apiKeyRequired: is true but no client holds an API key, so every call would get 403 (got 0 clients; expected at least one addClient(...) or apiKeyRequired: false)`,
    ];
  }
  if (!apiKeyRequired && clients.length > 0) {
    return [
      `${api.node.path}: apiKeyRequired: is false, so the usage plan meters no client added with addClient (got clients ${clients.join(', ')}; expected apiKeyRequired: true)`,
    ];
  }
  return [];
}

/** A contract rendered as JSON Schema draft 4, or why it could not be. */
interface RenderedContract {
  readonly schema?: Record<string, unknown>;
  readonly problem?: string;
}

function renderContract(contract: z.ZodType): RenderedContract {
  let schema: Record<string, unknown>;
  try {
    schema = z.toJSONSchema(contract, { target: 'draft-4', io: 'input' }) as Record<string, unknown>;
  } catch (e) {
    return { problem: `cannot be rendered as JSON Schema (${(e as Error).message.split('\n')[0]})` };
  }
  if (schema.type !== 'object') return { schema, problem: 'must describe a JSON object (the request body)' };
  return { schema };
}

function accountProblems(p: InferenceApiProps): PropsProblem[] {
  if (!p.manageAccountCloudWatchRole || !p.apiGatewayAccount) return [];
  return [
    {
      field: 'manageAccountCloudWatchRole',
      problem: 'conflicts with apiGatewayAccount: the account setting would be made twice',
      got: 'true',
      expected: 'false (or omitted) when apiGatewayAccount is given',
    },
  ];
}

/** Where SageMaker documents that InvokeEndpoint names no account: the caller's credentials pick it. */
const INVOKE_ENDPOINT_DOC =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html';

function crossFieldProblems(
  api: Construct,
  endpoint: IIsolatedEndpoint,
  timeout: Duration,
  rendered: RenderedContract,
): PropsProblem[] {
  const problems: PropsProblem[] = [];
  // The integration calls runtime.sagemaker in the API's Region with the API's role, and
  // InvokeEndpoint finds the endpoint by name in the caller's account: an endpoint elsewhere would
  // silently resolve to a same-named one here, or to none.
  const foreign = environmentDifference(endpoint, api);
  if (foreign.account !== undefined || foreign.region !== undefined) {
    const stack = Stack.of(api);
    problems.push({
      field: 'endpoint',
      problem:
        "api gateway invokes the endpoint by name, which sagemaker looks up in the api's own account and region",
      got: `${describeValue(endpoint.endpointArn)} (account ${describeValue(endpoint.env.account)}, region ${describeValue(endpoint.env.region)})`,
      expected: `an endpoint of account ${describeValue(stack.account)} and region ${describeValue(stack.region)}, see ${INVOKE_ENDPOINT_DOC}`,
    });
  }
  if (rendered.problem) {
    problems.push({
      field: 'inputContract',
      problem: rendered.problem,
      got: rendered.schema ? describeValue(rendered.schema.type ?? 'a non-object schema') : 'a zod schema',
      expected: 'a zod object schema without transforms',
    });
  }
  if (!timeout.isUnresolved() && timeout.toMilliseconds() > endpoint.invocationTimeout.toMilliseconds()) {
    problems.push({
      field: 'integrationTimeout',
      problem: 'exceeds what the endpoint allows for one invocation',
      got: describeValue(timeout),
      expected: `<= ${describeValue(endpoint.invocationTimeout)} (the endpoint's invocation timeout)`,
    });
  }
  return problems;
}

/** JSON Schema keys that aws-cdk-lib's `JsonSchema` spells without the `$`. */
const DOLLAR_KEYS: Record<string, string> = { $schema: 'schema', $ref: 'ref', $id: 'id' };
/** Keys whose children are user-chosen names, not schema keywords. */
const NAMED_CHILDREN = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);

/** Converts JSON Schema to aws-cdk-lib's `JsonSchema` spelling (`$schema` → `schema`, ...). */
export function toApigwSchema(schema: unknown, namedChildren = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toApigwSchema(s));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (namedChildren) out[key] = toApigwSchema(value);
    else out[DOLLAR_KEYS[key] ?? key] = toApigwSchema(value, NAMED_CHILDREN.has(key));
  }
  return out;
}

export { flattenForNag } from './nag-ids';

/** Exposed for tests and the README: the access-log field names. */
export const ACCESS_LOG_FIELD_NAMES = Object.keys(ACCESS_LOG_FIELDS);
