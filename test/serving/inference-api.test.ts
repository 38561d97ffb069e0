import { describe, expect, it } from 'vitest';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { z } from 'zod';
import {
  CUSTOM_ATTRIBUTES_HEADER,
  flattenForNag,
  INFERENCE_ID_HEADER,
  InferenceApi,
  toApigwSchema,
} from '../../constructs/serving/inference-api';
import { ApiGatewayAccount } from '../../constructs/serving/api-gateway-account';
import { InferenceApiProps } from '../../constructs/serving/inference-api-props';
import { IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
import { findingLines, testStack } from '../support/nag';

const CONTRACT = z.strictObject({
  instances: z.array(z.array(z.number()).max(16)).min(1).max(100),
  requestTag: z.string().max(64).optional(),
});

function build(overrides: Partial<InferenceApiProps> = {}, stack: Stack = testStack()) {
  const endpoint = IsolatedEndpoint.fromEndpointName(stack, 'Endpoint', 'churn-prod');
  const api = new InferenceApi(stack, 'Api', { endpoint, inputContract: CONTRACT, ...overrides });
  return { stack, api, template: () => Template.fromStack(stack) };
}

function buildError(overrides: Partial<InferenceApiProps>): string {
  try {
    build(overrides);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a validation error');
}

function stageProps(template: Template): Record<string, unknown> {
  return (
    Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as {
      Properties: Record<string, unknown>;
    }
  ).Properties;
}

describe('InferenceApi integration', () => {
  it('is a Regional REST API without the aws-cdk-lib CloudWatch role', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    template().resourcePropertiesCountIs(
      'AWS::IAM::Role',
      { ManagedPolicyArns: Match.arrayWith([Match.objectLike({ 'Fn::Join': Match.anyValue() })]) },
      0,
    );
  });

  it('calls SageMaker InvokeEndpoint directly with a role allowed only that endpoint', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      Integration: Match.objectLike({
        Type: 'AWS',
        IntegrationHttpMethod: 'POST',
        PassthroughBehavior: 'NEVER',
        Uri: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':apigateway:eu-west-1:runtime.sagemaker:path/endpoints/churn-prod/invocations',
            ],
          ],
        },
        Credentials: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiIntegrationRole'), 'Arn'] },
      }),
    });
    template().hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Permissions of Test/Api/IntegrationRole',
      PolicyDocument: {
        Statement: [
          {
            Action: 'sagemaker:InvokeEndpoint',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111111111111:endpoint/churn-prod'],
              ],
            },
          },
        ],
      },
    });
    template().resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('passes the request id to SageMaker as the inference id and a correlation-id custom attribute', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::ApiGateway::Method', {
      Integration: Match.objectLike({
        RequestParameters: Match.objectLike({
          [`integration.request.header.${INFERENCE_ID_HEADER}`]: 'context.requestId',
        }),
        RequestTemplates: {
          'application/json': `#set($context.requestOverride.header.${CUSTOM_ATTRIBUTES_HEADER} = "correlation-id=$context.requestId")\n$input.body`,
        },
        IntegrationResponses: Match.arrayWith([
          Match.objectLike({
            StatusCode: '200',
            ResponseParameters: { 'method.response.header.X-Request-Id': 'context.requestId' },
          }),
        ]),
      }),
    });
  });

  // InvokeEndpoint's errors and their HTTP status codes: ValidationError 400, ModelError 424 (the
  // container answered with an error), ModelNotReadyException 429, InternalFailure 500,
  // ServiceUnavailable 503, InternalDependencyException 530:
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html#API_runtime_InvokeEndpoint_Errors
  it.each([
    ['400', '400', 'the endpoint rejected the request'],
    ['424', '424', 'the model returned an error for this request'],
    ['429', '429', 'the model is not ready or is throttled; retry with backoff'],
    ['403', '500', 'the API could not invoke the model endpoint'],
    ['404', '500', 'the API could not invoke the model endpoint'],
    ['503', '503', 'the model endpoint is unavailable; retry with backoff'],
    ['500', '502', 'the model endpoint failed to answer'],
    ['530', '502', 'the model endpoint failed to answer'],
  ])(
    'maps SageMaker status %s to %s without leaking the model output',
    (sagemakerStatus, apiStatus, message) => {
      const { template } = build();
      const method = Object.values(template().findResources('AWS::ApiGateway::Method'))[0] as {
        Properties: {
          Integration: {
            IntegrationResponses: {
              StatusCode: string;
              SelectionPattern?: string;
              ResponseTemplates?: Record<string, string>;
            }[];
          };
          MethodResponses: { StatusCode: string }[];
        };
      };
      // API Gateway matches the whole backend status code against each selection pattern.
      const matching = method.Properties.Integration.IntegrationResponses.filter(
        (r) =>
          r.SelectionPattern !== undefined && new RegExp(`^(?:${r.SelectionPattern})$`).test(sagemakerStatus),
      );
      expect(matching.map((r) => r.StatusCode)).toEqual([apiStatus]);
      expect(JSON.parse(matching[0].ResponseTemplates?.['application/json'] ?? '{}')).toEqual({
        message,
        requestId: '$context.requestId',
      });
      expect(method.Properties.MethodResponses.map((r) => r.StatusCode)).toContain(apiStatus);
    },
  );

  it('selects at most one integration response for every status code, one per API status', () => {
    const { template } = build();
    const method = Object.values(template().findResources('AWS::ApiGateway::Method'))[0] as {
      Properties: {
        Integration: { IntegrationResponses: { StatusCode: string; SelectionPattern?: string }[] };
      };
    };
    const responses = method.Properties.Integration.IntegrationResponses;
    // PutIntegrationResponse is keyed by status code: two entries with one code would collide.
    expect(new Set(responses.map((r) => r.StatusCode)).size).toBe(responses.length);
    for (let code = 100; code < 600; code++) {
      const n = responses.filter(
        (r) =>
          r.SelectionPattern !== undefined && new RegExp(`^(?:${r.SelectionPattern})$`).test(String(code)),
      ).length;
      expect(n, String(code)).toBe(code >= 400 ? 1 : 0);
    }
  });

  it('waits 29 s by default and up to the endpoint invocation timeout when asked', () => {
    build()
      .template()
      .hasResourceProperties('AWS::ApiGateway::Method', {
        Integration: Match.objectLike({ TimeoutInMillis: 29_000 }),
      });
    build({ integrationTimeout: Duration.seconds(60) })
      .template()
      .hasResourceProperties('AWS::ApiGateway::Method', {
        Integration: Match.objectLike({ TimeoutInMillis: 60_000 }),
      });
  });
});

