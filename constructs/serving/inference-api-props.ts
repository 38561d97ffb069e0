import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { constructRef, durationBetween, refs, retentionDays } from '../core/validate';
import { APIGW_MAX_PAYLOAD_BYTES } from './defaults';
import type { IApiGatewayAccount } from './api-gateway-account';
import { IIsolatedEndpoint } from './isolated-endpoint';

/** Props for {@link InferenceApi}. */
export interface InferenceApiProps {
  /** The endpoint the API invokes. */
  readonly endpoint: IIsolatedEndpoint;
  /**
   * The request body contract, as a zod schema of an object. It is rendered as a JSON Schema
   * (draft 4) model that API Gateway validates every request against before SageMaker sees it.
   */
  readonly inputContract: z.ZodType;
  /**
   * Key for the access, execution and WAF log groups (the `logs` key).
   * @default - a dedicated `logs` key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long access, execution and WAF logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Authorise callers with a Cognito user pool instead of IAM (SigV4).
   * @default - IAM authorisation; grant callers with `grantInvoke`
   */
  readonly cognitoUserPool?: cognito.IUserPool;
  /**
   * Require an API key, so every client is metered by the usage plan's quota and throttle. API
   * keys meter, they do not authenticate (IAM or Cognito does): with `true`, add each client with
   * `addClient` and hand it its key; `true` with no client is a validation error (every call would
   * get 403), and so is `addClient` with `false` (its key would never be checked).
   * @default false
   */
  readonly apiKeyRequired?: boolean;
  /**
   * The stage name.
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * Steady-state requests per second, for the stage, the method and the usage plan.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst of requests above the rate.
   * @default 100
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Requests per day per client (API key).
   * @default 100000
   */
  readonly quotaPerDay?: number;
  /**
   * Requests per five minutes from one IP address before WAF blocks it (100 to 2,000,000,000).
   * @default - what the stage throttle admits in five minutes: `throttlingRateLimit` × 300 (15,000 with the default rate), at least 100
   */
  readonly wafRateLimit?: number;
  /**
   * Largest request body, bytes. Up to 64 KiB it is enforced by a WAF size rule; above that (up to
   * API Gateway's 10 MiB) only by API Gateway's own limit and the contract's `max` constraints.
   * @default 65536
   */
  readonly maxPayloadBytes?: number;
  /**
   * How long API Gateway waits for SageMaker. Above 29 s needs a quota increase for the account
   * (Regional APIs only); it may not exceed the endpoint's invocation timeout (60 s). At least 1 s.
   * @default Duration.seconds(29)
   */
  readonly integrationTimeout?: Duration;
  /**
   * The account's API Gateway CloudWatch role setting (`ApiGatewayAccount`, owned once per
   * account and region, e.g. by the platform stack). The stage is deployed after it: execution
   * and access logging fail on an account whose setting is missing.
   * @default - none: the account's CloudWatch role must already be set (by an ApiGatewayAccount elsewhere)
   */
  readonly apiGatewayAccount?: IApiGatewayAccount;
  /**
   * Create an `ApiGatewayAccount` inside this API. Only for an app with a single REST API
   * per account and region: the setting is one per account and region, and a second one in the
   * app is a validation error. Conflicts with `apiGatewayAccount`.
   * @default false
   */
  readonly manageAccountCloudWatchRole?: boolean;
}

/** The zod schema of {@link InferenceApiProps}. */
export const inferenceApiSchema = z.strictObject({
  endpoint: constructRef<IIsolatedEndpoint>('IIsolatedEndpoint', [
    'endpointName',
    'endpointArn',
    'grantInvoke',
    'invocationTimeout',
    'env',
  ]),
  inputContract: z.custom<z.ZodType>((v) => v instanceof z.ZodType, {
    message: 'is not a zod schema',
    params: { expected: 'a zod schema (z.object(...))' },
  }),
  encryptionKey: refs.key.optional(),
  logRetention: retentionDays().optional(),
  cognitoUserPool: constructRef<cognito.IUserPool>('cognito.IUserPool', [
    'userPoolId',
    'userPoolArn',
  ]).optional(),
  apiKeyRequired: z.boolean().optional(),
  stageName: z
    .string()
    .regex(/^[a-zA-Z0-9_]{1,128}$/)
    .optional(),
  throttlingRateLimit: z.number().positive().max(10_000).optional(),
  throttlingBurstLimit: z.number().int().min(1).max(5_000).optional(),
  quotaPerDay: z.number().int().min(1).optional(),
  wafRateLimit: z.number().int().min(100).max(2_000_000_000).optional(),
  maxPayloadBytes: z.number().int().min(1).max(APIGW_MAX_PAYLOAD_BYTES).optional(),
  integrationTimeout: durationBetween(Duration.seconds(1), Duration.minutes(5), { literal: true }).optional(),
  apiGatewayAccount: constructRef<IApiGatewayAccount>('IApiGatewayAccount', [
    'cloudWatchRoleArn',
    'node',
  ]).optional(),
  manageAccountCloudWatchRole: z.boolean().optional(),
});
