/** Every transaction kind's status body, as GET answers it and the callback sends it. */
import type { TransactionRecord } from '../../storage/store.js';
import { presentCashTransfer } from './cash-transfer.js';
import { presentConsent } from './consent.js';
import { presentInvoice } from './invoice.js';
import { presentPayment } from './payment.js';
import { presentPreapproval } from './preapproval.js';
import type { ReasonFormat } from './presentation.js';
import { presentRequestToPay } from './request-to-pay.js';
import { presentTransfer } from './transfer.js';

export function presentTransaction(transaction: TransactionRecord, reasonFormat: ReasonFormat): unknown {
  switch (transaction.kind) {
    case 'REQUEST_TO_PAY':
    case 'REQUEST_TO_WITHDRAW':
      return presentRequestToPay(transaction, reasonFormat);
    case 'PAYMENT':
      return presentPayment(transaction, reasonFormat);
    case 'INVOICE':
      return presentInvoice(transaction, reasonFormat);
    case 'PREAPPROVAL':
      return presentPreapproval(transaction, reasonFormat);
    case 'TRANSFER':
    case 'DEPOSIT':
    case 'REFUND':
      return presentTransfer(transaction, reasonFormat);
    case 'CASH_TRANSFER':
      return presentCashTransfer(transaction, reasonFormat);
    case 'CONSENT':
      return presentConsent(transaction, reasonFormat);
  }
}
