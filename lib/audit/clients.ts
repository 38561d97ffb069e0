import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { boundedHttpOptions } from '../handlers/shared/http';

/** The read-only clients the audit uses. */
export interface AuditClients {
  readonly sagemaker: SageMakerClient;
  readonly kms: KMSClient;
  readonly cloudwatch: CloudWatchClient;
  /** IAM is global: the client's region only picks the partition's endpoint. */
  readonly iam: IAMClient;
}

/** Where and as whom the audit runs. */
export interface AuditClientOptions {
  /** The region to audit. */
  readonly region: string;
  /**
   * A profile of the shared config and credentials files.
   * @default - the SDK's default credential chain (AWS_PROFILE, environment, SSO, instance role, ...)
   */
  readonly profile?: string;
  /**
   * Attempts per request, retries on throttling, 5xx and timeouts included.
   * @default 6
   */
  readonly maxAttempts?: number;
  /**
   * Milliseconds each request may take (connection, answer, silence on the socket) before it fails
   * with a `TimeoutError`; the SDK retries it up to `maxAttempts`, then the audit stops.
   * @default 20000
   */
  readonly requestTimeoutMs?: number;
}

/** Default of {@link AuditClientOptions.requestTimeoutMs}. */
export const DEFAULT_AUDIT_REQUEST_TIMEOUT_MS = 20_000;

/**
 * Builds the clients of one region. The SDK's standard retry strategy backs off exponentially
 * with jitter on throttling and 5xx errors; `maxAttempts` bounds it.
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export type AuditClientFactory = (options: AuditClientOptions) => AuditClients;

/**
 * The production factory: SDK v3 clients with the default endpoint resolution, and connection,
 * request and socket timeouts that throw (an endpoint that never answers ends the audit within
 * about `maxAttempts × requestTimeoutMs` instead of hanging it).
 */
export const createAuditClients: AuditClientFactory = (options) => {
  const config = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 6,
    requestHandler: boundedHttpOptions(options.requestTimeoutMs ?? DEFAULT_AUDIT_REQUEST_TIMEOUT_MS),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  };
  return {
    sagemaker: new SageMakerClient(config),
    kms: new KMSClient(config),
    cloudwatch: new CloudWatchClient(config),
    iam: new IAMClient(config),
  };
};

/** Closes the clients' connection pools so the process can exit promptly. */
export function destroyClients(clients: AuditClients): void {
  clients.sagemaker.destroy();
  clients.kms.destroy();
  clients.cloudwatch.destroy();
  clients.iam.destroy();
}
