/**
 * Type tests: compiled by `npm run typecheck`, never run. Each @ts-expect-error must meet an error, or the
 * typecheck fails — so a schema change that loosens the SDK's types is caught.
 */
import type { MomoClient } from '../src/index.js';

declare const momo: MomoClient;
const eur = { amount: '1', currency: 'EUR' } as const;
const party = { partyIdType: 'MSISDN', partyId: '46733123450' } as const;
const phone = { partyIdType: 'PHONE', partyId: '1' } as const;

export async function invalidCallsDoNotCompile(): Promise<void> {
  // @ts-expect-error payer is required by the RequestToPay schema
  await momo.collection.requestToPay(eur);
  // @ts-expect-error partyIdType is MSISDN, EMAIL or PARTY_CODE
  await momo.collection.requestToPay({ ...eur, payer: phone });
  // @ts-expect-error a transfer names a payee, not a payer
  await momo.disbursement.transfer({ ...eur, payer: party });
  // @ts-expect-error a refund names the payment it returns
  await momo.disbursement.refund(eur);
  // @ts-expect-error validityTime is a number of seconds
  await momo.collection.preapproval({ payer: party, payerCurrency: 'EUR', validityTime: '60' });
  const status = await momo.collection.requestToPay.get('id');
  // @ts-expect-error a status is PENDING, SUCCESSFUL or FAILED
  const impossible: typeof status.status = 'CANCELLED';
  void impossible;
}

export async function validCallsCompile(): Promise<string | undefined> {
  const { referenceId } = await momo.collection.requestToPay(
    { ...eur, payer: party },
    { callbackUrl: 'https://example.com/momo' },
  );
  const final = await momo.collection.requestToPay.waitForFinalStatus(referenceId, { timeoutMs: 1000 });
  return final.reason?.code;
}
