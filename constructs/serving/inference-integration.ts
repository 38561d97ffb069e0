import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';

// The integration of an InferenceApi: API Gateway calls SageMaker InvokeEndpoint directly, passes
// the request id on, and maps SageMaker's errors to messages that carry no model output.

/** The resource path the API serves inference on. */
export const INVOCATIONS_PATH = '/invocations';

/** The SageMaker header that carries the correlation id into the container (`correlation-id=<request id>`). */
export const CUSTOM_ATTRIBUTES_HEADER = 'X-Amzn-SageMaker-Custom-Attributes';

/** The SageMaker header whose value data capture records as `eventMetadata.inferenceId`. */
export const INFERENCE_ID_HEADER = 'X-Amzn-SageMaker-Inference-Id';

/** The response header that returns the request id to the caller. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

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

/** The status codes `POST /invocations` answers with (its method responses). */
export const INVOCATION_STATUS_CODES: readonly string[] = [
  '200',
  ...INTEGRATION_ERRORS.map((e) => e.statusCode),
];

/**
 * The `runtime.sagemaker` integration of `POST /invocations`: the body passes through unchanged,
 * the request id reaches SageMaker as the inference id (data capture) and as a custom attribute
 * (the container), and comes back in a response header.
 */
export function invocationsIntegration(
  credentialsRole: iam.IRole,
  endpointName: string,
  timeout: Duration,
): apigw.AwsIntegration {
  const errorTemplate = (message: string) => ({
    'application/json': JSON.stringify({ message, requestId: '$context.requestId' }),
  });
  const requestIdOut = { [`method.response.header.${REQUEST_ID_HEADER}`]: 'context.requestId' };
  return new apigw.AwsIntegration({
    service: 'runtime.sagemaker',
    path: `endpoints/${endpointName}/invocations`,
    integrationHttpMethod: 'POST',
    options: {
      credentialsRole,
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
}
