import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { throwIfProblems, validateProps } from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { ApiGatewayAccount, IApiGatewayAccount } from './api-gateway-account';
import {
  DEFAULT_BURST_LIMIT,
  DEFAULT_INTEGRATION_TIMEOUT,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_QUOTA_PER_DAY,
  DEFAULT_RATE_LIMIT,
  DEFAULT_STAGE_NAME,
  physicalNameFor,
} from './defaults';
import { IIsolatedEndpoint } from './endpoint-base';
import { InferenceApiProps, inferenceApiSchema } from './inference-api-props';
import { accountProblems, clientProblems, crossFieldProblems } from './inference-api-validation';
import { renderContract, toApigwSchema } from './inference-contract';
import {
  INVOCATION_STATUS_CODES,
  invocationsIntegration,
  INVOCATIONS_PATH,
  REQUEST_ID_HEADER,
} from './inference-integration';
import { attachWebAcl, createWebAcl, wafRateLimitFor } from './inference-waf';

// The pieces live beside this file: inference-contract (zod to JSON Schema), inference-integration
// (InvokeEndpoint, headers, error mapping), inference-waf (web ACL, association, logging) and
// inference-api-validation (cross-field and client rules).
export {
  CUSTOM_ATTRIBUTES_HEADER,
  INFERENCE_ID_HEADER,
  INVOCATIONS_PATH,
  REQUEST_ID_HEADER,
} from './inference-integration';
export { toApigwSchema } from './inference-contract';
export { wafRateLimitFor } from './inference-waf';

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

    const integration = invocationsIntegration(this.integrationRole, p.endpoint.endpointName, timeout);

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
      methodResponses: INVOCATION_STATUS_CODES.map((statusCode) => ({
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
    this.webAcl = createWebAcl(this, p.wafRateLimit ?? wafRateLimitFor(rate), maxPayload);
    attachWebAcl(this, this.stage, this.webAcl, this.wafLogGroup);

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
}

export { flattenForNag } from './nag-ids';

/** Exposed for tests and the README: the access-log field names. */
export const ACCESS_LOG_FIELD_NAMES = Object.keys(ACCESS_LOG_FIELDS);
