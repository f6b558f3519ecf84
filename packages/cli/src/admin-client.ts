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
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const record = (parsed ?? {}) as Record<string, unknown>;
    throw new MomoError({
      status: response.status,
      code: typeof record.code === 'string' ? record.code : `HTTP_${response.status}`,
      message: typeof record.message === 'string' ? record.message : text,
      raw: parsed,
    });
  }
  return parsed;
}
