/**
 * Business outcomes are values (docs/decisions/0004): a service returns `MomoFailure` for anything a
 * client did or asked that MoMo refuses; exceptions are left for bugs and broken infrastructure.
 */
import { ERROR_CODES, type ErrorCode } from '@openmomo/contract';

export interface MomoFailure {
  readonly kind: 'failure';
  readonly code: ErrorCode;
  readonly message: string;
}

export function momoFailure(code: ErrorCode, message: string = ERROR_CODES[code].message): MomoFailure {
  return { kind: 'failure', code, message };
}

export function isMomoFailure(value: unknown): value is MomoFailure {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'failure';
}
