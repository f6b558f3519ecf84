/**
 * The payer's phone: pick an MSISDN and see, as on a phone, the prompts waiting for it — "Pay 1,500 UGX?
 * Enter PIN" — and approve with the PIN or reject, then watch the status follow.
 */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { money, timeOfDay } from '../format.js';
import { useLoad } from '../hooks.js';
import { busy, useInFlight } from '../outcome.js';

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

/** What the payer is asked, in words: "Pay 1,500 UGX to ACME", for the buttons that answer it. */
function askedOf(prompt: Prompt, what: string): string {
  const partner = prompt.partnerName === undefined ? '' : ` ${prompt.partnerName}`;
  return prompt.kind === 'CONSENT'
    ? `Share your ${prompt.scope ?? ''} details${partner === '' ? '' : ` with${partner}`}`
    : `${QUESTION[prompt.kind] ?? prompt.kind} ${what}${partner === '' ? '' : ` to${partner}`}`;
}

function PromptCard(props: {
  prompt: Prompt;
  /** Whether the payer has a PIN: undefined while not known (the account holder could not be read). */
  hasPin: boolean | undefined;
  onAnswered: (text: string) => void;
  onRefused: (text: string) => void;
}) {
  const [pin, setPin] = useState('');
  // Why the last answer was refused: said at this prompt, next to the PIN it is usually about.
  const [refusal, setRefusal] = useState<{ text: string; ofPin: boolean; count: number } | undefined>(
    undefined,
  );
  const pinInput = useRef<HTMLInputElement>(null);
  // One answer at a time: a double click on Approve with a wrong PIN used two of the payer's three tries.
  const inFlight = useInFlight();
  const { prompt } = props;
  const inputId = `pin-${prompt.transactionId}`;
  const refusalId = `refusal-${prompt.transactionId}`;
  // A new alert each time, so that the same words refused twice are said twice: counted from the latest
  // refusal, not the one this answer saw when it was sent.
  const refuse = (text: string, ofPin: boolean) =>
    setRefusal((latest) => ({ text, ofPin, count: (latest?.count ?? 0) + 1 }));
  const answer = async (verdict: 'approve' | 'reject') => {
    if (inFlight.pending) {
      return;
    }
    // An approval without the PIN of a payer who has one is a wrong PIN to the server: one of three tries
    // gone for a field left empty.
    if (verdict === 'approve' && props.hasPin !== false && pin === '') {
      refuse('Enter the PIN to approve.', true);
      pinInput.current?.focus();
      return;
    }
    try {
      const ran = await inFlight.run(() =>
        api<{ status: string; reason?: { code?: string } | string }>(
          'POST',
          `/transactions/${prompt.transactionId}/${verdict}`,
          pin === '' ? {} : { pin },
        ),
      );
      if (ran === undefined) {
        return;
      }
      const result = ran.answer;
      const reason = typeof result.reason === 'string' ? result.reason : result.reason?.code;
      setRefusal(undefined);
      props.onAnswered(
        `${verdict === 'approve' ? 'Approved' : 'Rejected'}: ${result.status}${reason === undefined ? '' : ` (${reason})`}`,
      );
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      props.onRefused(text);
      refuse(text, verdict === 'approve');
      // Ready for another try, as a phone is: the PIN field empty and focused.
      setPin('');
      pinInput.current?.focus();
    }
  };
  const what =
    prompt.amount === undefined ? (prompt.payerCurrency ?? '') : money(prompt.amount, prompt.currency ?? '');
  const asked = askedOf(prompt, what);
  const partner = prompt.partnerName === undefined ? null : html`<strong>${prompt.partnerName}</strong>`;
  const question =
    prompt.kind === 'CONSENT'
      ? html`Share your <strong>${prompt.scope}</strong> details${partner === null ? '' : html` with ${partner}`}?`
      : html`${QUESTION[prompt.kind] ?? prompt.kind} <strong>${what}</strong>${partner === null ? '' : html` to ${partner}`}?`;
  // A form, so that Enter in the PIN field approves, as the phone's OK key does.
  return html`<form class="prompt" data-prompt=${prompt.transactionId} onSubmit=${(event: Event) => {
    event.preventDefault();
    void answer('approve');
  }}>
    <p>${question}</p>
    ${prompt.payerMessage === undefined ? null : html`<p class="muted">${prompt.payerMessage}</p>`}
    ${
      prompt.expiresAtMs === null
        ? null
        : html`<p class="muted expires">Expires at <time datetime=${new Date(prompt.expiresAtMs).toISOString()}>${timeOfDay(prompt.expiresAtMs)}</time></p>`
    }
    <div class="actions">
      ${
        props.hasPin === false
          ? null
          : html`<label for=${inputId}>Enter PIN<input id=${inputId} ref=${pinInput} type="password" inputmode="numeric" autocomplete="one-time-code" maxlength="6" value=${pin}
        aria-label=${`Enter PIN to approve: ${asked}`}
        aria-invalid=${refusal?.ofPin === true ? 'true' : undefined} aria-describedby=${refusal === undefined ? undefined : refusalId}
        onInput=${(e: Event) => setPin((e.target as HTMLInputElement).value)} /></label>`
      }
      <button type="submit" aria-disabled=${busy(inFlight.pending)} aria-label=${`Approve: ${asked}`}>Approve</button>
      <button type="button" class="danger" aria-disabled=${busy(inFlight.pending)} aria-label=${`Reject: ${asked}`}
        onClick=${() => answer('reject')}>Reject</button>
    </div>
    ${refusal === undefined ? null : html`<p key=${refusal.count} id=${refusalId} class="error" role="alert">${refusal.text}</p>`}
  </form>`;
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
  // Whether the payer has a PIN, which the prompts do not say: their PIN field, and a refusal to approve without it.
  const holder = useLoad(
    () =>
      opened === ''
        ? Promise.resolve(undefined)
        : api<{ hasPin: boolean }>('GET', `/account-holders/MSISDN/${encodeURIComponent(opened)}`),
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
          ${
            // Without the holder, the phone cannot tell whether the payer has a PIN, so it asks for one: say why.
            holder.error === undefined || holder.error === error
              ? null
              : html`<p class="error" role="alert">The payer's account could not be read: ${holder.error}</p>`
          }
          ${(data ?? []).length === 0 ? html`<p class="muted">No request is waiting.</p>` : null}
          ${(data ?? []).map(
            (prompt) =>
              html`<${PromptCard} key=${prompt.transactionId} prompt=${prompt} hasPin=${holder.data?.hasPin} onAnswered=${(
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
