import { Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { describeValue, PropsProblem } from '../core/validate';
import { IIsolatedEndpoint } from './endpoint-base';
import { environmentDifference } from './endpoint-base';
import { InferenceApiProps } from './inference-api-props';
import { RenderedContract } from './inference-contract';

// The rules of an InferenceApi that span several props, or the whole construct (clients).

/** An API key is checked only when the method requires one; a required key no client holds blocks every call. */
export function clientProblems(
  api: Construct,
  apiKeyRequired: boolean,
  clients: readonly string[],
): string[] {
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

/** The account CloudWatch role setting is made once: here, or by the apiGatewayAccount given. */
export function accountProblems(p: InferenceApiProps): PropsProblem[] {
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

/** Problems no single prop shows: an endpoint out of reach, a contract that does not render, a timeout too long. */
export function crossFieldProblems(
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
