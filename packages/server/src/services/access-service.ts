/**
 * Who may call: subscription keys (one product each), API users and their keys, and access tokens.
 * In sandbox mode a well-formed unknown subscription key is enrolled on first use, so an integration
 * written for MTN's sandbox works by changing only its base URL.
 */
import { randomUUID } from 'node:crypto';
import type { Product, TargetEnvironment } from '@openmomo/contract';
import { LRUCache } from 'lru-cache';
import type { ApiUserRecord, AuthFailureWindow, SubscriptionKeyRecord } from '../storage/store.js';
import type { ServiceContext } from './context.js';
import { generateKey, hashKey } from './secrets.js';
import type { TokenClaims, TokenCodec } from './token-codec.js';

/** MTN's subscription keys are 32 hex characters; sandbox enrollment accepts exactly that shape. */
const WELL_FORMED_SUBSCRIPTION_KEY = /^[0-9a-fA-F]{32}$/;
/**
 * Subscription keys are checked on every call; a short cache, keyed by the key as sent, keeps that off the
 * database and off SHA-256.
 */
const SUBSCRIPTION_KEY_CACHE_MS = 30_000;
/** Sandbox enrolls any well-formed key, so the cache must stop growing somewhere. */
const SUBSCRIPTION_KEY_CACHE_MAX = 10_000;

