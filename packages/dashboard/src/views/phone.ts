/**
 * The payer's phone: pick an MSISDN and see, as on a phone, the prompts waiting for it — "Pay 1,500 UGX?
 * Enter PIN" — and approve with the PIN or reject, then watch the status follow.
 */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { money, timeOfDay } from '../format.js';
import { useLoad } from '../hooks.js';

interface Prompt {
  transactionId: string;
  kind: string;
  amount?: string;
  currency?: string;
  payerCurrency?: string;
  payerMessage?: string;
  description?: string;
  expiresAtMs: number | null;
  partnerName?: string;
  /** A consent's: what the partner asks to see (`profile`, …). */
  scope?: string;
}

const QUESTION: Record<string, string> = {
  REQUEST_TO_PAY: 'Pay',
  PAYMENT: 'Pay',
  INVOICE: 'Pay the invoice of',
  REQUEST_TO_WITHDRAW: 'Withdraw',
  PREAPPROVAL: 'Allow payments in',
};

function PromptCard(props: {
  prompt: Prompt;
  onAnswered: (text: string) => void;
  onRefused: (text: string) => void;
}) {
  const [pin, setPin] = useState('');
  // Why the last answer was refused: said at this prompt, next to the PIN it is usually about.
  const [refusal, setRefusal] = useState<{ text: string; ofPin: boolean; count: number } | undefined>(
    undefined,
  );
  const pinInput = useRef<HTMLInputElement>(null);
  const { prompt } = props;
  const inputId = `pin-${prompt.transactionId}`;
  const refusalId = `refusal-${prompt.transactionId}`;
  const answer = async (verdict: 'approve' | 'reject') => {
    try {
      const result = await api<{ status: string; reason?: { code?: string } | string }>(
        'POST',
        `/transactions/${prompt.transactionId}/${verdict}`,
        pin === '' ? {} : { pin },
      );
      const reason = typeof result.reason === 'string' ? result.reason : result.reason?.code;
      setRefusal(undefined);
      props.onAnswered(
        `${verdict === 'approve' ? 'Approved' : 'Rejected'}: ${result.status}${reason === undefined ? '' : ` (${reason})`}`,
      );
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      props.onRefused(text);
      // A new alert each time, so that the same words refused twice are said twice: counted from the latest
      // refusal, not the one this answer saw when it was sent.
      setRefusal((latest) => ({ text, ofPin: verdict === 'approve', count: (latest?.count ?? 0) + 1 }));
      // Ready for another try, as a phone is: the PIN field empty and focused.
      setPin('');
      pinInput.current?.focus();
    }
  };
  const what =
    prompt.amount === undefined ? (prompt.payerCurrency ?? '') : money(prompt.amount, prompt.currency ?? '');
  const partner = prompt.partnerName === undefined ? null : html`<strong>${prompt.partnerName}</strong>`;
  const question =
    prompt.kind === 'CONSENT'
      ? html`Share your <strong>${prompt.scope}</strong> details${partner === null ? '' : html` with ${partner}`}?`
      : html`${QUESTION[prompt.kind] ?? prompt.kind} <strong>${what}</strong>${partner === null ? '' : html` to ${partner}`}?`;
  return html`<div class="prompt" data-prompt=${prompt.transactionId}>
    <p>${question}</p>
    ${prompt.payerMessage === undefined ? null : html`<p class="muted">${prompt.payerMessage}</p>`}
    ${
      prompt.expiresAtMs === null
        ? null
        : html`<p class="muted expires">Expires at <time datetime=${new Date(prompt.expiresAtMs).toISOString()}>${timeOfDay(prompt.expiresAtMs)}</time></p>`
    }
    <div class="actions">
      <label for=${inputId}>Enter PIN<input id=${inputId} ref=${pinInput} type="password" inputmode="numeric" autocomplete="one-time-code" maxlength="6" value=${pin}
        aria-invalid=${refusal?.ofPin === true ? 'true' : undefined} aria-describedby=${refusal === undefined ? undefined : refusalId}
        onInput=${(e: Event) => setPin((e.target as HTMLInputElement).value)} /></label>
      <button type="button" onClick=${() => answer('approve')}>Approve</button>
      <button type="button" class="danger" onClick=${() => answer('reject')}>Reject</button>
    </div>
    ${refusal === undefined ? null : html`<p key=${refusal.count} id=${refusalId} class="error" role="alert">${refusal.text}</p>`}
  </div>`;
}

export function PhoneView() {
  const [msisdn, setMsisdn] = useState('');
  const [opened, setOpened] = useState('');
  const [status, setStatus] = useState('');
  const { data, error, loadedAtMs, reload } = useLoad(
    () =>
      opened === ''
        ? Promise.resolve([] as Prompt[])
        : api<Prompt[]>('GET', `/account-holders/MSISDN/${encodeURIComponent(opened)}/pending`),
    [opened],
    { live: true },
  );
  // A refusal can end its request (the third wrong PIN): its card, and the alert in it, then go with the next
  // load, so the phone's own line says it instead. A refusal whose prompt is still there stays on its card.
  const [refused, setRefused] = useState<{ transactionId: string; text: string; atMs: number } | undefined>(
    undefined,
  );
  useEffect(() => {
    // Only a load begun after the refusal knows whether the refusal ended its request.
    if (refused === undefined || data === undefined || (loadedAtMs ?? 0) < refused.atMs) {
      return;
    }
    if (!data.some((prompt) => prompt.transactionId === refused.transactionId)) {
      setStatus(refused.text);
    }
    setRefused(undefined);
  }, [data, loadedAtMs, refused]);
  return html`
    <section aria-labelledby="phone-title">
      <h2 id="phone-title">Payer phone</h2>
      <form class="filters" onSubmit=${(event: Event) => {
        event.preventDefault();
        setStatus('');
        // Another phone: a refusal on the last one must not be told as this one's.
        setRefused(undefined);
        setOpened(msisdn.trim());
      }}>
        <label for="phone-msisdn">Payer MSISDN<input id="phone-msisdn" inputmode="numeric" required value=${msisdn} onInput=${(e: Event) => setMsisdn((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Open phone</button>
      </form>
      ${
        opened === ''
          ? null
          : html`<div class="phone" aria-label=${`Phone of ${opened}`}>
                    <h2>Phone ${opened}</h2>
          ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
          ${(data ?? []).length === 0 ? html`<p class="muted">No request is waiting.</p>` : null}
          ${(data ?? []).map(
            (prompt) =>
              html`<${PromptCard} key=${prompt.transactionId} prompt=${prompt} onAnswered=${(
                text: string,
              ) => {
                setStatus(text);
                reload();
              }} onRefused=${(text: string) => {
                setRefused({ transactionId: prompt.transactionId, text, atMs: Date.now() });
                reload();
              }} />`,
          )}
          <p role="status" aria-live="polite" class="phone-status">${status}</p>
        </div>`
      }
    </section>
  `;
}
