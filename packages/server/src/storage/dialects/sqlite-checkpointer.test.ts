import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Checkpointer, startCheckpointer } from './sqlite-checkpointer.js';

const PAGE_SIZE = 4096;

let connection: BetterSqlite3.Database;
let checkpointer: Checkpointer | undefined;

afterEach(async () => {
  await checkpointer?.stop();
  checkpointer = undefined;
  connection.close();
});

/** A WAL database whose writer never checkpoints on its own, holding `pages` pages written after its creation. */
function databaseWithUncheckpointedPages(pages: number): string {
  const filePath = join(mkdtempSync(join(tmpdir(), 'openmomo-checkpoint-')), 'test.db');
  connection = new BetterSqlite3(filePath);
  connection.pragma('journal_mode = WAL');
  connection.pragma('wal_autocheckpoint = 0');
  connection.exec('create table filler (bytes blob)');
  connection.pragma('wal_checkpoint(TRUNCATE)');
  const insert = connection.prepare('insert into filler values (?)');
  for (let i = 0; i < pages; i++) {
    insert.run(Buffer.alloc(PAGE_SIZE - 100));
  }
  return filePath;
}

async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

describe('SQLite checkpointer', () => {
  it('copies committed pages into the database file while the writer does not', async () => {
    const filePath = databaseWithUncheckpointedPages(200);
    const sizeBefore = statSync(filePath).size;

    checkpointer = startCheckpointer(filePath);

    expect(await eventually(() => statSync(filePath).size >= sizeBefore + 200 * PAGE_SIZE)).toBe(true);
  });

  it('closes its connection when stopped, so nothing else holds the database', async () => {
    const filePath = databaseWithUncheckpointedPages(10);
    checkpointer = startCheckpointer(filePath);
    await eventually(() => statSync(filePath).size > 10 * PAGE_SIZE);

    await checkpointer.stop();
    checkpointer = undefined;

    // Leaving WAL mode needs the only connection to the file.
    expect(connection.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
  });

  it('stops at once when it could not open the database', async () => {
    connection = new BetterSqlite3(':memory:');
    const missing = join(mkdtempSync(join(tmpdir(), 'openmomo-checkpoint-')), 'missing.db');

    await expect(startCheckpointer(missing).stop()).resolves.toBeUndefined();
  });
});
