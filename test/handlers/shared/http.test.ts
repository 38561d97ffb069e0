import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListEndpointsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedHttpOptions } from '../../../lib/handlers/shared/http';

describe('boundedHttpOptions', () => {
  it('sets connection, request and socket timeouts, and makes the request timeout throw', () => {
    // In @smithy/node-http-handler 4.x a requestTimeout alone only logs a warning; it rejects the
    // request only with throwOnRequestTimeout (see setRequestTimeout in its dist-cjs/index.js).
    expect(boundedHttpOptions(10_000)).toEqual({
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      socketTimeout: 10_000,
      throwOnRequestTimeout: true,
    });
    // A short request timeout never waits longer for the connection than for the answer.
    expect(boundedHttpOptions(500).connectionTimeout).toBe(500);
  });

  describe('against a server that sends the headers and then stalls the body', () => {
    let server: Server;
    let endpoint: string;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': '1000' });
        res.write('{"Endpoints":[');
        // ...and nothing more: the request timeout is already cleared once headers arrive.
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('the socket timeout ends the stalled response with a TimeoutError', async () => {
      const sm = new SageMakerClient({
        endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
        maxAttempts: 1,
        requestHandler: boundedHttpOptions(300),
      });
      const started = Date.now();
      const err = await sm.send(new ListEndpointsCommand({})).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeLessThan(3000);
      sm.destroy();
    }, 10_000);
  });
});
