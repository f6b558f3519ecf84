/** The checks MoMo applies to every money request, each answered with its own MoMo code. */
import { isIP } from 'node:net';
import {
  CURRENCY_MINOR_UNITS,
  type Currency,
  isCurrency,
  type PartyIdType,
  TARGET_ENVIRONMENTS,
} from '@openmomo/contract';
import { parseAmount } from '../../domain/money/amount.js';
import { canonicalPartyId, describePartyIdProblem } from '../../domain/parties/party-id.js';
import type { AccessClaims } from '../access-service.js';
import { type MomoFailure, momoFailure } from '../outcomes.js';

/** Characters MTN's platform refuses in notes and messages; refusing them here surfaces it before production. */
const FORBIDDEN_NOTE_CHARACTERS = /[&'<>]/;

/** Reference ids in paths and bodies: MoMo answers a malformed one with 400, an unknown well-formed one with 404. */
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

export function checkCurrency(caller: AccessClaims, currency: string): Currency | MomoFailure {
  const allowed: readonly string[] = TARGET_ENVIRONMENTS[caller.targetEnvironment];
  if (!isCurrency(currency) || !allowed.includes(currency)) {
    return momoFailure(
      'INVALID_CURRENCY',
      `Currency not supported. ${caller.targetEnvironment} accepts ${allowed.join(', ')}.`,
    );
  }
  return currency;
}

export function checkAmount(amount: string, currency: Currency): bigint | MomoFailure {
  const parsed = parseAmount(amount, CURRENCY_MINOR_UNITS[currency]);
  return parsed.kind === 'valid' ? parsed.amountMinor : momoFailure('BAD_REQUEST', parsed.problem);
}

/** The path spells the id type in lower case (`msisdn`, `email`, `party_code`); clients send either case. */
const PATH_ID_TYPES: Readonly<Record<string, PartyIdType>> = {
  msisdn: 'MSISDN',
  email: 'EMAIL',
  party_code: 'PARTY_CODE',
};

/** The party a path names as `{accountHolderIdType}/{accountHolderId}`. */
export function partyFromPath(
  idType: string,
  id: string,
): { partyIdType: PartyIdType; partyId: string } | MomoFailure {
  const partyIdType = PATH_ID_TYPES[idType.toLowerCase()];
  if (partyIdType === undefined) {
    return momoFailure('BAD_REQUEST', 'accountHolderIdType must be msisdn, email or party_code.');
  }
  return checkParty('accountHolderId', { partyIdType, partyId: id });
}

export function checkParty(
  role: string,
  party: { partyIdType: PartyIdType; partyId: string },
): { partyIdType: PartyIdType; partyId: string } | MomoFailure {
  const problem = describePartyIdProblem(party.partyIdType, party.partyId);
  return problem === null
    ? { partyIdType: party.partyIdType, partyId: canonicalPartyId(party.partyIdType, party.partyId) }
    : momoFailure('BAD_REQUEST', `${role}: ${problem}`);
}

export function checkNotes(fields: Record<string, string | undefined>): MomoFailure | null {
  for (const [name, value] of Object.entries(fields)) {
    if (FORBIDDEN_NOTE_CHARACTERS.test(value ?? '')) {
      return momoFailure('BAD_REQUEST', `${name} contains a character MoMo refuses (& ' < >)`);
    }
  }
  return null;
}

/**
 * The callback URL's host must be the API user's providerCallbackHost. Both are compared as URL hosts, so case,
 * IPv6 spellings (`[0:0::1]`, `::1`) and internationalised names (`bücher.example`) do not matter. A registered
 * port must match too (`example.com:443` is an `https://example.com/` URL's port); a host without one matches
 * any port.
 */
export function callbackHostMatches(callbackUrl: string, providerCallbackHost: string): boolean {
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return false;
  }
  const registered = hostAndPort(providerCallbackHost);
  if (registered === undefined || url.hostname !== registered.hostname) {
    return false;
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  return registered.port === undefined || Number(registered.port) === Number(port);
}

/**
 * The host name (as a URL writes it: lower case, punycode, IPv6 in brackets) and explicit port of a host as
 * people and headers write it: a host, `host:port`, `[IPv6]:port`, a bare IPv6 address or a URL.
 */
export function hostAndPort(text: string): { hostname: string; port: string | undefined } | undefined {
  const trimmed = text.trim();
  const authority = trimmed.includes('://')
    ? (trimmed.slice(trimmed.indexOf('://') + 3).split(/[/?#]/)[0] ?? '')
    : trimmed;
  const [, host, port] =
    (isIP(authority) === 6 ? ['', `[${authority}]`] : /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(authority)) ??
    [];
  if (host === undefined || host === '') {
    return undefined;
  }
  try {
    return { hostname: new URL(`http://${host}`).hostname, port };
  } catch {
    return undefined;
  }
}

export function checkCallbackUrl(caller: AccessClaims, callbackUrl: string | undefined): MomoFailure | null {
  if (callbackUrl === undefined || callbackHostMatches(callbackUrl, caller.providerCallbackHost)) {
    return null;
  }
  return momoFailure(
    'INVALID_CALLBACK_URL_HOST',
    `Callback URL does not match the configured value: its host must be ${caller.providerCallbackHost}.`,
  );
}

export const isFailure = (value: unknown): value is MomoFailure =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'failure';
