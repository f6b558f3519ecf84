/** Sandbox provisioning (MTN's sandbox and OpenMoMo's): an API user and its API key for a subscription key. */
import type { ApiUserResult } from '@openmomo/contract';
import { unexpectedAnswer } from './errors.js';
import { createTransport, type MomoClientOptions } from './momo-client.js';
import { asRecord, asText } from './parsing.js';
import type { ProductCredentials } from './product-api.js';

export interface SandboxUserOptions
  extends Pick<MomoClientOptions, 'baseUrl' | 'timeoutMs' | 'maxRetries' | 'fetch'> {
  readonly subscriptionKey: string;
  /** The host callbacks of this API user may go to. */
  readonly providerCallbackHost: string;
  /** The new API user's id (its X-Reference-Id); generated when omitted. */
  readonly apiUserId?: string;
}

/** Creates a sandbox API user and an API key for it: the credentials `MomoClient` needs for one product. */
export async function provisionSandboxUser(options: SandboxUserOptions): Promise<ProductCredentials> {
  const transport = createTransport(options);
  const apiUserId = options.apiUserId ?? crypto.randomUUID();
  const headers = { 'Ocp-Apim-Subscription-Key': options.subscriptionKey };
  await transport.send({
    method: 'POST',
    path: '/v1_0/apiuser',
    headers: { ...headers, 'X-Reference-Id': apiUserId },
    json: { providerCallbackHost: options.providerCallbackHost },
    idempotent: true,
    isCreation: true,
    referenceId: apiUserId,
  });
  const answer = await transport.send({
    method: 'POST',
    path: `/v1_0/apiuser/${apiUserId}/apikey`,
    headers,
    idempotent: false,
  });
  const apiKey = asText(asRecord(answer.body).apiKey);
  if (apiKey === undefined) {
    throw unexpectedAnswer(answer, 'an apiKey', apiUserId);
  }
  return { subscriptionKey: options.subscriptionKey, apiUserId, apiKey };
}

/** The API user's callback host and environment. */
export async function getSandboxUser(
  options: Omit<SandboxUserOptions, 'providerCallbackHost'> & { apiUserId: string },
): Promise<ApiUserResult> {
  const answer = await createTransport(options).send({
    method: 'GET',
    path: `/v1_0/apiuser/${options.apiUserId}`,
    headers: { 'Ocp-Apim-Subscription-Key': options.subscriptionKey },
    idempotent: true,
  });
  const body = asRecord(answer.body);
  const providerCallbackHost = asText(body.providerCallbackHost);
  const targetEnvironment = asText(body.targetEnvironment);
  if (providerCallbackHost === undefined || targetEnvironment === undefined) {
    throw unexpectedAnswer(answer, 'providerCallbackHost and targetEnvironment', options.apiUserId);
  }
  return { providerCallbackHost, targetEnvironment };
}