describe('InferenceApi access control and validation', () => {
  // API keys meter clients of a usage plan; they do not authenticate. Under IAM (SigV4) or Cognito
  // authorisation, requiring one that no client holds answers every signed call with 403:
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
  it('authorises with IAM and does not require an API key by default', () => {
    build().template().hasResourceProperties('AWS::ApiGateway::Method', {
      AuthorizationType: 'AWS_IAM',
      ApiKeyRequired: false,
    });
  });

  it('refuses to require an API key that no client was given', () => {
    const { api } = build({ apiKeyRequired: true });
    expect(api.node.validate()).toEqual([
      'Test/Api: apiKeyRequired: is true but no client holds an API key, so every call would get 403 (got 0 clients; expected at least one addClient(...) or apiKeyRequired: false)',
    ]);
    api.addClient('Partner');
    expect(api.node.validate()).toEqual([]);
  });

  it('refuses clients whose API keys the method would not check', () => {
    const { api } = build();
    api.addClient('Partner');
    expect(api.node.validate()).toEqual([
      'Test/Api: apiKeyRequired: is false, so the usage plan meters no client added with addClient (got clients Partner; expected apiKeyRequired: true)',
    ]);
  });

  it('authorises with a Cognito user pool when given one', () => {
    const stack = testStack();
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc');
    const { template } = build({ cognitoUserPool: pool, apiKeyRequired: false }, stack);
    template().hasResourceProperties('AWS::ApiGateway::Method', {
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizerId: { Ref: Match.stringLikeRegexp('^ApiAuthorizer') },
      ApiKeyRequired: false,
    });
    template().hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
  });

  it('validates bodies against the JSON Schema rendered from the zod contract', () => {
    const { template, api } = build();
    template().hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    template().hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: {
        $schema: 'http://json-schema.org/draft-04/schema#',
        type: 'object',
        properties: {
          instances: {
            type: 'array',
            minItems: 1,
            maxItems: 100,
            items: { type: 'array', maxItems: 16, items: { type: 'number' } },
          },
          requestTag: { type: 'string', maxLength: 64 },
        },
        required: ['instances'],
        additionalProperties: false,
      },
    });
    template().hasResourceProperties('AWS::ApiGateway::Method', {
      RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('^ApiInput') } },
      RequestValidatorId: { Ref: Match.stringLikeRegexp('^ApiValidator') },
    });
    expect(api.inputJsonSchema.type).toBe('object');
  });

  it('spells JSON Schema keywords the way aws-cdk-lib expects, leaving property names alone', () => {
    expect(
      toApigwSchema({
        $schema: 's',
        properties: { $ref: { $ref: '#/definitions/x' } },
        definitions: { x: { type: 'string' } },
      }),
    ).toEqual({
      schema: 's',
      properties: { $ref: { ref: '#/definitions/x' } },
      definitions: { x: { type: 'string' } },
    });
  });

  it('grants execute-api:Invoke on POST /invocations of the stage', () => {
    const { stack, api, template } = build();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantInvoke(role);
    template().hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                Match.arrayWith([
                  ':execute-api:eu-west-1:111111111111:',
                  { Ref: Match.stringLikeRegexp('^Api') },
                  '/',
                  { Ref: Match.stringLikeRegexp('^ApiDeploymentStage') },
                  '/POST/invocations',
                ]),
              ],
            },
          },
        ],
      },
    });
  });
});

