/** Hashing and generation of credentials: keys are shown once and stored only as SHA-256 digests. */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keyLength: number,
) => Promise<Buffer>;

/** 128 random bits as 32 hex characters: the shape of MTN's subscription keys and API keys. */
export function generateKey(): string {
  return randomBytes(16).toString('hex');
}

/**
 * SHA-256 is enough for these keys: they are 128 random bits, so there is nothing for a slow hash to
 * protect against a dictionary, and lookups by digest stay O(1) on every request.
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const PIN_SCRYPT_KEY_LENGTH = 32;

/**
 * PINs are four to six digits, so unlike keys they get a salted, deliberately slow hash: tens of milliseconds
 * of CPU, spent on libuv's thread pool so that the server answers other requests meanwhile.
 */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const digest = await scryptAsync(pin, salt, PIN_SCRYPT_KEY_LENGTH);
  return `scrypt:${salt.toString('hex')}:${digest.toString('hex')}`;
}

export async function verifyPin(pin: string, pinHash: string): Promise<boolean> {
  const [scheme, saltHex, digestHex] = pinHash.split(':');
  if (scheme !== 'scrypt' || saltHex === undefined || digestHex === undefined) {
    return false;
  }
  const expected = Buffer.from(digestHex, 'hex');
  const actual = await scryptAsync(pin, Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(actual, expected);
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
