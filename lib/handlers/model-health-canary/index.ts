import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetRecordCommand,
  SageMakerFeatureStoreRuntimeClient,
} from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { boundedClientConfig } from '../shared/http';
import { jsonLogger, type Logger } from '../shared/log';
import {
  HealthCheckFailed,
  metricsOf,
  runChecks,
  type CheckResult,
  type HttpRequest,
  type HttpResponse,
} from './checks';
import { parseConfig } from './config';
import { METRIC_NAMESPACE, type CanaryConfig } from './contract';

/** The AWS clients of a run; tests pass clients built from the loopback fake's configuration. */
export interface CanaryClients {
  readonly featureStore: SageMakerFeatureStoreRuntimeClient;
  readonly cloudwatch: CloudWatchClient;
}

/** What the canary needs from outside. */
export interface CanaryDeps {
  readonly clients: (config: CanaryConfig) => CanaryClients;
  /** @default globalThis.fetch, SigV4-signed when the check asks */
  readonly http?: (request: HttpRequest, clients: CanaryClients) => Promise<HttpResponse>;
  /** @default process.env */
  readonly env?: Record<string, string | undefined>;
  /** @default jsonLogger */
  readonly log?: Logger;
  /** @default - now */
  readonly now?: () => Date;
}

/** The SHA-256 of the SigV4 signer, from node:crypto (no extra dependency in the bundle). */
type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

class Sha256 {
  private readonly parts: Uint8Array[] = [];
  private readonly secret?: Uint8Array;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytes(secret);
  }
  update(data: SourceData): void {
    this.parts.push(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    const h = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
    for (const p of this.parts) h.update(p);
    return Promise.resolve(new Uint8Array(h.digest()));
  }
  reset(): void {
    this.parts.length = 0;
  }
}

/**
 * Sends a check's request with fetch and an abort timeout; a signed request is signed with the
 * canary role's credentials (the same provider chain the SDK clients use) for its service:
 * `execute-api` for an IAM-authorised API, `sagemaker` (the SageMaker runtime's signing name) for
 * `POST /endpoints/<name>/invocations`, which inside the VPC resolves to the runtime's interface
 * endpoint (private DNS).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-using-iam-policies-to-invoke-api.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 */
export async function fetchRequest(request: HttpRequest, clients: CanaryClients): Promise<HttpResponse> {
  const url = new URL(request.url);
  let headers: Record<string, string> = { ...request.headers, host: url.host };
  if (request.signed) {
    const region = await clients.featureStore.config.region();
    const signer = new SignatureV4({
      service: request.signingService ?? 'execute-api',
      region,
      credentials: clients.featureStore.config.credentials,
      sha256: Sha256,
    });
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const signed = await signer.sign({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers,
      body: request.body,
    });
    headers = signed.headers;
  }
  const res = await fetch(url, {
    method: request.method,
    headers,
    body: request.body,
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  return { status: res.status, body: await res.text() };
}

/** The production clients: bounded timeouts, the standard retry strategy, 2 attempts. */
export function defaultClients(config: CanaryConfig): CanaryClients {
  const common = boundedClientConfig(2, config.timeoutMs);
  return {
    featureStore: new SageMakerFeatureStoreRuntimeClient(common),
    cloudwatch: new CloudWatchClient(common),
  };
}

/**
 * One canary run: every check, its metrics published, and a failure thrown when any check failed
 * (Synthetics then records the run as failed: `SuccessPercent` drops).
 */
export async function runCanary(deps: CanaryDeps): Promise<CheckResult[]> {
  const config = parseConfig(deps.env ?? process.env);
  const log = deps.log ?? jsonLogger(`canary-${Date.now()}`);
  const clients = deps.clients(config);
  const http = deps.http ?? fetchRequest;
  const results = await runChecks(config, {
    http: (r) => http(r, clients),
    getRecord: async (featureGroupName, recordIdentifier) => {
      const out = await clients.featureStore.send(
        new GetRecordCommand({
          FeatureGroupName: featureGroupName,
          RecordIdentifierValueAsString: recordIdentifier,
        }),
      );
      return out.Record?.map((f) => f.FeatureName ?? '');
    },
  });
  for (const r of results) (r.ok ? log.info : log.error)(`check ${r.check}`, { ...r });
  await clients.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: metricsOf(config.healthCheck, results, deps.now?.() ?? new Date()),
    }),
  );
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) throw new HealthCheckFailed(failed);
  return results;
}

/** The canary entry point (`index.handler`). */
export const handler = async (): Promise<CheckResult[]> => runCanary({ clients: defaultClients });

export { parseConfig } from './config';
export { runChecks, shapeProblems, metricsOf, HealthCheckFailed } from './checks';
