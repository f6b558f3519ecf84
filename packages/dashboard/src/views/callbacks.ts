/** Callbacks: every delivery with its attempts, the schedule of pending ones, and replay. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { time } from '../format.js';
import { useLoad, useStateInUrl } from '../hooks.js';
import { busy, useOutcome } from '../outcome.js';
import { Pager, type PageStart, pageInUrl, pageQuery, pageSizeOf, pageStartOf } from '../paging.js';

interface Callback {
  id: string;
  transactionId: string;
  /** The X-Reference-Id of the transaction, by which its partner knows it. */
  referenceId: string | null;
  url: string;
  method: string;
  state: string;
  attempts: number;
  nextAttemptAtMs: number;
  lastError: string | null;
  attemptLog: { durationMs: number; responseStatus: number | null }[];
  createdAtMs: number;
}

/** How a callback's transaction is named to people: by the reference id its partner gave it. */
const transactionName = (callback: Callback) =>
  callback.referenceId === null ? `transaction ${callback.transactionId}` : `request ${callback.referenceId}`;

const STATES = ['', 'PENDING', 'DELIVERED', 'DEAD'];

export function CallbacksView(props: { initial: URLSearchParams }) {
  const [state, setState] = useState(STATES.find((s) => s === props.initial.get('state')) ?? '');
  const [start, setStart] = useState<PageStart | undefined>(pageStartOf(props.initial));
  const [pageSize, setPageSize] = useState(pageSizeOf(props.initial.get('limit')));
  const query = new URLSearchParams(pageQuery(pageSize, start));
  useStateInUrl('callbacks', [['state', state], ...pageInUrl(pageSize, start)]);
  if (state !== '') {
    query.set('state', state);
  }
  const { data, error, reload } = useLoad(
    () => api<Callback[]>('GET', `/callbacks?${query}`),
    [query.toString()],
    {
      live: true,
    },
  );
  const outcome = useOutcome();
  const replay = async (callback: Callback) => {
    await outcome.attempt(
      () => api('POST', `/callbacks/${callback.id}/replay`),
      `The callback of ${transactionName(callback)} to ${callback.url} is sent again.`,
      `The callback of ${transactionName(callback)} to ${callback.url} was not sent again`,
    );
    reload();
  };
  return html`
    <section aria-labelledby="callbacks-title">
      <h2 id="callbacks-title">Callback deliveries</h2>
      <form class="filters" onSubmit=${(event: Event) => event.preventDefault()}>
        <label>State<select value=${state} onChange=${(event: Event) => {
          setState((event.target as HTMLSelectElement).value);
          // Another state makes other pages: the one shown belonged to the old state.
          setStart(undefined);
        }}>
          ${STATES.map((s) => html`<option value=${s}>${s || 'all'}</option>`)}
        </select></label>
      </form>
      ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
      ${outcome.view}
      <div class="table-wrap"><table>
        <thead><tr><th>State</th><th>Method</th><th>URL</th><th>Attempts</th><th>Last latency</th><th>Next attempt</th><th>Last error</th><th>Reference id</th><th></th></tr></thead>
        <tbody>${(data ?? []).map(
          (c) => html`<tr data-callback=${c.id}>
            <td><span class=${`status status-${c.state}`}>${c.state}</span></td><td>${c.method}</td><td>${c.url}</td><td>${c.attempts}</td>
            <td>${c.attemptLog.length === 0 ? '—' : `${c.attemptLog.at(-1)?.durationMs} ms`}</td>
            <td>${c.state === 'PENDING' ? time(c.nextAttemptAtMs) : ''}</td><td>${c.lastError ?? ''}</td>
            <td><a href=${`#/transactions/${c.transactionId}`} aria-label=${`Open ${transactionName(c)}`}>${c.referenceId ?? 'open'}</a></td>
            <td><button type="button" class="secondary" aria-disabled=${busy(outcome.pending)} aria-label=${`Replay the callback of ${transactionName(c)} to ${c.url}`} onClick=${() => replay(c)}>Replay</button></td>
          </tr>`,
        )}</tbody>
      </table></div>
      ${data !== undefined && data.length === 0 ? html`<p class="muted">No callback deliveries match.</p>` : null}
      <${Pager} what="callback deliveries" rows=${data} pageSize=${pageSize} start=${start} onPage=${setStart} onPageSize=${setPageSize} />
    </section>
  `;
}
