/** What every product answers about accounts: the partner's balance, and whether an account holder exists and is active. */
import {
  type Balance,
  type BasicUserInfo,
  CURRENCY_MINOR_UNITS,
  type PartyIdType,
  type Product,
  TARGET_ENVIRONMENTS,
} from '@openmomo/contract';
import { formatAmount } from '../domain/money/amount.js';
import { findTestNumberScenario } from '../domain/payments/sandbox-test-numbers.js';
import type { AccessClaims } from './access-service.js';
import { ensureAccount, SANDBOX_HOLDER_NAMES, sandboxOpeningMinor } from './accounts.js';
import type { ServiceContext } from './context.js';
import { type MomoFailure, momoFailure } from './outcomes.js';
import { checkCurrency, isFailure, partyFromPath } from './resources/validation.js';

export function createAccountService(context: ServiceContext) {
  const { store, config, clock } = context;

  /** A sandbox answers for any well-formed number as if it were an active customer, except the unknown one. */
  function sandboxKnows(party: { partyIdType: PartyIdType; partyId: string }): boolean {
    return (
      config.sandboxMode &&
      !(party.partyIdType === 'MSISDN' && findTestNumberScenario(party.partyId)?.kind === 'unknown-payer')
    );
  }

  return {
    /** The partner's account of this product, in `currency` or else the environment's own currency. */
    async balance(caller: AccessClaims, product: Product, currency?: string): Promise<Balance | MomoFailure> {
      const selected = checkCurrency(caller, currency ?? TARGET_ENVIRONMENTS[caller.targetEnvironment][0]);
      if (isFailure(selected)) {
        return selected;
      }
      const account = await store.transaction((tx) =>
        ensureAccount(tx, { ownerType: 'PARTNER', ownerId: caller.partnerId, product }, selected, {
          openingMinor: sandboxOpeningMinor(config, 'partner', selected),
          nowMs: clock.nowMs(),
        }),
      );
      // Read after commit: an opening balance credited inside the transaction is not in `account`.
      const current =
        (await store.accounts.findByOwner('PARTNER', caller.partnerId, product, selected)) ?? account;
      return {
        availableBalance: formatAmount(current.balanceMinor, CURRENCY_MINOR_UNITS[selected]),
        currency: selected,
      };
    },

    async isActive(idType: string, id: string): Promise<boolean | MomoFailure> {
      const party = partyFromPath(idType, id);
      if (isFailure(party)) {
        return party;
      }
      const holder = await store.accountHolders.findByParty(party.partyIdType, party.partyId);
      return holder === undefined ? sandboxKnows(party) : holder.status === 'ACTIVE';
    },

    async basicUserInfo(msisdn: string): Promise<BasicUserInfo | MomoFailure> {
      const party = partyFromPath('msisdn', msisdn);
      if (isFailure(party)) {
        return party;
      }
      const holder = await store.accountHolders.findByParty(party.partyIdType, party.partyId);
      if (holder !== undefined) {
        return {
          given_name: holder.givenName,
          family_name: holder.familyName,
          birthdate: holder.birthdate,
          locale: holder.locale,
          gender: holder.gender,
          status: holder.status,
        };
      }
      return sandboxKnows(party)
        ? {
            given_name: SANDBOX_HOLDER_NAMES.givenName,
            family_name: SANDBOX_HOLDER_NAMES.familyName,
            birthdate: '',
            locale: 'en',
            gender: '',
            status: 'ACTIVE',
          }
        : momoFailure('RESOURCE_NOT_FOUND', 'No account holder has this MSISDN.');
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
