/** Data loading for views: fetch, refetch on demand, and refetch when the live stream says something changed. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { subscribeToChanges } from './api.js';

export interface Loaded<T> {
  /** What the last load returned; undefined until a load for the current dependencies succeeds. */
  readonly data: T | undefined;
  /** Why the last load failed; `data` is then older than it looks. */
  readonly error: string | undefined;
  /** When the load that returned `data` began: `data` shows everything done before then. */
  readonly loadedAtMs: number | undefined;
  readonly reload: () => void;
}

/**
 * Keeps a view's state in its URL (`#/{path}?…`, parameters whose value is '' left out), so that Back from
 * another page, a reload or a shared link finds it again. Replaces the history entry: choosing a filter is
 * not a step to go Back through.
 */
export function useStateInUrl(path: string, parameters: readonly (readonly [string, string])[]): void {
  const query = new URLSearchParams(
    parameters.filter(([, value]) => value !== '').map(([name, value]) => [name, value]),
  ).toString();
  useEffect(() => {
    const hash = `#/${path}${query === '' ? '' : `?${query}`}`;
    if (window.location.hash !== hash) {
      history.replaceState(null, '', hash);
    }
  }, [path, query]);
}

export function useLoad<T>(
  load: () => Promise<T>,
  dependencies: readonly unknown[],
  options: { live?: boolean } = {},
): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loadedAtMs, setLoadedAtMs] = useState<number | undefined>(undefined);
  // The load for the current dependencies: an answer to an earlier one (another payer's phone) is dropped.
  const current = useRef<() => void>();
  // Loads overlap (a poll, a change, an action's reload) and their answers may come back in any order: an
  // answer to a load begun before the one shown would show older data as newer, so it is dropped. Counting
  // loads, rather than keeping only the answer to the very latest, still shows something while changes keep
  // coming faster than the server answers.
  const started = useRef(0);
  const shown = useRef(0);
  const reload = useCallback(function reloadForTheseDependencies() {
    const startedAtMs = Date.now();
    started.current += 1;
    const number = started.current;
    const isNewest = () => current.current === reloadForTheseDependencies && number > shown.current;
    load().then(
      (value) => {
        if (isNewest()) {
          shown.current = number;
          setData(value);
          setError(undefined);
          setLoadedAtMs(startedAtMs);
        }
      },
      (failure: unknown) => {
        if (isNewest()) {
          shown.current = number;
          setError(failure instanceof Error ? failure.message : String(failure));
        }
      },
    );
    // The caller names what the load depends on (`dependencies`), as with useEffect.
  }, dependencies);
  current.current = reload;
  useEffect(() => {
    // New dependencies: nothing loaded for the old ones may show as theirs.
    setData(undefined);
    setError(undefined);
    setLoadedAtMs(undefined);
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
  return { data, error, loadedAtMs, reload };
}
