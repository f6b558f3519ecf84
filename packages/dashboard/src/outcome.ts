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
  const [said, setSaid] = useState<{ worked: boolean; text: string } | undefined>(undefined);
  const attempt = async <T>(
    work: () => Promise<T>,
    done: string | ((answer: T) => string),
    failed: string,
  ) => {
    try {
      const answer = await work();
      setSaid({ worked: true, text: typeof done === 'string' ? done : done(answer) });
      return true;
    } catch (failure) {
      setSaid({
        worked: false,
        text: `${failed}: ${failure instanceof Error ? failure.message : String(failure)}`,
      });
      return false;
    }
  };
  // The polite region is always there: screen readers announce changes to a live region they already know.
  const view = html`<p role="status" class="outcome">${said?.worked === true ? said.text : ''}</p>
    ${said?.worked === false ? html`<p class="error" role="alert">${said.text}</p>` : null}`;
  return { attempt, view };
}
