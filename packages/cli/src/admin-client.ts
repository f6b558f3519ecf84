/** The operator API of a running OpenMoMo server (/admin/v1), as the server-side commands use it. */
import { MomoError } from '@openmomo/sdk';

export interface AdminTarget {
  readonly serverUrl: string;
  readonly operatorToken: string | undefined;
}

export async function adminCall(
  target: AdminTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${target.serverUrl.replace(/\/+$/, '')}/admin/v1${path}`, {
      method,
      headers: {
        ...(target.operatorToken === undefined ? {} : { Authorization: `Bearer ${target.operatorToken}` }),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new MomoError({
      status: null,
      code: 'CONNECTION_FAILED',
      message: `no OpenMoMo server answers at ${target.serverUrl} (${error instanceof Error ? error.message : String(error)}); start one with "openmomo serve"`,
    });
  }
  const text = await response.text();
  // Something in front of the server (a proxy's 502 page, a captive portal) answers with something other than
  // JSON: its HTTP status says what happened, not the parse error its body would give.
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (!response.ok) {
    const record = (isJson && typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
      string,
      unknown
    >;
    throw new MomoError({
      status: response.status,
      code: typeof record.code === 'string' ? record.code : `HTTP_${response.status}`,
      message:
        typeof record.message === 'string' ? record.message : response.statusText || 'no explanation given',
      raw: isJson ? parsed : text,
    });
  }
  if (!isJson) {
    throw new MomoError({
      status: response.status,
      code: 'UNEXPECTED_RESPONSE',
      message: `the server answered with something other than JSON; is ${target.serverUrl} an OpenMoMo server?`,
      raw: text,
    });
  }
  return parsed;
}
