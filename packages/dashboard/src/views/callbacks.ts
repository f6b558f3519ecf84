/** Callbacks: every delivery with its attempts, the schedule of pending ones, and replay. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { time } from '../format.js';
import { useLoad } from '../hooks.js';

interface Callback {
  id: string;
  transactionId: string;
  url: string;
  method: string;
  state: string;
  attempts: number;
  nextAttemptAtMs: number;
  lastError: string | null;
  attemptLog: { durationMs: number; responseStatus: number | null }[];
}

export function CallbacksView() {
  const [state, setState] = useState('');
  const { data, error, reload } = useLoad(
    () => api<Callback[]>('GET', `/callbacks?limit=100${state === '' ? '' : `&state=${state}`}`),
    [state],
    {
      live: true,
    },
  );
  const replay = async (id: string) => {
    await api('POST', `/callbacks/${id}/replay`);
    reload();
  };
  return html`
    <section aria-labelledby="callbacks-title">
      <h2 id="callbacks-title">Callback deliveries</h2>
      <form class="filters" onSubmit=${(event: Event) => event.preventDefault()}>
        <label>State<select value=${state} onChange=${(event: Event) => setState((event.target as HTMLSelectElement).value)}>
          ${['', 'PENDING', 'DELIVERED', 'DEAD'].map((s) => html`<option value=${s}>${s || 'all'}</option>`)}
        </select></label>
      </form>
      ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
      <div class="table-wrap"><table>
        <thead><tr><th>State</th><th>Method</th><th>URL</th><th>Attempts</th><th>Last latency</th><th>Next attempt</th><th>Last error</th><th>Transaction</th><th></th></tr></thead>
        <tbody>${(data ?? []).map(
          (c) => html`<tr>
            <td><span class=${`status status-${c.state}`}>${c.state}</span></td><td>${c.method}</td><td>${c.url}</td><td>${c.attempts}</td>
            <td>${c.attemptLog.length === 0 ? '—' : `${c.attemptLog.at(-1)?.durationMs} ms`}</td>
            <td>${c.state === 'PENDING' ? time(c.nextAttemptAtMs) : ''}</td><td>${c.lastError ?? ''}</td>
            <td><a href=${`#/transactions/${c.transactionId}`}>open</a></td>
            <td><button type="button" class="secondary" onClick=${() => replay(c.id)}>Replay</button></td>
          </tr>`,
        )}</tbody>
      </table></div>
    </section>
  `;
}
