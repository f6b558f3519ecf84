/**
 * Transactions a store answers from memory, by API user and `X-Reference-Id`, because integrations poll a
 * transaction's status until it is final and often after (decisions 0015 and 0017).
 *
 * A final record is kept on every engine: one that `mayStillChange` refuses never changes again (every
 * resolution locks the row and refuses a final one). A record that may still change (PENDING, or an approved
 * pre-approval its partner may cancel) is kept only by a store that sees every change to it:
 * its own writes, which `forget` the record before they are made, and other connections' commits, which
 * `othersCommits` counts (SQLite's `PRAGMA data_version`). A PostgreSQL store has neither: another server, or
 * another connection of its own pool, may decide the transaction between two reads.
 */
import { LRUCache } from 'lru-cache';
import { mayStillChange } from '../domain/payments/transaction-kinds.js';
import type { TransactionRecord } from './store.js';

/** Records kept at most. */
const KEPT_MAX = 10_000;
/**
 * A record is its request (up to the 64 KiB body limit) and about a kilobyte besides; this caps the whole, at
 * up to two bytes a character.
 */
const KEPT_CHARACTERS_MAX = 16 * 1024 * 1024;

export interface TransactionCacheOptions {
  /**
   * A number that changes whenever another connection commits to the database, read at once. Present only
   * when this store's own transactions cannot be read before they commit (one connection): then records that
   * may still change are kept too.
   */
  readonly othersCommits?: () => bigint;
}

/** Taken before a read from the database, handed to `keep` with what it read. */
export interface ReadTicket {
  readonly forgotten: number;
  readonly othersCommits: bigint | undefined;
}

export interface TransactionCache {
  /** The current record, when memory holds it; undefined means: read the database. */
  find(apiUserId: string, referenceId: string): TransactionRecord | undefined;
  readStarted(): ReadTicket;
  /**
   * Keeps what a read that started at `ticket` returned, unless it may already be out of date: a record that
   * may still change is dropped when a change to any transaction, here or by another connection, began after
   * the ticket.
   */
  keep(ticket: ReadTicket, record: TransactionRecord): void;
  /** Called before a write to the transaction's row, in whatever database transaction makes it. */
  forget(transactionId: string): void;
}

interface Kept {
  readonly record: TransactionRecord;
  /** For a record that may still change: other connections' commits when it was read. */
  readonly othersCommits: bigint | undefined;
}

export function createTransactionCache({ othersCommits }: TransactionCacheOptions = {}): TransactionCache {
  const openKeyById = new Map<string, string>();
  const kept = new LRUCache<string, Kept>({
    max: KEPT_MAX,
    maxSize: KEPT_CHARACTERS_MAX,
    sizeCalculation: ({ record }) => record.requestJson.length + 1024,
    dispose: ({ record }) => {
      if (mayStillChange(record.kind, record.status)) {
        openKeyById.delete(record.id);
      }
    },
  });
  // Counts forget() calls: a read that saw the same count before and after it raced no write of this store.
  let forgotten = 0;
  const keyOf = (apiUserId: string, referenceId: string) => `${apiUserId}/${referenceId}`;

  return {
    find(apiUserId, referenceId) {
      const key = keyOf(apiUserId, referenceId);
      const entry = kept.get(key);
      if (entry === undefined) {
        return undefined;
      }
      if (
        mayStillChange(entry.record.kind, entry.record.status) &&
        entry.othersCommits !== othersCommits?.()
      ) {
        // Another connection committed since: this record may be among what it changed.
        kept.delete(key);
        return undefined;
      }
      return entry.record;
    },
    readStarted: () => ({ forgotten, othersCommits: othersCommits?.() }),
    keep(ticket, record) {
      const key = keyOf(record.apiUserId, record.referenceId);
      if (!mayStillChange(record.kind, record.status)) {
        kept.set(key, { record, othersCommits: undefined });
        return;
      }
      if (ticket.othersCommits === undefined || ticket.forgotten !== forgotten) {
        return;
      }
      kept.set(key, { record, othersCommits: ticket.othersCommits });
      openKeyById.set(record.id, key);
    },
    forget(transactionId) {
      forgotten++;
      const key = openKeyById.get(transactionId);
      if (key !== undefined) {
        kept.delete(key);
      }
    },
  };
}
