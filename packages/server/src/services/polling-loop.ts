/**
 * Runs a unit of background work over and over: straight away while it reports a full batch, otherwise
 * after `intervalMs` — or sooner, when `wake()` says new work is due.
 */

export interface PollingLoop {
  wake(): void;
  /** Finishes the batch in progress, then stops. */
  stop(): Promise<void>;
}

export interface PollingLoopOptions {
  readonly intervalMs: number;
  /** Does one batch; returns true when more work may be waiting right now. */
  readonly runOnce: () => Promise<boolean>;
  readonly onError: (error: unknown) => void;
}

export function startPollingLoop(options: PollingLoopOptions): PollingLoop {
  let running = true;
  let wakeUp: (() => void) | null = null;
  let wokenEarly = false;

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (wokenEarly) {
        wokenEarly = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, options.intervalMs);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  const finished = (async () => {
    while (running) {
      let more = false;
      try {
        more = await options.runOnce();
      } catch (error) {
        options.onError(error);
      }
      if (running && !more) {
        await sleep();
      }
    }
  })();

  return {
    wake() {
      if (wakeUp === null) {
        wokenEarly = true;
      } else {
        wakeUp();
      }
    },
    async stop() {
      running = false;
      wakeUp?.();
      await finished;
    },
  };
}