export type SubscriptionKeyCheck =
  | { readonly kind: 'accepted'; readonly partnerId: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid' };

export type TokenIssue =
  | { readonly kind: 'issued'; readonly accessToken: string; readonly expiresInSeconds: number }
  | { readonly kind: 'login-failed' };

export interface AccessClaims {
  readonly apiUserId: string;
  readonly partnerId: string;
  readonly product: Product;
  readonly targetEnvironment: TargetEnvironment;
  readonly providerCallbackHost: string;
}

export type TokenCheck =
  | ({ readonly kind: 'accepted' } & AccessClaims)
  | { readonly kind: 'missing' | 'invalid' | 'expired' | 'wrong-product' };

export type ApiUserCreation = { readonly kind: 'created' } | { readonly kind: 'duplicate' };

/** An access token's claims: the API user, its partner, the product, its environment and callback host. */
interface AccessTokenClaims extends TokenClaims {
  readonly typ: 'access';
  readonly sub: string;
  readonly pid: string;
  readonly prd: Product;
  readonly env: TargetEnvironment;
  readonly cbh: string;
}

export interface AccessService {
  checkSubscriptionKey(key: string | undefined, product: Product | null): Promise<SubscriptionKeyCheck>;
  /**
   * `checkSubscriptionKey` answered from memory alone, without a promise; undefined when it needs the database
   * (a key not cached, or cached but not bound to `product` yet).
   */
  checkSubscriptionKeyInMemory(
    key: string | undefined,
    product: Product | null,
  ): SubscriptionKeyCheck | undefined;
  createApiUser(input: {
    partnerId: string;
    apiUserId: string;
    providerCallbackHost: string;
    targetEnvironment: TargetEnvironment;
  }): Promise<ApiUserCreation>;
  findApiUser(partnerId: string, apiUserId: string): Promise<ApiUserRecord | undefined>;
  /** A new API key for the user, or undefined when the user is not the partner's. */
  createApiKey(partnerId: string, apiUserId: string): Promise<string | undefined>;
  issueToken(input: {
    partnerId: string;
    product: Product;
    authorization: string | undefined;
  }): Promise<TokenIssue>;
  /** The API user of `partnerId` whose Basic apiUser:apiKey credentials these are, if any. */
  authenticateApiUser(
    partnerId: string,
    authorization: string | undefined,
  ): Promise<ApiUserRecord | undefined>;
  checkToken(authorization: string | undefined, product: Product): TokenCheck;
  createPartner(name: string): Promise<string>;
  /** An API user in any environment with its first API key (operators); undefined when the partner is unknown. */
  createApiUserWithKey(input: {
    partnerId: string;
    providerCallbackHost: string;
    targetEnvironment: TargetEnvironment;
  }): Promise<{ apiUserId: string; apiKey: string } | undefined>;
  issueSubscriptionKey(partnerId: string, product: Product): Promise<string | undefined>;
  /**
   * Counts an authentication failure of `clientAddress` where every server on the database sees it, and
   * answers the count of its current window (`AUTH_FAILURE_WINDOW_SECONDS`).
   */
  countAuthFailure(clientAddress: string): Promise<AuthFailureWindow>;
  /**
   * Revokes an API user: its API keys no longer log in and its access tokens are refused, on this server at
   * once and on every other server on the database at its next `refreshRevocations`. Undefined when unknown.
   */
  revokeApiUser(apiUserId: string): Promise<ApiUserRecord | undefined>;
  /** Revokes a subscription key (as `revokeApiUser` does an API user). Undefined when unknown. */
  revokeSubscriptionKey(key: string): Promise<SubscriptionKeyRecord | undefined>;
  /** Reads what every server on the database has revoked; the server calls it at start and then regularly. */
  refreshRevocations(): Promise<void>;
  /** Whether the API user is revoked, as far as this server knows (see `revokeApiUser`). */
  isApiUserRevoked(apiUserId: string): boolean;
}

function parseBasic(authorization: string | undefined): { user: string; key: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  return separator < 0 ? undefined : { user: decoded.slice(0, separator), key: decoded.slice(separator + 1) };
}

export function createAccessService(context: ServiceContext, tokens: TokenCodec): AccessService {
  const { store, config, clock } = context;
  let nextAuthFailureCleanUpAtMs = 0;
  // Revocations are rare and few, and checked on every request: the whole list is held, as sets.
  const revokedApiUsers = new Set<string>();
  const revokedKeyHashes = new Set<string>();
  const keyCache = new LRUCache<string, SubscriptionKeyRecord>({
    max: SUBSCRIPTION_KEY_CACHE_MAX,
    ttl: SUBSCRIPTION_KEY_CACHE_MS,
    // Age is judged by the injected clock, read on every lookup, so tests can move time past the TTL.
    perf: { now: () => clock.nowMs() },
    ttlResolution: 0,
  });

  async function authenticateApiUser(
    partnerId: string,
    authorization: string | undefined,
  ): Promise<ApiUserRecord | undefined> {
    const credentials = parseBasic(authorization);
    if (credentials === undefined) {
      return undefined;
    }
    // Stored lower-cased, as every id is (a client may send the X-Reference-Id it created it with in upper case).
    const apiUser = await store.apiUsers.findById(credentials.user.toLowerCase());
    if (
      apiUser?.partnerId !== partnerId ||
      apiUser.revokedAtMs !== null ||
      !(await store.apiKeys.exists(apiUser.id, hashKey(credentials.key)))
    ) {
      return undefined;
    }
    return apiUser;
  }

  async function findKey(key: string): Promise<SubscriptionKeyRecord | undefined> {
    const cached = keyCache.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const record = await store.subscriptionKeys.findByHash(hashKey(key));
    if (record !== undefined) {
      keyCache.set(key, record);
    }
    return record;
  }

  async function enrollSandboxKey(keyHash: string, product: Product | null): Promise<void> {
    const nowMs = clock.nowMs();
    await store
      .transaction(async (tx) => {
        const partnerId = randomUUID();
        await tx.partners.insert({ id: partnerId, name: 'Sandbox partner', createdAtMs: nowMs });
        const inserted = await tx.subscriptionKeys.insertIfAbsent({
          keyHash,
          partnerId,
          product,
          origin: 'SANDBOX_ENROLLED',
          createdAtMs: nowMs,
        });
        if (!inserted) {
          // A concurrent request enrolled the same key first; drop our partner with this transaction.
          throw new ConcurrentEnrollment();
        }
      })
      .catch((error: unknown) => {
        if (!(error instanceof ConcurrentEnrollment)) {
          throw error;
        }
      });
  }

  function checkSubscriptionKeyInMemory(
    key: string | undefined,
    product: Product | null,
  ): SubscriptionKeyCheck | undefined {
    if (key === undefined || key === '') {
      return { kind: 'missing' };
    }
    const cached = keyCache.get(key);
    if (cached !== undefined && revokedKeyHashes.has(cached.keyHash)) {
      return { kind: 'invalid' };
    }
    return cached !== undefined && (product === null || cached.product === product)
      ? { kind: 'accepted', partnerId: cached.partnerId }
      : undefined;
  }

  return {
    checkSubscriptionKeyInMemory,

    async checkSubscriptionKey(key, product) {
      if (key === undefined || key === '') {
        return { kind: 'missing' };
      }
      let record = await findKey(key);
      if (record === undefined && config.sandboxMode && WELL_FORMED_SUBSCRIPTION_KEY.test(key)) {
        await enrollSandboxKey(hashKey(key), product);
        record = await findKey(key);
      }
      if (record === undefined || record.revokedAtMs !== null || revokedKeyHashes.has(record.keyHash)) {
        return { kind: 'invalid' };
      }
      if (product !== null && record.product === null) {
        await store.subscriptionKeys.bindProduct(hashKey(key), product);
        keyCache.delete(key);
        record = await findKey(key);
      }
      if (record === undefined || (product !== null && record.product !== product)) {
        return { kind: 'invalid' };
      }
      return { kind: 'accepted', partnerId: record.partnerId };
    },

    async createApiUser({ partnerId, apiUserId, providerCallbackHost, targetEnvironment }) {
      const created = await store.apiUsers.insertIfAbsent({
        id: apiUserId,
        partnerId,
        providerCallbackHost,
        targetEnvironment,
        createdAtMs: clock.nowMs(),
      });
      return created ? { kind: 'created' } : { kind: 'duplicate' };
    },

    async findApiUser(partnerId, apiUserId) {
      const apiUser = await store.apiUsers.findById(apiUserId);
      return apiUser?.partnerId === partnerId && apiUser.revokedAtMs === null ? apiUser : undefined;
    },

    async createApiKey(partnerId, apiUserId) {
      const apiUser = await store.apiUsers.findById(apiUserId);
      if (apiUser?.partnerId !== partnerId || apiUser.revokedAtMs !== null) {
        return undefined;
      }
      const apiKey = generateKey();
      await store.apiKeys.insert(apiUserId, hashKey(apiKey), clock.nowMs());
      return apiKey;
    },

    authenticateApiUser,

    async issueToken({ partnerId, product, authorization }) {
      const apiUser = await authenticateApiUser(partnerId, authorization);
      if (apiUser === undefined) {
        return { kind: 'login-failed' };
      }
      const accessToken = tokens.sign<AccessTokenClaims>(
        {
          typ: 'access',
          sub: apiUser.id,
          pid: apiUser.partnerId,
          prd: product,
          env: apiUser.targetEnvironment as TargetEnvironment,
          cbh: apiUser.providerCallbackHost,
        },
        config.tokenTtlSeconds,
      );
      return { kind: 'issued', accessToken, expiresInSeconds: config.tokenTtlSeconds };
    },

    checkToken(authorization, product) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (match?.[1] === undefined) {
        return { kind: 'missing' };
      }
      const verified = tokens.verify<AccessTokenClaims>(match[1], 'access');
      if (verified.kind !== 'valid') {
        return { kind: verified.kind };
      }
      const payload = verified.claims;
      if (revokedApiUsers.has(payload.sub)) {
        return { kind: 'invalid' };
      }
      if (payload.prd !== product) {
        return { kind: 'wrong-product' };
      }
      return {
        kind: 'accepted',
        apiUserId: payload.sub,
        partnerId: payload.pid,
        product: payload.prd,
        targetEnvironment: payload.env,
        providerCallbackHost: payload.cbh,
      };
    },

    async createPartner(name) {
      const id = randomUUID();
      await store.partners.insert({ id, name, createdAtMs: clock.nowMs() });
      return id;
    },

    async createApiUserWithKey({ partnerId, providerCallbackHost, targetEnvironment }) {
      const apiUserId = randomUUID();
      const apiKey = generateKey();
      const nowMs = clock.nowMs();
      const created = await store.transaction(async (tx) => {
        if ((await tx.partners.findById(partnerId)) === undefined) {
          return false;
        }
        await tx.apiUsers.insertIfAbsent({
          id: apiUserId,
          partnerId,
          providerCallbackHost,
          targetEnvironment,
          createdAtMs: nowMs,
        });
        await tx.apiKeys.insert(apiUserId, hashKey(apiKey), nowMs);
        return true;
      });
      return created ? { apiUserId, apiKey } : undefined;
    },

    async issueSubscriptionKey(partnerId, product) {
      if ((await store.partners.findById(partnerId)) === undefined) {
        return undefined;
      }
      const key = generateKey();
      await store.subscriptionKeys.insertIfAbsent({
        keyHash: hashKey(key),
        partnerId,
        product,
        origin: 'OPERATOR',
        createdAtMs: clock.nowMs(),
      });
      return key;
    },

    async countAuthFailure(clientAddress) {
      const nowMs = clock.nowMs();
      const windowMs = config.authFailureWindowSeconds * 1000;
      const cleanUpDue = nowMs >= nextAuthFailureCleanUpAtMs;
      // A transaction, so that on SQLite the write shares the commit of the requests around it.
      const window = await store.transaction(async (tx) => {
        if (cleanUpDue) {
          await tx.authFailures.deleteEnded(nowMs);
        }
        return tx.authFailures.record(clientAddress, nowMs, windowMs);
      });
      if (cleanUpDue) {
        nextAuthFailureCleanUpAtMs = nowMs + windowMs;
      }
      return window;
    },

    async revokeApiUser(apiUserId) {
      // Stored lower-cased, as every id is; an operator may paste it as the client created it.
      const revoked = await store.apiUsers.revoke(apiUserId.toLowerCase(), clock.nowMs());
      if (revoked !== undefined) {
        revokedApiUsers.add(revoked.id);
      }
      return revoked;
    },

    async revokeSubscriptionKey(key) {
      const revoked = await store.subscriptionKeys.revoke(hashKey(key), clock.nowMs());
      if (revoked !== undefined) {
        revokedKeyHashes.add(revoked.keyHash);
        keyCache.delete(key);
      }
      return revoked;
    },

    isApiUserRevoked: (apiUserId) => revokedApiUsers.has(apiUserId),

    async refreshRevocations() {
      const [apiUsers, keyHashes] = await Promise.all([
        store.apiUsers.listRevokedIds(),
        store.subscriptionKeys.listRevokedHashes(),
      ]);
      // Added to, never replaced: a revocation is final, and one made here while the lists were read is kept.
      for (const id of apiUsers) {
        revokedApiUsers.add(id);
      }
      for (const keyHash of keyHashes) {
        revokedKeyHashes.add(keyHash);
      }
    },
  };
}

class ConcurrentEnrollment extends Error {}