describe('InferenceApi throttling, usage plan and WAF', () => {
  it('throttles the stage and the method', () => {
    const settings = stageProps(
      build({ throttlingRateLimit: 20, throttlingBurstLimit: 40 }).template(),
    ).MethodSettings;
    expect(settings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 20,
          ThrottlingBurstLimit: 40,
        }),
        expect.objectContaining({
          HttpMethod: 'POST',
          ResourcePath: '/~1invocations',
          ThrottlingRateLimit: 20,
          ThrottlingBurstLimit: 40,
        }),
      ]),
    );
  });

  it('meters each client with a usage plan: throttle and daily quota', () => {
    const { api, template } = build({ quotaPerDay: 5000, apiKeyRequired: true });
    api.addClient('Partner');
    template().hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 50, BurstLimit: 100 },
      Quota: { Limit: 5000, Period: 'DAY' },
      ApiStages: [
        {
          ApiId: { Ref: Match.stringLikeRegexp('^Api') },
          Stage: { Ref: Match.stringLikeRegexp('^ApiDeploymentStage') },
          Throttle: { '/invocations/POST': { RateLimit: 50, BurstLimit: 100 } },
        },
      ],
    });
    template().resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    template().hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { KeyType: 'API_KEY' });
  });

  it('associates a regional web ACL with managed rules, an IP rate limit and a body-size rule', () => {
    const { template } = build({ wafRateLimit: 500, maxPayloadBytes: 32_768 });
    template().hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { Name: 'AWSManagedRulesAmazonIpReputationList', VendorName: 'AWS' },
          },
        }),
        Match.objectLike({
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        }),
        Match.objectLike({
          Action: { Block: {} },
          Statement: {
            SizeConstraintStatement: Match.objectLike({
              ComparisonOperator: 'GT',
              Size: 32_768,
              FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
            }),
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { Name: 'AWSManagedRulesKnownBadInputsRuleSet', VendorName: 'AWS' },
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: {
              Name: 'AWSManagedRulesCommonRuleSet',
              VendorName: 'AWS',
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            },
          },
        }),
      ],
    });
    template().hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: {
        'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^ApiDeploymentStage') }])],
      },
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiWebAcl'), 'Arn'] },
    });
  });

  it('leaves payloads above the WAF inspection limit to API Gateway', () => {
    const { template } = build({ maxPayloadBytes: 1_048_576 });
    const acl = Object.values(template().findResources('AWS::WAFv2::WebACL'))[0] as {
      Properties: { Rules: { Name: string }[] };
    };
    expect(acl.Properties.Rules.map((r) => r.Name)).not.toContain('MaxPayloadSize');
  });
  // A rate-based rule counts requests per IP over a five-minute window (limit 100 to 2,000,000,000):
  // https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
  it.each([
    [{}, 15_000],
    [{ throttlingRateLimit: 20 }, 6_000],
    [{ throttlingRateLimit: 0.1 }, 100],
    [{ throttlingRateLimit: 20, wafRateLimit: 500 }, 500],
  ])(
    'lets one IP send what the stage throttle admits in five minutes by default (%j -> %d)',
    (props, limit) => {
      const { template } = build(props);
      template().hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          Match.objectLike({
            Name: 'RateLimitPerIp',
            Statement: { RateBasedStatement: Match.objectLike({ Limit: limit }) },
          }),
        ]),
      });
    },
  );

  it('logs WAF decisions to an encrypted aws-waf-logs- group with credentials redacted', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'),
      KmsKeyId: Match.anyValue(),
      RetentionInDays: 365,
    });
    template().hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'x-api-key' } }],
    });
  });
});

