/** Data loading for views: fetch, refetch on demand, and refetch when the live stream says something changed. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { subscribeToChanges } from './api.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly reload: () => void;
}

export function useLoad<T>(
  load: () => Promise<T>,
  dependencies: readonly unknown[],
  options: { live?: boolean } = {},
): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const reload = useCallback(() => {
    load().then(
      (value) => {
        setData(value);
        setError(undefined);
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
    // The caller names what the load depends on (`dependencies`), as with useEffect.
  }, dependencies);
  useEffect(() => {
    reload();
    if (options.live !== true) {
      return undefined;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = subscribeToChanges(() => {
      clearTimeout(timer);
      timer = setTimeout(reload, 150);
    });
    // The stream is in-process; a poll also covers changes made by another server on the same database.
    const poll = setInterval(reload, 5000);
    return () => {
      stop();
      clearInterval(poll);
      clearTimeout(timer);
    };
  }, [reload]);
  return { data, error, reload };
}
