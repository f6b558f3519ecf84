/**
 * Flushes a file to disk off the event loop, one flush at a time, each covering every caller that asked before
 * it began (decision 0027). SQLite writes a commit into its write-ahead log with `write()`, which survives a
 * crash of the process; only a flush makes it survive a crash of the machine. Done by SQLite itself
 * (`synchronous = FULL`), that flush blocks the event loop for the whole fsync; done here, it runs on libuv's
 * thread pool while the event loop goes on reading and answering requests.
 */
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

export interface Flusher {
  /** Counts a commit SQLite has just written to the file and not flushed. */
  committed(): void;
  /**
   * Undefined when every commit counted so far is on disk; otherwise a promise that resolves once they are, or
   * rejects with a FlushFailedError.
   */
  untilFlushed(): Promise<void> | undefined;
  /** Throws the FlushFailedError once a flush has failed: a write must not begin then. */
  assertWritable(): void;
  close(): Promise<void>;
}

/** Raised once a flush has failed, to its callers and to every later one (the store stops writing). */
export class FlushFailedError extends Error {
  /** Read as SQLite's own error for a failed fsync, so the store answers it 503 like any other I/O error. */
  readonly code = 'SQLITE_IOERR_FSYNC';

  constructor(cause: unknown) {
    super('the database could not be flushed to disk; writes are refused until the server restarts', {
      cause,
    });
    this.name = 'FlushFailedError';
  }
}

/**
 * `sync` flushes everything written to the file so far. A flush under way covers the commits counted before it
 * began; a caller waiting for later ones waits for the next flush, which all such callers share.
 *
 * After one failure every wait fails and every write is refused: the kernel may have dropped the pages it could
 * not write and marked them clean, so a later fsync could succeed without them on disk (PostgreSQL's
 * "fsyncgate"). Stopping until a restart, which recovers from what really is on disk, is the honest answer.
 */
export function createFlusher(sync: () => Promise<void>, close: () => Promise<void>): Flusher {
  let commits = 0;
  let flushed = 0;
  let running: { readonly covers: number; readonly done: Promise<void> } | undefined;
  let next: Promise<void> | undefined;
  let failure: FlushFailedError | undefined;

  const begin = (): Promise<void> => {
    const covers = commits;
    const done = sync().then(
      () => {
        running = undefined;
        flushed = Math.max(flushed, covers);
      },
      (error: unknown) => {
        running = undefined;
        failure ??= new FlushFailedError(error);
        throw failure;
      },
    );
    running = { covers, done };
    return done;
  };

  const untilFlushed = (): Promise<void> | undefined => {
    if (failure !== undefined) {
      return Promise.reject(failure);
    }
    if (flushed >= commits) {
      return undefined;
    }
    if (running === undefined) {
      return begin();
    }
    if (running.covers >= commits) {
      return running.done;
    }
    next ??= running.done
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return untilFlushed();
      });
    return next;
  };

  return {
    committed() {
      commits++;
    },
    untilFlushed,
    assertWritable() {
      if (failure !== undefined) {
        throw failure;
      }
    },
    async close() {
      // A flush under way must not find its file closed beneath it.
      await next?.catch(() => undefined);
      await running?.done.catch(() => undefined);
      await close();
    },
  };
}

/**
 * Flushes a SQLite database's write-ahead log, which holds every commit not yet checkpointed; `databaseFile` is
 * the file SQLite really opened (symbolic links followed), next to which it keeps the log. The log and its
 * directory are opened now, so a log SQLite has just created is on disk by name too. Undefined when they
 * cannot be opened: SQLite must then flush its commits itself.
 */
export function openWriteAheadLogFlusher(databaseFile: string): Flusher | undefined {
  let log: number | undefined;
  try {
    log = openSync(`${databaseFile}-wal`, 'r');
    const directory = openSync(dirname(databaseFile), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  } catch {
    if (log !== undefined) {
      closeSync(log);
    }
    return undefined;
  }
  const logFile = log;
  const datasync = promisify(fdatasync);
  return createFlusher(
    () => datasync(logFile),
    async () => closeSync(logFile),
  );
}
