// Public API of the serving constructs. Defaults and IAM action lists stay internal to avoid
// name clashes with other areas' defaults.ts and perms.ts.
export { ApiGatewayAccount } from './api-gateway-account';
export type { IApiGatewayAccount } from './api-gateway-account';
export { ENVIRONMENTS, SAGEMAKER_REALTIME_INVOCATION_TIMEOUT } from './defaults';
export type { ServingEnvironment } from './defaults';
export { ENDPOINT_METRICS, INSTANCE_NAMESPACE, INVOCATION_NAMESPACE } from './endpoint-metrics';
export type { EndpointMetricName, EndpointMetricOptions } from './endpoint-metrics';
export {
  ACCESS_LOG_FIELD_NAMES,
  CUSTOM_ATTRIBUTES_HEADER,
  INFERENCE_ID_HEADER,
  InferenceApi,
  INVOCATIONS_PATH,
  REQUEST_ID_HEADER,
} from './inference-api';
export type { InferenceApiProps } from './inference-api-props';
// customResourceResponseStatement: the S3 gateway endpoint statement a VPC of your own needs for the
// closer (README). The closer's IAM actions and service timeout stay internal.
export { customResourceResponseStatement, DefaultSecurityGroupCloser } from './default-security-group-closer';
export type { DefaultSecurityGroupCloserProps } from './default-security-group-closer';
export {
  INTERFACE_ENDPOINT_SERVICES,
  InferenceNetwork,
  REQUIRED_INTERFACE_ENDPOINTS,
} from './inference-network';
// The Feature Store runtime's endpoint service, for requireEndpoints on a team VPC that reads online stores.
export { FEATURE_STORE_RUNTIME_ENDPOINT_SERVICE } from './inference-network';
export type { InferenceNetworkProps } from './inference-network';
export { IsolatedEndpoint } from './isolated-endpoint';
export type { EndpointAlarms, IIsolatedEndpoint, IsolatedEndpointAttributes } from './isolated-endpoint';
export type {
  DeploymentStrategy,
  IsolatedEndpointProps,
  ScheduledCapacity,
  ServerlessOptions,
  ShadowVariantOptions,
} from './isolated-endpoint-props';
export {
  ASYNC_ENDPOINT_METRICS,
  AsyncEndpoint,
  SAGEMAKER_ASYNC_INVOCATION_TIMEOUT,
  SAGEMAKER_ASYNC_MAX_PAYLOAD_BYTES,
} from './async-endpoint';
export type { AsyncEndpointMetricName, IAsyncEndpoint } from './async-endpoint';
export type { AsyncEndpointProps } from './async-endpoint-props';
export { BATCH_TRANSFORM_STEP, BatchInference } from './batch-inference';
export type { BatchInferenceProps } from './batch-inference';
export { RECORD_ID_FIRST_COLUMN, transformStepDefinition } from './batch-inference-step';
export type { TransformStepOptions } from './batch-inference-step';
