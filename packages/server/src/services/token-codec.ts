/**
 * Signed, expiring tokens (JWT, HS256) for everything OpenMoMo hands out: access tokens, consent requests,
 * consent tokens and refresh tokens. The secret is generated on first start and kept in the database, so
 * every server on one database honours every token. Expiry is judged by the injected clock.
 */
import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import { LRUCache } from 'lru-cache';
import type { Clock, ServiceContext } from './context.js';
import { generateKey } from './secrets.js';

const SIGNING_SECRET_NAME = 'access-token-signing-key';
/**
 * Tokens whose signature has been checked, keyed by the token as sent. A client presents the same token on
 * every call until it expires; fast-jwt's own cache would hash each one with SHA-256 first.
 */
const VERIFIED_TOKENS_MAX = 10_000;

/** What every token says about itself: what it is for, and when it stops being valid (epoch seconds). */
export interface TokenClaims {
  readonly typ: string;
  readonly exp: number;
}

export type VerifiedToken<T extends TokenClaims> =
  | { readonly kind: 'valid'; readonly claims: T }
  | { readonly kind: 'invalid' | 'expired' };

export interface TokenCodec {
  /** Signs `claims` with an expiry `ttlSeconds` from now. */
  sign<T extends TokenClaims>(claims: Omit<T, 'exp'>, ttlSeconds: number): string;
  /** Checks the signature, the type and the expiry. */
  verify<T extends TokenClaims>(token: string, typ: T['typ']): VerifiedToken<T>;
}

export async function loadTokenCodec(context: Pick<ServiceContext, 'store' | 'clock'>): Promise<TokenCodec> {
  await context.store.secrets.insertIfAbsent(SIGNING_SECRET_NAME, generateKey() + generateKey());
  const secret = await context.store.secrets.find(SIGNING_SECRET_NAME);
  if (secret === undefined) {
    throw new Error('token signing secret missing after insert');
  }
  return createTokenCodec(secret, context.clock);
}

export function createTokenCodec(secret: string, clock: Clock): TokenCodec {
  const signer = createSigner({ key: secret, algorithm: 'HS256' });
  // Expiry is checked below against the injected clock, so tests can move time.
  const verifier = createVerifier({ key: secret, algorithms: ['HS256'], ignoreExpiration: true });
  const verified = new LRUCache<string, TokenClaims>({ max: VERIFIED_TOKENS_MAX });
  return {
    sign(claims, ttlSeconds) {
      return signer({ ...claims, exp: Math.floor(clock.nowMs() / 1000) + ttlSeconds });
    },
    verify<T extends TokenClaims>(token: string, typ: T['typ']): VerifiedToken<T> {
      let claims = verified.get(token) as T | undefined;
      if (claims === undefined) {
        try {
          claims = verifier(token) as T;
        } catch (error) {
          if (error instanceof TokenError) {
            return { kind: 'invalid' };
          }
          throw error;
        }
        verified.set(token, claims);
      }
      if (claims.typ !== typ) {
        return { kind: 'invalid' };
      }
      return claims.exp * 1000 <= clock.nowMs() ? { kind: 'expired' } : { kind: 'valid', claims };
    },
  };
}
