/** What every product offers besides its resources: balance, account-holder look-ups and the consent flow. */
import type { BasicUserInfo, Oauth2TokenResult, UserInfo } from '@openmomo/contract';
import { MomoError } from '../errors.js';
import { asRecord, asText } from '../parsing.js';
import type { ProductApi } from '../product-api.js';

export type AccountHolderIdType = 'msisdn' | 'email' | 'party_code';

export interface Balance {
  readonly availableBalance: string;
  readonly currency: string;
}

export interface AccountApi {
  /** The partner's balance of this product, in the environment's currency or `currency`. */
  balance(currency?: string): Promise<Balance>;
  /** Whether an account holder exists and is active. */
  isAccountHolderActive(idType: AccountHolderIdType, id: string): Promise<boolean>;
  basicUserInfo(msisdn: string): Promise<BasicUserInfo>;
  /** Consent flow, step 1: ask the holder of `msisdn` for consent to `scope`. */
  bcAuthorize(input: { msisdn: string; scope: string; accessType?: 'online' | 'offline' }): Promise<{
    authReqId: string;
    intervalSeconds: number;
    expiresInSeconds: number;
  }>;
  /** Consent flow, step 2: redeem the request (or a refresh token) for a consent token. */
  consentToken(grant: { authReqId: string } | { refreshToken: string }): Promise<Oauth2TokenResult>;
  /**
   * Consent flow, step 2 when the holder is asked on their phone: redeems the request every
   * `intervalSeconds` (bcAuthorize's answer) while the server answers `authorization_pending`, five seconds
   * more after each `slow_down`, as CIBA's poll mode asks. Throws the server's refusal (`access_denied`,
   * `expired_token`, …) as it comes, and `WAIT_TIMEOUT` after `timeoutMs` (the request's `expiresInSeconds`
   * when given, else 5 minutes).
   */
  waitForConsentToken(
    request: { authReqId: string; intervalSeconds: number; expiresInSeconds?: number },
    options?: { timeoutMs?: number },
  ): Promise<Oauth2TokenResult>;
  /** Consent flow, step 3: the holder's claims. */
  userInfo(consentAccessToken: string): Promise<UserInfo>;
}

export function accountApi(api: ProductApi): AccountApi {
  const consentToken: AccountApi['consentToken'] = async (grant) => {
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
    });
    return answer.body as Oauth2TokenResult;
  };
  return {
    async balance(currency) {
      const path =
        currency === undefined
          ? '/v1_0/account/balance'
          : `/v1_0/account/balance/${encodeURIComponent(currency)}`;
      const body = asRecord((await api.call({ method: 'GET', path, idempotent: true })).body);
      return {
        availableBalance: asText(body.availableBalance) ?? '0',
        currency: asText(body.currency) ?? '',
      };
    },
    async isAccountHolderActive(idType, id) {
      const path = `/v1_0/accountholder/${idType}/${encodeURIComponent(id)}/active`;
      const body = (await api.call({ method: 'GET', path, idempotent: true })).body;
      // Some servers answer a bare boolean, MoMo answers {result}.
      return typeof body === 'boolean'
        ? body
        : asRecord(body).result === true || asRecord(body).result === 'true';
    },
    async basicUserInfo(msisdn) {
      const path = `/v1_0/accountholder/msisdn/${encodeURIComponent(msisdn)}/basicuserinfo`;
      return (await api.call({ method: 'GET', path, idempotent: true })).body as BasicUserInfo;
    },
    async bcAuthorize({ msisdn, scope, accessType = 'offline' }) {
      const answer = await api.call({
        method: 'POST',
        path: '/v1_0/bc-authorize',
        form: { login_hint: `ID:${msisdn}/MSISDN`, scope, access_type: accessType },
        idempotent: false,
      });
      const body = asRecord(answer.body);
      return {
        authReqId: asText(body.auth_req_id) ?? '',
        intervalSeconds: Number(asText(body.interval) ?? 5),
        expiresInSeconds: Number(asText(body.expires_in) ?? 0),
      };
    },
    consentToken,
    async waitForConsentToken(request, options = {}) {
      const timeoutMs = options.timeoutMs ?? (request.expiresInSeconds ?? 300) * 1000;
      const deadline = Date.now() + timeoutMs;
      let intervalMs = request.intervalSeconds * 1000;
      for (;;) {
        try {
          return await consentToken({ authReqId: request.authReqId });
        } catch (error) {
          if (!(error instanceof MomoError) || !['authorization_pending', 'slow_down'].includes(error.code)) {
            throw error;
          }
          intervalMs += error.code === 'slow_down' ? 5000 : 0;
        }
        if (Date.now() + intervalMs > deadline) {
          // Asking again sooner than the interval would be refused (slow_down): wait out the time given.
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
          throw new MomoError({
            status: null,
            code: 'WAIT_TIMEOUT',
            message: `the account holder had not answered the consent request after ${timeoutMs} ms`,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    },
    async userInfo(consentAccessToken) {
      const answer = await api.call({
        method: 'GET',
        path: '/oauth2/v1_0/userinfo',
        headers: { Authorization: `Bearer ${consentAccessToken}` },
        idempotent: true,
      });
      return answer.body as UserInfo;
    },
  };
}
