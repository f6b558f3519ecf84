/** What every product offers besides its resources: balance, account-holder look-ups and the consent flow. */
import type { BasicUserInfo, Oauth2TokenResult, UserInfo } from '@openmomo/contract';
import { MomoError, unexpectedAnswer } from '../errors.js';
import { asRecord, asText } from '../parsing.js';
import type { ProductApi } from '../product-api.js';
import { abortedError, type HttpAnswer, pause } from '../transport.js';

export type AccountHolderIdType = 'msisdn' | 'email' | 'party_code';

export interface Balance {
  readonly availableBalance: string;
  readonly currency: string;
}

/** Options of every account call. */
export interface CallOptions {
  /** Ends the call with `MomoConnectionError` code `ABORTED`. */
  readonly signal?: AbortSignal;
}

export interface AccountApi {
  /** The partner's balance of this product, in the environment's currency or `currency`. */
  balance(currency?: string, options?: CallOptions): Promise<Balance>;
  /** Whether an account holder exists and is active. */
  isAccountHolderActive(idType: AccountHolderIdType, id: string, options?: CallOptions): Promise<boolean>;
  basicUserInfo(msisdn: string, options?: CallOptions): Promise<BasicUserInfo>;
  /**
   * Consent flow, step 1: ask the holder of `msisdn` for consent to `scope`. An answer without `interval` or
   * `expires_in` has CIBA's defaults: 5 seconds, and 5 minutes.
   */
  bcAuthorize(
    input: { msisdn: string; scope: string; accessType?: 'online' | 'offline' },
    options?: CallOptions,
  ): Promise<{
    authReqId: string;
    intervalSeconds: number;
    expiresInSeconds: number;
  }>;
  /** Consent flow, step 2: redeem the request (or a refresh token) for a consent token. */
  consentToken(
    grant: { authReqId: string } | { refreshToken: string },
    options?: CallOptions,
  ): Promise<Oauth2TokenResult>;
  /**
   * Consent flow, step 2 when the holder is asked on their phone: redeems the request every
   * `intervalSeconds` (bcAuthorize's answer) while the server answers `authorization_pending`, five seconds
   * more after each `slow_down`, as CIBA's poll mode asks. Throws the server's refusal (`access_denied`,
   * `expired_token`, …) as it comes, `WAIT_TIMEOUT` after `timeoutMs` (the request's `expiresInSeconds`
   * when given, else 5 minutes), and `MomoConnectionError` code `ABORTED` as soon as `signal` aborts.
   */
  waitForConsentToken(
    request: { authReqId: string; intervalSeconds: number; expiresInSeconds?: number },
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<Oauth2TokenResult>;
  /** Consent flow, step 3: the holder's claims. */
  userInfo(consentAccessToken: string, options?: CallOptions): Promise<UserInfo>;
}

/** A number of seconds the server gave, or `fallback` when it gave none that can be waited for. */
function positiveSeconds(value: unknown, fallback: number): number {
  const seconds = Number(asText(value));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : fallback;
}

/** The body of a success answer that must be a JSON object (claims, a token). */
function jsonObject(answer: HttpAnswer, what: string): Record<string, unknown> {
  if (typeof answer.body !== 'object' || answer.body === null || Array.isArray(answer.body)) {
    throw unexpectedAnswer(answer, what);
  }
  return answer.body as Record<string, unknown>;
}

export function accountApi(api: ProductApi): AccountApi {
  const redeem = async (
    grant: { authReqId: string } | { refreshToken: string },
    signal?: AbortSignal,
  ): Promise<Oauth2TokenResult> => {
    const form: Record<string, string> =
      'authReqId' in grant
        ? { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: grant.authReqId }
        : { grant_type: 'refresh_token', refresh_token: grant.refreshToken };
    const answer = await api.callWithBasic({
      method: 'POST',
      path: '/oauth2/token/',
      // MTN's definition of this call requires it, unlike /token/'s.
      headers: { 'X-Target-Environment': api.targetEnvironment },
      form,
      idempotent: false,
      signal,
    });
    if (asText(jsonObject(answer, 'a consent token').access_token) === undefined) {
      throw unexpectedAnswer(answer, 'access_token');
    }
    return answer.body as Oauth2TokenResult;
  };
  return {
    async balance(currency, { signal } = {}) {
      const path =
        currency === undefined
          ? '/v1_0/account/balance'
          : `/v1_0/account/balance/${encodeURIComponent(currency)}`;
      const answer = await api.call({ method: 'GET', path, idempotent: true, signal });
      const body = asRecord(answer.body);
      const availableBalance = asText(body.availableBalance);
      const balanceCurrency = asText(body.currency);
      if (availableBalance === undefined || balanceCurrency === undefined) {
        throw unexpectedAnswer(answer, 'availableBalance and currency');
      }
      return { availableBalance, currency: balanceCurrency };
    },
    async isAccountHolderActive(idType, id, { signal } = {}) {
      const path = `/v1_0/accountholder/${idType}/${encodeURIComponent(id)}/active`;
      const answer = await api.call({ method: 'GET', path, idempotent: true, signal });
      // Some servers answer a bare boolean, MoMo answers {result}.
      const result = typeof answer.body === 'boolean' ? answer.body : asRecord(answer.body).result;
      if (result !== true && result !== false && result !== 'true' && result !== 'false') {
        throw unexpectedAnswer(answer, 'a result');
      }
      return result === true || result === 'true';
    },
    async basicUserInfo(msisdn, { signal } = {}) {
      const path = `/v1_0/accountholder/msisdn/${encodeURIComponent(msisdn)}/basicuserinfo`;
      const answer = await api.call({ method: 'GET', path, idempotent: true, signal });
      return jsonObject(answer, "the holder's details") as BasicUserInfo;
    },
    async bcAuthorize({ msisdn, scope, accessType = 'offline' }, { signal } = {}) {
      const answer = await api.call({
        method: 'POST',
        path: '/v1_0/bc-authorize',
        form: { login_hint: `ID:${msisdn}/MSISDN`, scope, access_type: accessType },
        idempotent: false,
        signal,
      });
      const body = asRecord(answer.body);
      const authReqId = asText(body.auth_req_id);
      if (authReqId === undefined) {
        throw unexpectedAnswer(answer, 'auth_req_id');
      }
      return {
        authReqId,
        intervalSeconds: positiveSeconds(body.interval, 5),
        expiresInSeconds: positiveSeconds(body.expires_in, 300),
      };
    },
    consentToken: (grant, { signal } = {}) => redeem(grant, signal),
    async waitForConsentToken(request, options = {}) {
      const { signal } = options;
      const timeoutMs = options.timeoutMs ?? (request.expiresInSeconds ?? 300) * 1000;
      const deadline = Date.now() + timeoutMs;
      let intervalMs = request.intervalSeconds * 1000;
      const waitFor = async (ms: number) => {
        await pause(ms, signal);
        if (signal?.aborted === true) {
          throw abortedError('waiting for the consent', signal);
        }
      };
      for (;;) {
        try {
          return await redeem({ authReqId: request.authReqId }, signal);
        } catch (error) {
          if (!(error instanceof MomoError) || !['authorization_pending', 'slow_down'].includes(error.code)) {
            throw error;
          }
          intervalMs += error.code === 'slow_down' ? 5000 : 0;
        }
        if (Date.now() + intervalMs > deadline) {
          // Asking again sooner than the interval would be refused (slow_down): wait out the time given.
          await waitFor(Math.max(0, deadline - Date.now()));
          throw new MomoError({
            status: null,
            code: 'WAIT_TIMEOUT',
            message: `the account holder had not answered the consent request after ${timeoutMs} ms`,
          });
        }
        await waitFor(intervalMs);
      }
    },
    async userInfo(consentAccessToken, { signal } = {}) {
      const answer = await api.call({
        method: 'GET',
        path: '/oauth2/v1_0/userinfo',
        headers: { Authorization: `Bearer ${consentAccessToken}` },
        idempotent: true,
        signal,
      });
      return jsonObject(answer, "the holder's claims") as UserInfo;
    },
  };
}
