import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { transactionRecord } from '../../test/support/records.js';
import type { StoredStatus, TransactionRecord } from './store.js';
import { createTransactionCache } from './transaction-cache.js';

function transaction(status: StoredStatus, apiUserId = 'api-user'): TransactionRecord {
  return transactionRecord({ apiUserId, status, createdAtMs: 0, updatedAtMs: 0 });
}

/** A cache that sees every change, with a count of other connections' commits the test moves. */
function seeingEveryChange() {
  let commitsByOthers = 0n;
  const cache = createTransactionCache({ othersCommits: () => commitsByOthers });
  return {
    cache,
    anotherConnectionCommits: () => {
      commitsByOthers++;
    },
  };
}

function keepRead(cache: ReturnType<typeof createTransactionCache>, record: TransactionRecord) {
  cache.keep(cache.readStarted(), record);
}

describe('transaction cache', () => {
  it('answers a final record it kept', () => {
    const cache = createTransactionCache();
    const successful = transaction('SUCCESSFUL');

    keepRead(cache, successful);

    expect(cache.find(successful.apiUserId, successful.referenceId)).toBe(successful);
  });

  it('answers a record only to the API user it belongs to', () => {
    const cache = createTransactionCache();
    const successful = transaction('SUCCESSFUL', 'owner');

    keepRead(cache, successful);

    expect(cache.find('stranger', successful.referenceId)).toBeUndefined();
  });

  it('never keeps a PENDING record when it cannot count other connections’ commits', () => {
    const cache = createTransactionCache();
    const pending = transaction('PENDING');

    keepRead(cache, pending);

    expect(cache.find(pending.apiUserId, pending.referenceId)).toBeUndefined();
  });

  it('keeps a PENDING record when it sees every change', () => {
    const { cache } = seeingEveryChange();
    const pending = transaction('PENDING');

    keepRead(cache, pending);

    expect(cache.find(pending.apiUserId, pending.referenceId)).toBe(pending);
  });

  it('forgets a PENDING record when its row is about to be written', () => {
    const { cache } = seeingEveryChange();
    const pending = transaction('PENDING');
    keepRead(cache, pending);

    cache.forget(pending.id);

    expect(cache.find(pending.apiUserId, pending.referenceId)).toBeUndefined();
  });

  it('never keeps an approved pre-approval when it cannot count other connections’ commits', () => {
    const cache = createTransactionCache();
    const approved = { ...transaction('SUCCESSFUL'), kind: 'PREAPPROVAL' as const };

    keepRead(cache, approved);

    expect(cache.find(approved.apiUserId, approved.referenceId)).toBeUndefined();
  });

  it('forgets an approved pre-approval when its row is about to be written (its partner may cancel it)', () => {
    const { cache } = seeingEveryChange();
    const approved = { ...transaction('SUCCESSFUL'), kind: 'PREAPPROVAL' as const };
    keepRead(cache, approved);

    cache.forget(approved.id);

    expect(cache.find(approved.apiUserId, approved.referenceId)).toBeUndefined();
  });

  it('does not keep a PENDING record read while a write to a transaction began', () => {
    const { cache } = seeingEveryChange();
    const pending = transaction('PENDING');
    const ticket = cache.readStarted();

    cache.forget(randomUUID());
    cache.keep(ticket, pending);

    expect(cache.find(pending.apiUserId, pending.referenceId)).toBeUndefined();
  });

  it('drops a PENDING record once another connection has committed', () => {
    const { cache, anotherConnectionCommits } = seeingEveryChange();
    const pending = transaction('PENDING');
    keepRead(cache, pending);

    anotherConnectionCommits();

    expect(cache.find(pending.apiUserId, pending.referenceId)).toBeUndefined();
  });

  it('does not keep a PENDING record read while another connection committed', () => {
    const { cache, anotherConnectionCommits } = seeingEveryChange();
    const pending = transaction('PENDING');
    const ticket = cache.readStarted();

    anotherConnectionCommits();
    cache.keep(ticket, pending);

    expect(cache.find(pending.apiUserId, pending.referenceId)).toBeUndefined();
  });

  it('keeps answering a final record after other connections commit, since it cannot change', () => {
    const { cache, anotherConnectionCommits } = seeingEveryChange();
    const failed = transaction('FAILED');
    keepRead(cache, failed);

    anotherConnectionCommits();

    expect(cache.find(failed.apiUserId, failed.referenceId)).toBe(failed);
  });

  it('answers the final record that replaced a PENDING one, and no longer forgets it', () => {
    const { cache } = seeingEveryChange();
    const pending = transaction('PENDING');
    keepRead(cache, pending);
    const successful = { ...pending, status: 'SUCCESSFUL' as const };

    keepRead(cache, successful);
    cache.forget(pending.id);

    expect(cache.find(pending.apiUserId, pending.referenceId)).toBe(successful);
  });
});
