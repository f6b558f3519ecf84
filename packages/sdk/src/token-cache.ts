/**
 * One access token per product, reused until shortly before it expires and then renewed by exactly one
 * request however many callers need it at that moment (single flight). MTN asks integrators not to create a
 * token per transaction and to renew ahead of expiry.
 */

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

export class TokenCache {
  readonly #issue: () => Promise<IssuedToken>;
  readonly #refreshMarginMs: number;
  readonly #now: () => number;
  /** `renewAtMs`: the expiry less the refresh margin, or less a quarter of its life when that is shorter. */
  #token: { value: string; renewAtMs: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(options: { issue: () => Promise<IssuedToken>; refreshMarginMs: number; now?: () => number }) {
    this.#issue = options.issue;
    this.#refreshMarginMs = options.refreshMarginMs;
    this.#now = options.now ?? Date.now;
  }

  /** A token valid for at least the refresh margin (or a quarter of its life), issuing a new one if needed. */
  async get(): Promise<string> {
    if (this.#token !== undefined && this.#token.renewAtMs > this.#now()) {
      return this.#token.value;
    }
    this.#inFlight ??= this.#issue()
      .then((issued) => {
        const lifeMs = issued.expiresInSeconds * 1000;
        this.#token = {
          value: issued.accessToken,
          renewAtMs: this.#now() + lifeMs - Math.min(this.#refreshMarginMs, lifeMs / 4),
        };
        return issued.accessToken;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /** Forgets the token (the server refused it), so the next `get` issues a new one. */
  invalidate(token: string): void {
    if (this.#token?.value === token) {
      this.#token = undefined;
    }
  }
}
