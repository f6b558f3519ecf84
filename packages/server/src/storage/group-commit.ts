/**
 * Group commit for an engine with one connection and one writer (SQLite): the `Store.transaction` calls that
 * arrive together share one database transaction, and so one durable commit — one fsync for many requests
 * instead of one each. Each call runs inside its own savepoint, so a call that throws undoes only its own
 * writes; the calls of a group run one after another, exactly as if they had been serialised, and each sees
 * the writes of those before it. No call's outcome is reported before the shared COMMIT has succeeded and is on
 * disk: if the commit fails, every call of the group fails (or runs again, when the failure is one worth
 * retrying).
 */
import { CompiledQuery, type Kysely } from 'kysely';

// Compiled once: a group runs two of these for each call it holds, and Kysely would compile each anew.
const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
const SAVEPOINT = CompiledQuery.raw('savepoint group_call');
const RELEASE = CompiledQuery.raw('release group_call');
const ROLLBACK_TO_SAVEPOINT = CompiledQuery.raw('rollback to group_call');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

export interface GroupCommitOptions {
  /** Calls per group at most: bounds how long one group holds the connection (and so the p99). */
  readonly maxGroupSize: number;
  /** Runs of one call in all, counting the first, before a retryable error surfaces. */
  readonly attemptsMax: number;
  readonly isRetryable: (error: unknown) => boolean;
  /**
   * Where a commit is flushed to disk after it returns (decision 0027): undefined when everything committed is
   * on disk, or else a promise of it. The next group runs while this one's flush is under way, and this one's
   * calls settle once it is done.
   */
  readonly untilDurable?: () => Promise<void> | undefined;
}

interface QueuedCall<R> {
  readonly work: (tx: R) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  attempts: number;
}

type CallOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/** `bind` turns the connection into what a call's work receives (the repositories). */
export function createGroupCommit<DB, R>(
  db: Kysely<DB>,
  bind: (connection: Kysely<DB>) => R,
  options: GroupCommitOptions,
): <T>(work: (tx: R) => Promise<T>) => Promise<T> {
  const queue: QueuedCall<R>[] = [];
  let draining = false;

  async function runGroup(group: readonly QueuedCall<R>[]): Promise<void> {
    const outcomes: CallOutcome[] = [];
    try {
      await db.connection().execute(async (connection) => {
        // IMMEDIATE takes the write lock now, so another process on the file fails the group at BEGIN rather
        // than at COMMIT, after all of its work.
        await connection.executeQuery(BEGIN_IMMEDIATE);
        try {
          const tx = bind(connection);
          for (const call of group) {
            await connection.executeQuery(SAVEPOINT);
            try {
              outcomes.push({ ok: true, value: await call.work(tx) });
              await connection.executeQuery(RELEASE);
            } catch (error) {
              outcomes.push({ ok: false, error });
              // After a full disk or an I/O error SQLite may have rolled the whole transaction back, savepoint
              // and all: then the group fails with that error (503), not with "no such savepoint" (500).
              await connection.executeQuery(ROLLBACK_TO_SAVEPOINT).catch(() => {
                throw error;
              });
              await connection.executeQuery(RELEASE);
            }
          }
          await connection.executeQuery(COMMIT);
        } catch (error) {
          // The engine may have rolled back already (a full disk, an I/O error): then there is nothing to undo.
          await connection.executeQuery(ROLLBACK).catch(() => undefined);
          throw error;
        }
      });
    } catch (groupError) {
      // Nothing of the group committed: what each call saw may not have happened, so none of their outcomes
      // stands. Run them all again, or fail them all.
      for (const call of group) {
        retryOrReject(call, groupError);
      }
      return;
    }
    const settle = () =>
      group.forEach((call, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok === true) {
          call.resolve(outcome.value);
        } else {
          retryOrReject(call, outcome?.error);
        }
      });
    const durable = options.untilDurable?.();
    if (durable === undefined) {
      settle();
    } else {
      // A call that failed may have failed on what an earlier call of the group wrote: it waits too.
      durable.then(settle, (flushError: unknown) => {
        for (const call of group) {
          call.reject(flushError);
        }
      });
    }
  }

  function isRetryable(error: unknown): boolean {
    try {
      return options.isRetryable(error);
    } catch {
      // A predicate that cannot judge the error: not worth running the call again, and no call stranded.
      return false;
    }
  }

  function retryOrReject(call: QueuedCall<R>, error: unknown): void {
    if (call.attempts < options.attemptsMax && isRetryable(error)) {
      call.attempts++;
      queue.push(call);
      // A group settles after its flush, when the group that ran it may be long done: nothing else would run it.
      scheduleGroup();
    } else {
      call.reject(error);
    }
  }

  /** One group per turn of the event loop, so requests that arrive meanwhile are read and join the next. */
  function scheduleGroup(): void {
    if (draining) {
      return;
    }
    draining = true;
    setImmediate(() => {
      const group = queue.splice(0, options.maxGroupSize);
      runGroup(group)
        // Only a bug gets here (runGroup settles every call itself); no call may be left waiting for it.
        .catch((error: unknown) => {
          for (const call of group) {
            call.reject(error);
          }
        })
        .finally(() => {
          draining = false;
          if (queue.length > 0) {
            scheduleGroup();
          }
        });
    });
  }

  return <T>(work: (tx: R) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject, attempts: 1 });
      scheduleGroup();
    });
}
