/** What came of the operator's last action (revoke, replay, add a rule…), said where screen readers hear it. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

export interface Outcome {
  /**
   * Runs `work`, then says `done` (of what it answered); or, if it fails, `failed` and why. Resolves to whether
   * it worked, and never rejects: a failed action is a message, not an unhandled rejection.
   */
  readonly attempt: <T>(
    work: () => Promise<T>,
    done: string | ((answer: T) => string),
    failed: string,
  ) => Promise<boolean>;
  /** The live regions that say it: render them once, where the action happens. */
  readonly view: ReturnType<typeof html>;
}

export function useOutcome(): Outcome {
  // `count` tells one outcome from the next, so that the same words said twice are heard twice.
  const [said, setSaid] = useState<{ worked: boolean; text: string; count: number } | undefined>(undefined);
  const attempt = async <T>(
    work: () => Promise<T>,
    done: string | ((answer: T) => string),
    failed: string,
  ) => {
    try {
      const answer = await work();
      setSaid((last) => ({
        worked: true,
        text: typeof done === 'string' ? done : done(answer),
        count: (last?.count ?? 0) + 1,
      }));
      return true;
    } catch (failure) {
      setSaid((last) => ({
        worked: false,
        text: `${failed}: ${failure instanceof Error ? failure.message : String(failure)}`,
        count: (last?.count ?? 0) + 1,
      }));
      return false;
    }
  };
  // The polite region is always there: screen readers announce changes to a live region they already know. An
  // outcome in the same words as the last one changes it all the same: every other one ends in a no-break space.
  const view = html`<p role="status" class="outcome">${
    said?.worked === true ? `${said.text}${said.count % 2 === 0 ? '\u00a0' : ''}` : ''
  }</p>
    ${said?.worked === false ? html`<p key=${said.count} class="error" role="alert">${said.text}</p>` : null}`;
  return { attempt, view };
}
