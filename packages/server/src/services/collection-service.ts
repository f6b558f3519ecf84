/** Collection use cases: request-to-pay (create, status) and the partner's collection balance. */
import { randomUUID } from 'node:crypto';
import {
  type Balance,
  CURRENCY_MINOR_UNITS,
  isCurrency,
  type PartyIdType,
  type Product,
  type RequestToPayBody,
  type RequestToPayResult,
  TARGET_ENVIRONMENTS,
  type TargetEnvironment,
} from '@openmomo/contract';
import { formatAmount, parseAmount } from '../domain/money/amount.js';
import { canonicalPartyId, describePartyIdProblem } from '../domain/parties/party-id.js';
import { planPayerDecision } from '../domain/payments/payer-decision.js';
import { findTestNumberScenario } from '../domain/payments/sandbox-test-numbers.js';
import type { AccountHolderRecord, Repositories, TransactionRecord } from '../storage/store.js';
import type { AccessClaims } from './access-service.js';
import { ensureAccount, sandboxOpeningMinor } from './accounts.js';
import type { ServiceContext } from './context.js';
import { type MomoFailure, momoFailure } from './outcomes.js';
import { presentRequestToPay } from './transaction-body.js';

/** Characters MTN's platform refuses in notes and messages; refusing them here surfaces it before production. */
const FORBIDDEN_NOTE_CHARACTERS = /[&'<>]/;

export interface RequestToPayCommand {
  readonly caller: AccessClaims;
  readonly referenceId: string;
  readonly callbackUrl: string | undefined;
  readonly body: RequestToPayBody;
}

export type RequestToPayOutcome = { readonly kind: 'accepted'; readonly transactionId: string } | MomoFailure;

export interface CollectionService {
  requestToPay(command: RequestToPayCommand): Promise<RequestToPayOutcome>;
  /** The caller's own request-to-pay; another API user's is as unknown as a missing one. */
  findRequestToPay(caller: AccessClaims, referenceId: string): Promise<TransactionRecord | undefined>;
  balance(caller: AccessClaims, product: Product, currency?: string): Promise<Balance | MomoFailure>;
  /** The status body of a request-to-pay, as GET answers and the callback sends it. */
  present(transaction: TransactionRecord): RequestToPayResult;
}

/** The callback URL's host must be the API user's providerCallbackHost (host names compare case-insensitively). */
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
  const registered = providerCallbackHost.includes('://')
    ? safeHost(providerCallbackHost)
    : providerCallbackHost.toLowerCase();
  // A registered host with a port must match the port too; a bare host name matches any port.
  return registered.includes(':')
    ? url.host.toLowerCase() === registered
    : url.hostname.toLowerCase() === registered;
}

function safeHost(urlText: string): string {
  try {
    return new URL(urlText).host.toLowerCase();
  } catch {
    return urlText.toLowerCase();
  }
}

function validateRequestToPay(
  command: RequestToPayCommand,
): { amountMinor: bigint; partyId: string } | MomoFailure {
  const { body, caller } = command;
  const environmentCurrencies: readonly string[] = TARGET_ENVIRONMENTS[caller.targetEnvironment];
  if (!isCurrency(body.currency) || !environmentCurrencies.includes(body.currency)) {
    return momoFailure(
      'INVALID_CURRENCY',
      `Currency not supported. ${caller.targetEnvironment} accepts ${environmentCurrencies.join(', ')}.`,
    );
  }
  const amount = parseAmount(body.amount, CURRENCY_MINOR_UNITS[body.currency]);
  if (amount.kind === 'invalid') {
    return momoFailure('BAD_REQUEST', amount.problem);
  }
  const partyProblem = describePartyIdProblem(body.payer.partyIdType, body.payer.partyId);
  if (partyProblem !== null) {
    return momoFailure('BAD_REQUEST', `payer: ${partyProblem}`);
  }
  for (const field of ['payerMessage', 'payeeNote', 'externalId'] as const) {
    if (FORBIDDEN_NOTE_CHARACTERS.test(body[field] ?? '')) {
      return momoFailure('BAD_REQUEST', `${field} contains a character MoMo refuses (& ' < >)`);
    }
  }
  if (
    command.callbackUrl !== undefined &&
    !callbackHostMatches(command.callbackUrl, caller.providerCallbackHost)
  ) {
    return momoFailure(
      'INVALID_CALLBACK_URL_HOST',
      `Callback URL does not match the configured value: its host must be ${caller.providerCallbackHost}.`,
    );
  }
  return {
    amountMinor: amount.amountMinor,
    partyId: canonicalPartyId(body.payer.partyIdType, body.payer.partyId),
  };
}

class DuplicateReference extends Error {}

