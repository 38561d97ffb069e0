import { AwsFakeError } from '../errors';
import { toWire } from './json';
import { RawResponse } from './types';

/**
 * The SageMaker Feature Store runtime speaks REST-JSON: the operation is the method and path,
 * inputs are path labels and query parameters, errors carry `x-amzn-errortype`.
 * `GetRecord` is `GET /FeatureGroup/{FeatureGroupName}?RecordIdentifierValueAsString=..&FeatureName=..`.
 *
 * @see https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_feature_store_GetRecord.html
 */
export interface RestJsonRequest {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/** Routes a feature-store runtime request, or `undefined` when the path is not one. */
export function parseFeatureStoreRequest(method: string, rawUrl: string): RestJsonRequest | undefined {
  const url = new URL(rawUrl, 'http://fake');
  const m = /^\/FeatureGroup\/([^/]+)$/.exec(url.pathname);
  if (!m) return undefined;
  const name = decodeURIComponent(m[1]);
  if (method === 'GET') {
    const featureNames = url.searchParams.getAll('FeatureName');
    return {
      operation: 'GetRecord',
      input: {
        FeatureGroupName: name,
        RecordIdentifierValueAsString: url.searchParams.get('RecordIdentifierValueAsString') ?? undefined,
        ...(featureNames.length > 0 ? { FeatureNames: featureNames } : {}),
      },
    };
  }
  if (method === 'PUT') return { operation: 'PutRecord', input: { FeatureGroupName: name } };
  if (method === 'DELETE') return { operation: 'DeleteRecord', input: { FeatureGroupName: name } };
  return undefined;
}

/** A REST-JSON success: the output as the JSON body. */
export function restJsonSuccess(output: unknown, requestId: string): RawResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: JSON.stringify(toWire(output ?? {})),
  };
}

/** A REST-JSON error: the code in `x-amzn-errortype`, the message in the body. */
export function restJsonError(err: AwsFakeError, requestId: string): RawResponse {
  return {
    status: err.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': err.code,
    },
    body: JSON.stringify({ message: err.message, ...err.fields }),
  };
}
