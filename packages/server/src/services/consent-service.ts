/**
 * The consent flow (OpenID Connect CIBA, as MoMo runs it): a partner asks an account holder for consent
 * (bc-authorize), trades the request id for a consent token (oauth2/token) and reads the holder's claims
 * with it (oauth2/v1_0/userinfo). A holder who answers in person (`INTERACTIVE`) is asked on their phone: the
 * request is stored as a CONSENT transaction, and until the holder answers the token endpoint says
 * `authorization_pending`, as CIBA's poll mode does (decision 0024). Any other holder consents at once (but
 * the test number that rejects approvals, and blocked or unknown holders); those requests and every token are
 * signed, so nothing needs storing.
 */
import { randomUUID } from 'node:crypto';
import { type Product, TARGET_ENVIRONMENTS, type TargetEnvironment, type UserInfo } from '@openmomo/contract';
import { planPayerDecision } from '../domain/payments/payer-decision.js';
import { findTestNumberScenario } from '../domain/payments/sandbox-test-numbers.js';
import type { AccessClaims, AccessService } from './access-service.js';
import { SANDBOX_HOLDER_NAMES } from './accounts.js';
import type { ServiceContext } from './context.js';
import { type MomoFailure, momoFailure } from './outcomes.js';
import type { ConsentRequest } from './resources/consent.js';
import { checkCallbackUrl, checkParty, isFailure } from './resources/validation.js';
import type { TokenClaims, TokenCodec } from './token-codec.js';
import type { TransactionService } from './transaction-service.js';

export const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';
/** How long a consent request can be redeemed, and how often a client should poll (MoMo's values). */
const CONSENT_REQUEST_TTL_SECONDS = 3600;
const POLL_INTERVAL_SECONDS = 5;
const REFRESH_TOKEN_TTL_SECONDS = 24 * 3600;
const LOGIN_HINT_PATTERN = /^ID:([^/\s]+)\/MSISDN$/i;

interface ConsentSubject {
  /** The account holder's MSISDN. */
  readonly sub: string;
  /** The API user the consent was given to. */
  readonly aud: string;
  readonly prd: Product;
  readonly env: TargetEnvironment;
  readonly scope: string;
}
interface ConsentRequestClaims extends TokenClaims, ConsentSubject {
  readonly typ: 'consent-request';
  /** The X-Reference-Id of the CONSENT transaction when the holder is asked in person; absent otherwise. */
  readonly ref?: string;
}
interface ConsentTokenClaims extends TokenClaims, ConsentSubject {
  readonly typ: 'consent';
}
interface RefreshTokenClaims extends TokenClaims, ConsentSubject {
  readonly typ: 'consent-refresh';
}

export type OAuthError = {
  readonly kind: 'oauth-error';
  readonly status: 400 | 401;
  readonly error: string;
  readonly description: string;
};

const oauthError = (error: string, description: string, status: 400 | 401 = 400): OAuthError => ({
  kind: 'oauth-error',
  status,
  error,
  description,
});