export function createCollectionService(context: ServiceContext): CollectionService {
  const { store, config, clock, signals } = context;

  /** Test numbers script outcomes in sandbox mode only: in production they are somebody's real number. */
  const scenarioOf = (party: { partyIdType: PartyIdType; partyId: string }) =>
    config.sandboxMode && party.partyIdType === 'MSISDN' ? findTestNumberScenario(party.partyId) : undefined;

  /** The payer, created with a funded wallet when the sandbox meets an unknown party. */
  async function resolvePayer(
    tx: Repositories,
    party: { partyIdType: PartyIdType; partyId: string },
    currency: string,
    nowMs: number,
  ): Promise<AccountHolderRecord | undefined> {
    const scenario = scenarioOf(party);
    const existing = await tx.accountHolders.findByParty(party.partyIdType, party.partyId);
    if (!config.sandboxMode || scenario?.kind === 'unknown-payer') {
      return existing;
    }
    if (existing === undefined) {
      await tx.accountHolders.insertIfAbsent({
        id: randomUUID(),
        ...party,
        givenName: 'Sandbox',
        familyName: 'Payer',
        status: 'ACTIVE',
        approvalMode: scenario?.kind === 'interactive' ? 'INTERACTIVE' : 'AUTO',
        pinHash: null,
        createdAtMs: nowMs,
      });
    }
    const payer = existing ?? (await tx.accountHolders.findByParty(party.partyIdType, party.partyId));
    if (payer !== undefined) {
      // A sandbox payer's wallet in this currency opens funded, unless it exists already or is the empty-wallet number.
      const opening =
        scenario?.kind === 'unfunded-wallet' ? 0n : sandboxOpeningMinor(config, 'wallet', currency);
      await ensureAccount(tx, { ownerType: 'ACCOUNT_HOLDER', ownerId: payer.id, product: '' }, currency, {
        openingMinor: opening,
        nowMs,
      });
    }
    return payer;
  }

  return {
    async requestToPay(command) {
      const valid = validateRequestToPay(command);
      if ('kind' in valid) {
        return valid;
      }
      const { body, caller } = command;
      const transactionId = randomUUID();
      let decideAtMs: number | null = null;
      try {
        await store.transaction(async (tx) => {
          if ((await tx.transactions.findByReference(caller.apiUserId, command.referenceId)) !== undefined) {
            throw new DuplicateReference();
          }
          const nowMs = clock.nowMs();
          const party = { partyIdType: body.payer.partyIdType, partyId: valid.partyId };
          const payer = await resolvePayer(tx, party, body.currency, nowMs);
          const plan = planPayerDecision(
            {
              payer: payer === undefined ? null : { status: payer.status, approvalMode: payer.approvalMode },
              scenario: scenarioOf(party),
            },
            config,
            nowMs,
          );
          decideAtMs = plan.decideAtMs;
          const inserted = await tx.transactions.insertIfAbsent({
            id: transactionId,
            apiUserId: caller.apiUserId,
            referenceId: command.referenceId,
            kind: 'REQUEST_TO_PAY',
            product: 'collection',
            targetEnvironment: caller.targetEnvironment,
            status: 'PENDING',
            reason: null,
            amountMinor: valid.amountMinor,
            currency: body.currency,
            externalId: body.externalId ?? null,
            ...party,
            payerMessage: body.payerMessage ?? null,
            payeeNote: body.payeeNote ?? null,
            callbackUrl: command.callbackUrl ?? null,
            financialTransactionId: null,
            plannedOutcome: plan.outcome,
            plannedReason: plan.reason,
            decideAtMs: plan.decideAtMs,
            awaitingPayer: plan.awaitingPayer,
            requestJson: JSON.stringify(body),
            createdAtMs: nowMs,
            updatedAtMs: nowMs,
          });
          if (!inserted) {
            // A concurrent request with the same X-Reference-Id committed first: undo everything of ours.
            throw new DuplicateReference();
          }
          await tx.transactions.insertEvent({
            transactionId,
            status: 'PENDING',
            reason: null,
            detail: 'request received',
            atMs: nowMs,
          });
        });
      } catch (error) {
        if (error instanceof DuplicateReference) {
          return momoFailure('RESOURCE_ALREADY_EXIST');
        }
        throw error;
      }
      if (decideAtMs !== null && decideAtMs <= clock.nowMs()) {
        signals.settlementDue();
      }
      return { kind: 'accepted', transactionId };
    },

    present: (transaction) => presentRequestToPay(transaction, config.reasonFormat),

    async findRequestToPay(caller, referenceId) {
      const transaction = await store.transactions.findByReference(caller.apiUserId, referenceId);
      return transaction?.kind === 'REQUEST_TO_PAY' ? transaction : undefined;
    },

    async balance(caller, product, currency) {
      const allowed: readonly string[] = TARGET_ENVIRONMENTS[caller.targetEnvironment as TargetEnvironment];
      const selected = currency ?? allowed[0] ?? 'EUR';
      if (!isCurrency(selected) || !allowed.includes(selected)) {
        return momoFailure(
          'INVALID_CURRENCY',
          `Currency not supported. ${caller.targetEnvironment} accepts ${allowed.join(', ')}.`,
        );
      }
      const account = await store.transaction((tx) =>
        ensureAccount(tx, { ownerType: 'PARTNER', ownerId: caller.partnerId, product }, selected, {
          openingMinor: sandboxOpeningMinor(config, 'partner', selected),
          nowMs: clock.nowMs(),
        }),
      );
      const current = await store.accounts.findByOwner('PARTNER', caller.partnerId, product, selected);
      return {
        availableBalance: formatAmount((current ?? account).balanceMinor, CURRENCY_MINOR_UNITS[selected]),
        currency: selected,
      };
    },
  };
}