describe('InferenceApi logging and tracing', () => {
  it('writes JSON access logs keyed by the request id to a CMK-encrypted group', () => {
    const { template } = build();
    const props = stageProps(template());
    const setting = props.AccessLogSetting as { Format: string; DestinationArn: unknown };
    const format = JSON.parse(setting.Format) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(format.xrayTraceId).toBe('$context.xrayTraceId');
    expect(setting.DestinationArn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ApiAccessLogs/), 'Arn'],
    });
    template().hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiKey'), 'Arn'] },
      RetentionInDays: 365,
    });
  });

  it('traces with X-Ray, logs execution errors without bodies, and carries a client certificate', () => {
    const props = stageProps(build().template());
    expect(props.TracingEnabled).toBe(true);
    expect(props.ClientCertificateId).toEqual({ Ref: expect.stringMatching(/^ApiClientCertificate/) });
    expect(props.MethodSettings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ]),
    );
  });

  it('pre-creates the execution log group', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: {
        'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: Match.stringLikeRegexp('^Api') }, '/v1']],
      },
      KmsKeyId: Match.anyValue(),
    });
  });

  // One AWS::ApiGateway::Account per account and region: an API in every serving stack must not
  // set it (the last one deployed would win), so the API leaves it to the platform by default.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html
  it('leaves the account CloudWatch role setting alone by default', () => {
    const { template } = build();
    template().resourceCountIs('AWS::ApiGateway::Account', 0);
    template().resourceCountIs('AWS::IAM::Role', 1); // the integration role only
  });

  it('deploys the stage after the account setting it is given, across stacks', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const platform = new Stack(app, 'Platform', { env });
    const account = new ApiGatewayAccount(platform, 'ApiGatewayAccount');
    const serving = new Stack(app, 'Serving', { env });
    const { api, template } = build({ apiGatewayAccount: account }, serving);
    template().resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(api.apiGatewayAccount).toBe(account);
    expect(serving.dependencies).toContain(platform);
    expect(platform.dependencies).not.toContain(serving);
  });

  it('deploys the stage after the account setting when one is given in the same stack', () => {
    const stack = testStack();
    const account = new ApiGatewayAccount(stack, 'ApiGatewayAccount');
    const { template } = build({ apiGatewayAccount: account }, stack);
    const stage = Object.values(template().findResources('AWS::ApiGateway::Stage'))[0] as {
      DependsOn: string[];
    };
    expect(stage.DependsOn.some((d) => d.startsWith('ApiGatewayAccount'))).toBe(true);
  });

  it('creates its own account setting when asked, for a single-API app', () => {
    const { template } = build({ manageAccountCloudWatchRole: true });
    template().hasResourceProperties('AWS::ApiGateway::Account', {
      CloudWatchRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccountCloudWatchRole'), 'Arn'] },
    });
    const stage = Object.values(template().findResources('AWS::ApiGateway::Stage'))[0] as {
      DependsOn: string[];
    };
    expect(stage.DependsOn.some((d) => d.startsWith('ApiAccount'))).toBe(true);
  });

  it('refuses both an account setting and manageAccountCloudWatchRole', () => {
    const stack = testStack();
    const account = new ApiGatewayAccount(stack, 'ApiGatewayAccount');
    let message = '';
    try {
      build({ apiGatewayAccount: account, manageAccountCloudWatchRole: true }, stack);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      'Test/Api: manageAccountCloudWatchRole: conflicts with apiGatewayAccount: the account setting would be made twice (got true; expected false (or omitted) when apiGatewayAccount is given)',
    );
  });

  it('flattens intrinsics the way cdk-nag names IAM5 findings', () => {
    expect(
      flattenForNag({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x:', { 'Fn::GetAtt': ['R', 'Arn'] }, '/*']],
      }),
    ).toBe('arn:<AWS::Partition>:x:<R.Arn>/*');
  });
});

describe('InferenceApi validation', () => {
  it('refuses an integration timeout above what the endpoint allows', () => {
    expect(buildError({ integrationTimeout: Duration.seconds(90) })).toBe(
      "Test/Api: integrationTimeout: exceeds what the endpoint allows for one invocation (got Duration.seconds(90); expected <= Duration.seconds(60) (the endpoint's invocation timeout))",
    );
  });

  it('reports a sub-second timeout above the limit as a validation error, not a crash', () => {
    expect(buildError({ integrationTimeout: Duration.millis(60_500) })).toBe(
      "Test/Api: integrationTimeout: exceeds what the endpoint allows for one invocation (got Duration.millis(60500); expected <= Duration.seconds(60) (the endpoint's invocation timeout))",
    );
  });

  it('refuses a contract that is not an object', () => {
    expect(buildError({ inputContract: z.array(z.number()) })).toContain(
      'Test/Api: inputContract: must describe a JSON object (the request body)',
    );
  });

  it('refuses a contract that JSON Schema cannot express', () => {
    expect(buildError({ inputContract: z.object({ at: z.date() }) })).toContain(
      'Test/Api: inputContract: cannot be rendered as JSON Schema',
    );
  });

  it('refuses out-of-range limits', () => {
    const message = buildError({ maxPayloadBytes: 20 * 1024 * 1024, wafRateLimit: 5 });
    expect(message).toContain('Test/Api: maxPayloadBytes: is too large');
    expect(message).toContain('Test/Api: wafRateLimit: is too small');
  });
});

describe('InferenceApi policy packs', () => {
  it('has zero findings with default props', () => {
    const { stack } = build();
    expect(findingLines(stack)).toEqual([]);
  });

  it('has zero findings with a Cognito authoriser and no COG4 acknowledgment', () => {
    const stack = testStack();
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc');
    const { api } = build({ cognitoUserPool: pool }, stack);
    expect(findingLines(stack)).toEqual([]);
    expect(JSON.stringify(api.method.node.metadata)).not.toContain('COG4');
  });

  it('manageAccountCloudWatchRole: true yields no finding', () => {
    const { stack } = build({ manageAccountCloudWatchRole: true });
    expect(findingLines(stack)).toEqual([]);
  });
});