export function createConsentService(
  context: ServiceContext,
  tokens: TokenCodec,
  access: AccessService,
  transactions: TransactionService,
) {
  const { store, config, clock } = context;

  function issueConsent(subject: ConsentSubject) {
    return {
      access_token: tokens.sign<ConsentTokenClaims>({ typ: 'consent', ...subject }, config.tokenTtlSeconds),
      token_type: 'Bearer',
      expires_in: config.tokenTtlSeconds,
      scope: subject.scope,
      refresh_token: tokens.sign<RefreshTokenClaims>(
        { typ: 'consent-refresh', ...subject },
        REFRESH_TOKEN_TTL_SECONDS,
      ),
      refresh_token_expired_in: REFRESH_TOKEN_TTL_SECONDS,
    };
  }

  /**
   * Whether the holder is asked in person: whoever a payment would wait for (an active interactive holder, the
   * sandbox's interactive number), by the same rule.
   */
  async function asksInPerson(msisdn: string): Promise<boolean> {
    const holder = await store.accountHolders.findByParty('MSISDN', msisdn);
    const facts = {
      payer: holder === undefined ? null : { status: holder.status, approvalMode: holder.approvalMode },
      scenario: config.sandboxMode ? findTestNumberScenario(msisdn) : undefined,
    };
    return planPayerDecision(facts, config, clock.nowMs()).awaitingPayer;
  }

  /** The answer of a holder asked in person, as the token endpoint gives it; undefined once they approved. */
  async function answerInPerson(apiUserId: string, referenceId: string): Promise<OAuthError | undefined> {
    const consent = await store.transactions.findByReference(apiUserId, referenceId);
    if (consent?.kind !== 'CONSENT') {
      return oauthError('invalid_grant', 'The auth_req_id names no consent request.');
    }
    if (consent.status === 'PENDING') {
      return oauthError('authorization_pending', 'The account holder has not answered yet.');
    }
    if (consent.status === 'SUCCESSFUL') {
      return undefined;
    }
    return consent.reason === 'EXPIRED'
      ? oauthError('expired_token', 'The account holder did not answer in time.')
      : oauthError('access_denied', 'The account holder did not consent.');
  }

  /** Whether the holder consents: a blocked or unknown holder cannot, and the rejecting test number does not. */
  async function consents(msisdn: string): Promise<boolean> {
    const holder = await store.accountHolders.findByParty('MSISDN', msisdn);
    const scenario = config.sandboxMode ? findTestNumberScenario(msisdn) : undefined;
    if (scenario?.kind === 'fail' && scenario.reason === 'APPROVAL_REJECTED') {
      return false;
    }
    return holder === undefined
      ? config.sandboxMode && scenario?.kind !== 'unknown-payer'
      : holder.status === 'ACTIVE';
  }

  return {
    /** POST /{product}/v1_0/bc-authorize */
    async authorize(
      caller: AccessClaims,
      form: { login_hint?: string; scope?: string; access_type?: string },
      callbackUrl: string | undefined,
    ) {
      // No callback is sent (decision 0024), but a URL the API user may not name is refused as on any call.
      const callbackProblem = checkCallbackUrl(caller, callbackUrl);
      if (callbackProblem !== null) {
        return callbackProblem;
      }
      const msisdn = LOGIN_HINT_PATTERN.exec(form.login_hint ?? '')?.[1];
      if (msisdn === undefined) {
        return momoFailure('BAD_REQUEST', 'login_hint must be ID:{msisdn}/MSISDN.');
      }
      const party = checkParty('login_hint', { partyIdType: 'MSISDN', partyId: msisdn });
      if (isFailure(party)) {
        return party;
      }
      const scope = (form.scope ?? '').trim();
      if (scope === '') {
        return momoFailure('MISSING_SCOPE_INSTRUCTION', 'scope is required, e.g. profile.');
      }
      if (form.access_type !== 'online' && form.access_type !== 'offline') {
        return momoFailure('BAD_REQUEST', 'access_type must be online or offline.');
      }
      let referenceId: string | undefined;
      if (await asksInPerson(party.partyId)) {
        referenceId = randomUUID();
        const request: ConsentRequest = { scope, access_type: form.access_type };
        const created = await transactions.create({
          caller,
          referenceId,
          callbackUrl: undefined,
          draft: {
            kind: 'CONSENT',
            product: caller.product,
            amountMinor: 0n,
            // Nothing is paid; the environment's currency keeps every view of transactions well-formed.
            currency: TARGET_ENVIRONMENTS[caller.targetEnvironment][0],
            party,
            externalId: null,
            payerMessage: null,
            payeeNote: null,
            relatedTransactionId: null,
            payableForSeconds: null,
            request,
          },
        });
        if (created.kind !== 'accepted') {
          return created;
        }
      }
      const authReqId = tokens.sign<ConsentRequestClaims>(
        {
          typ: 'consent-request',
          sub: party.partyId,
          aud: caller.apiUserId,
          prd: caller.product,
          env: caller.targetEnvironment,
          scope,
          ...(referenceId === undefined ? {} : { ref: referenceId }),
        },
        CONSENT_REQUEST_TTL_SECONDS,
      );
      return {
        auth_req_id: authReqId,
        interval: POLL_INTERVAL_SECONDS,
        expires_in: CONSENT_REQUEST_TTL_SECONDS,
      };
    },

    /** POST /{product}/oauth2/token/: a consent request (or a refresh token) for a consent token. */
    async exchange(input: {
      partnerId: string;
      product: Product;
      authorization: string | undefined;
      form: { grant_type?: string; auth_req_id?: string; refresh_token?: string };
    }) {
      const apiUser = await access.authenticateApiUser(input.partnerId, input.authorization);
      if (apiUser === undefined) {
        return oauthError(
          'login_failed',
          'Basic credentials of an API user of this partner are required.',
          401,
        );
      }
      const { grant_type: grantType } = input.form;
      const redeemed =
        grantType === CIBA_GRANT_TYPE
          ? tokens.verify<ConsentRequestClaims>(input.form.auth_req_id ?? '', 'consent-request')
          : grantType === 'refresh_token'
            ? tokens.verify<RefreshTokenClaims>(input.form.refresh_token ?? '', 'consent-refresh')
            : undefined;
      if (redeemed === undefined) {
        return oauthError(
          'unsupported_grant_type',
          `grant_type must be ${CIBA_GRANT_TYPE} or refresh_token.`,
        );
      }
      if (redeemed.kind !== 'valid') {
        return oauthError(
          redeemed.kind === 'expired' ? 'expired_token' : 'invalid_grant',
          `The ${grantType === 'refresh_token' ? 'refresh token' : 'auth_req_id'} is ${redeemed.kind}.`,
        );
      }
      const { sub, aud, prd, env, scope } = redeemed.claims;
      if (aud !== apiUser.id || prd !== input.product) {
        return oauthError(
          'invalid_grant',
          'The consent was requested by another API user or for another product.',
        );
      }
      if (grantType === CIBA_GRANT_TYPE) {
        const ref = (redeemed.claims as Partial<ConsentRequestClaims>).ref;
        if (ref !== undefined) {
          const refusal = await answerInPerson(apiUser.id, ref);
          if (refusal !== undefined) {
            return refusal;
          }
        }
        // Asked in person or not, a holder blocked (or gone) since cannot consent.
        if (!(await consents(sub))) {
          return oauthError('access_denied', 'The account holder did not consent.');
        }
      }
      return issueConsent({ sub, aud, prd, env, scope });
    },

    /**
     * GET /{product}/oauth2/v1_0/userinfo with a consent token, which only its own partner's subscription key
     * may present, as with an access token.
     */
    async userInfo(
      authorization: string | undefined,
      product: Product,
      targetEnvironment: string | undefined,
      partnerId: string,
    ): Promise<UserInfo | MomoFailure | 'unauthorized'> {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      const verified = token === undefined ? undefined : tokens.verify<ConsentTokenClaims>(token, 'consent');
      if (
        verified?.kind !== 'valid' ||
        verified.claims.prd !== product ||
        access.isApiUserRevoked(verified.claims.aud) ||
        (await access.findApiUser(partnerId, verified.claims.aud)) === undefined
      ) {
        return 'unauthorized';
      }
      if (targetEnvironment === undefined || targetEnvironment.trim() === '') {
        // As every other product call answers a missing header (product-auth.ts).
        return momoFailure('BAD_REQUEST', 'X-Target-Environment header is required.');
      }
      if (targetEnvironment !== verified.claims.env) {
        return momoFailure('NOT_ALLOWED_TARGET_ENVIRONMENT');
      }
      const msisdn = verified.claims.sub;
      const holder = await store.accountHolders.findByParty('MSISDN', msisdn);
      const { givenName, familyName } = holder ?? SANDBOX_HOLDER_NAMES;
      return {
        sub: msisdn,
        name: `${givenName} ${familyName}`,
        given_name: givenName,
        family_name: familyName,
        middle_name: '',
        email: '',
        email_verified: false,
        gender: holder?.gender ?? '',
        locale: holder?.locale ?? 'en',
        phone_number: msisdn,
        phone_number_verified: true,
        address: '',
        updated_at: Math.floor((holder?.createdAtMs ?? 0) / 1000),
        status: holder?.status ?? 'ACTIVE',
        birthdate: holder?.birthdate ?? '',
        credit_score: '',
        active: (holder?.status ?? 'ACTIVE') === 'ACTIVE',
        country_of_birth: '',
        region_of_birth: '',
        city_of_birth: '',
        occupation: '',
        employer_name: '',
        identification_type: '',
        identification_value: '',
      };
    },
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
