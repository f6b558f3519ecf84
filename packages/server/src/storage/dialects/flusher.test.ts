import { describe, expect, it } from 'vitest';
import { createFlusher, FlushFailedError, openWriteAheadLogFlusher } from './flusher.js';

/** A flush that finishes when the test says so, counting how many began. */
function controlledSync() {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const sync = () =>
    new Promise<void>((resolve, reject) => {
      pending.push({ resolve, reject });
    });
  return {
    sync,
    get begun() {
      return pending.length;
    },
    finish: (index: number) => pending[index]?.resolve(),
    fail: (index: number, error: Error) => pending[index]?.reject(error),
  };
}

const noClose = async () => undefined;

/** A flusher with one commit counted and its flush begun. */
function flushingOneCommit() {
  const control = controlledSync();
  const flusher = createFlusher(control.sync, noClose);
  flusher.committed();
  return { control, flusher, flushed: flusher.untilFlushed() };
}

describe('createFlusher', () => {
  it('has nothing to wait for before any commit', () => {
    const flusher = createFlusher(controlledSync().sync, noClose);

    expect(flusher.untilFlushed()).toBeUndefined();
  });

  it('has nothing to wait for once the flush covering every commit is done', async () => {
    const { control, flusher, flushed } = flushingOneCommit();
    control.finish(0);
    await flushed;

    expect(flusher.untilFlushed()).toBeUndefined();
  });

  it('lets callers who wait for the same commits share one flush', async () => {
    const control = controlledSync();
    const flusher = createFlusher(control.sync, noClose);
    flusher.committed();
    flusher.committed();
    const first = flusher.untilFlushed();
    const second = flusher.untilFlushed();
    control.finish(0);
    await Promise.all([first, second]);

    expect(control.begun).toBe(1);
  });

  it('makes a commit made during a flush wait for the next flush, which later commits share', async () => {
    const control = controlledSync();
    const flusher = createFlusher(control.sync, noClose);
    flusher.committed();
    const before = flusher.untilFlushed();
    flusher.committed();
    let afterSettled = false;
    const after = flusher.untilFlushed()?.then(() => {
      afterSettled = true;
    });
    flusher.committed();
    const later = flusher.untilFlushed();
    control.finish(0);
    await before;
    await Promise.resolve();

    expect(afterSettled).toBe(false);
    expect(control.begun).toBe(2);
    control.finish(1);
    await Promise.all([after, later]);
    expect(afterSettled).toBe(true);
    expect(control.begun).toBe(2);
  });

  it('fails the waiting callers with a FlushFailedError read as an I/O error', async () => {
    const { control, flushed } = flushingOneCommit();
    control.fail(0, new Error('EIO'));

    await expect(flushed).rejects.toBeInstanceOf(FlushFailedError);
    await expect(flushed).rejects.toMatchObject({ code: 'SQLITE_IOERR_FSYNC' });
  });

  it('refuses every later wait and every write once a flush has failed', async () => {
    const { control, flusher, flushed } = flushingOneCommit();
    control.fail(0, new Error('EIO'));
    await flushed?.catch(() => undefined);

    await expect(flusher.untilFlushed()).rejects.toBeInstanceOf(FlushFailedError);
    expect(() => flusher.assertWritable()).toThrow(FlushFailedError);
    expect(control.begun).toBe(1);
  });

  it('allows writes while every flush succeeds', async () => {
    const { control, flusher, flushed } = flushingOneCommit();
    control.finish(0);
    await flushed;

    expect(() => flusher.assertWritable()).not.toThrow();
  });

  it('closes its file only once the flush under way is done', async () => {
    const control = controlledSync();
    let closedWhileFlushing = false;
    let flushing = false;
    const flusher = createFlusher(
      () => {
        flushing = true;
        return control.sync().finally(() => {
          flushing = false;
        });
      },
      async () => {
        closedWhileFlushing = flushing;
      },
    );
    flusher.committed();
    const flushed = flusher.untilFlushed();

    const closed = flusher.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    control.finish(0);
    await Promise.all([flushed, closed]);

    expect(closedWhileFlushing).toBe(false);
  });
});

describe('openWriteAheadLogFlusher', () => {
  it('has nothing to flush with when the log cannot be opened, so SQLite must flush itself', () => {
    expect(openWriteAheadLogFlusher('/nonexistent/openmomo/database.db')).toBeUndefined();
  });
});
