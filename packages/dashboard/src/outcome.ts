/** What came of the operator's last action (revoke, replay, add a rule…), said where screen readers hear it. */
import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';

export interface InFlight {
  /** Whether an action is under way: its buttons say so (aria-disabled) and do nothing meanwhile. */
  readonly pending: boolean;
  /**
   * Runs `work` unless an action is already under way, and resolves to what it answered; to `undefined`,
   * without running it, when one is. A double click sends its action once: the second click comes before the
   * page has drawn the first one's button as unusable, so the guard is not the button but this.
   */
  readonly run: <T>(work: () => Promise<T>) => Promise<{ answer: T } | undefined>;
}

export function useInFlight(): InFlight {
  const [pending, setPending] = useState(false);
  const running = useRef(false);
  const run = async <T>(work: () => Promise<T>) => {
    if (running.current) {
      return undefined;
    }
    running.current = true;
    setPending(true);
    try {
      return { answer: await work() };
    } finally {
      running.current = false;
      setPending(false);
    }
  };
  return { pending, run };
}

/**
 * The attributes of an action's button while its request is in flight: aria-disabled rather than disabled, as
 * the pager's, so that the keyboard focus stays on it.
 */
export function busy(pending: boolean): 'true' | undefined {
  return pending ? 'true' : undefined;
}

export interface Outcome {
  /**
   * Runs `work`, then says `done` (of what it answered); or, if it fails, `failed` and why. Resolves to whether
   * it worked, and never rejects: a failed action is a message, not an unhandled rejection. While one runs,
   * another is not started (it resolves to false at once): a double click acts once.
   */
  readonly attempt: <T>(
    work: () => Promise<T>,
    done: string | ((answer: T) => string),
    failed: string,
  ) => Promise<boolean>;
  /** Whether an action is under way: its buttons are aria-disabled meanwhile (`busy(outcome.pending)`). */
  readonly pending: boolean;
  /** The live regions that say it: render them once, where the action happens. */
  readonly view: ReturnType<typeof html>;
}

export function useOutcome(): Outcome {
  // `count` tells one outcome from the next, so that the same words said twice are heard twice.
  const [said, setSaid] = useState<{ worked: boolean; text: string; count: number } | undefined>(undefined);
  const inFlight = useInFlight();
  const say = (worked: boolean, text: string) =>
    setSaid((last) => ({ worked, text, count: (last?.count ?? 0) + 1 }));
  const attempt = async <T>(
    work: () => Promise<T>,
    done: string | ((answer: T) => string),
    failed: string,
  ) => {
    try {
      const ran = await inFlight.run(work);
      if (ran === undefined) {
        return false;
      }
      say(true, typeof done === 'string' ? done : done(ran.answer));
      return true;
    } catch (failure) {
      say(false, `${failed}: ${failure instanceof Error ? failure.message : String(failure)}`);
      return false;
    }
  };
  // The polite region is always there: screen readers announce changes to a live region they already know. An
  // outcome in the same words as the last one changes it all the same: every other one ends in a no-break space.
  const view = html`<p role="status" class="outcome">${
    said?.worked === true ? `${said.text}${said.count % 2 === 0 ? '\u00a0' : ''}` : ''
  }</p>
    ${said?.worked === false ? html`<p key=${said.count} class="error" role="alert">${said.text}</p>` : null}`;
  return { attempt, pending: inFlight.pending, view };
}
