/** What every deployment answers: health, the OpenAPI document and docs UI, and MoMo's shape for unknown routes. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { http } from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe.each(ENGINES)('platform endpoints on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  it('reports liveness and database reachability at /health', async () => {
    const response = await http(server.baseUrl, 'GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', database: 'ok', engine, sandboxMode: true });
  });

  it('serves an OpenAPI 3 document describing every MoMo route it answers', async () => {
    const response = await http(server.baseUrl, 'GET', '/openapi.json');
    const document = response.body as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(response.status).toBe(200);
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1_0/apiuser',
        '/v1_0/apiuser/{referenceId}',
        '/v1_0/apiuser/{referenceId}/apikey',
        '/collection/token/',
        '/collection/v1_0/requesttopay',
        '/collection/v1_0/requesttopay/{referenceId}',
        '/collection/v1_0/account/balance',
        '/collection/v1_0/account/balance/{currency}',
        '/disbursement/v1_0/transfer',
        '/remittance/v2_0/cashtransfer',
        '/collection/v2_0/preapproval',
      ]),
    );
    expect(Object.keys(document.paths['/collection/v1_0/requesttopay']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '401', '409']),
    );
  });

  it('serves a document that is valid against the OpenAPI 3 schema', async () => {
    const document = (await http(server.baseUrl, 'GET', '/openapi.json')).body as Parameters<
      Validator['validate']
    >[0];
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('serves the docs UI at /docs', async () => {
    const response = await fetch(`${server.baseUrl}/docs/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });

  it("answers an unknown route with the API gateway's 404 body", async () => {
    const response = await http(server.baseUrl, 'GET', '/collection/v9_9/nothing');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ statusCode: 404, message: 'Resource not found' });
  });
});
