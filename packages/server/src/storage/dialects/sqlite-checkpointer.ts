/**
 * Copies the SQLite write-ahead log into the database file on a worker thread (decision 0018).
 *
 * SQLite checkpoints inside the commit that takes the WAL past 1,000 pages, on the connection that commits:
 * here, the event loop. Those commits copied a thousand pages and synced the database file, and made up about
 * half of the time the server spent committing, with stalls of up to a few hundred milliseconds on a slow
 * disk. This thread runs PASSIVE checkpoints on a connection of its own, alongside the server's writes, so
 * when the writing connection's turn comes most pages are already copied. The writing connection keeps its
 * automatic checkpoint: only a checkpoint made by the writer between two of its own transactions can finish
 * with nothing left to copy, which lets SQLite start the log again from its beginning. Without it the log
 * grows without end under steady writes.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread checkpoints: a busy server writes a few hundred pages in this time. */
const CHECKPOINT_INTERVAL_MS = 25;

/**
 * Run as an eval'd CommonJS script, so it is the same under the TypeScript sources (tests) and the build.
 * A failed checkpoint is left to the next one: SQLITE_BUSY only means another checkpoint is running, and an
 * I/O error reaches the server through its own connection.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const connection = new Database(workerData.filePath, { fileMustExist: true });
connection.pragma('busy_timeout = 0');
connection.pragma('synchronous = FULL');
const checkpoint = connection.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch {}
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  connection.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Closes the thread's connection and ends the thread. */
  stop(): Promise<void>;
}

export function startCheckpointer(filePath: string): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      filePath,
      driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  });
  // A thread that failed leaves the checkpoints to the writing connection, as SQLite does by default.
  worker.on('error', () => undefined);
  worker.unref();
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  return {
    async stop() {
      // An unref'd thread would not keep the process alive until it has closed its connection.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
