/** Transactions: a live, filterable list, and one transaction in full (request, timeline, postings, callbacks). */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { money, time } from '../format.js';
import { useLoad, useStateInUrl } from '../hooks.js';
import { busy, useOutcome } from '../outcome.js';
import { Pager, type PageStart, pageInUrl, pageQuery, pageSizeOf, pageStartOf } from '../paging.js';

interface Summary {
  id: string;
  referenceId: string;
  apiUserId: string;
  kind: string;
  product: string;
  status: string;
  reason: string | null;
  amount: string;
  currency: string;
  partyId: string;
  createdAtMs: number;
}

const PRODUCTS = ['', 'collection', 'disbursement', 'remittance'];
const STATUSES = ['', 'PENDING', 'SUCCESSFUL', 'FAILED', 'CANCELLED'];

const NO_FILTERS = { product: '', status: '', apiUserId: '', partyId: '', from: '', to: '' };

/** A date-time field's value as epoch ms, or undefined for one that names no time (a mistyped URL). */
function epochMsOf(value: string): number | undefined {
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A filter's value from the URL, if the page offers it: a status or product its select does not list, or a
 * date that is none, would reach the operator API, which refuses it, and the list would show nothing.
 */
function filterOf(name: keyof typeof NO_FILTERS, value: string | null): string {
  if (value === null) {
    return '';
  }
  switch (name) {
    case 'product':
      return PRODUCTS.includes(value) ? value : '';
    case 'status':
      return STATUSES.includes(value) ? value : '';
    case 'from':
    case 'to':
      return epochMsOf(value) === undefined ? '' : value;
    default:
      return value;
  }
}

const MINUTE_MS = 60_000;

/** The operator API's query for the filters shown. */
function filterQuery(filters: typeof NO_FILTERS): [string, string][] {
  const query: [string, string][] = [];
  for (const [name, value] of Object.entries(filters) as [keyof typeof NO_FILTERS, string][]) {
    const trimmed = value.trim();
    if (trimmed === '') {
      continue;
    }
    if (name === 'from' || name === 'to') {
      const ms = epochMsOf(trimmed);
      if (ms !== undefined) {
        // The fields choose a minute. From starts at its first millisecond; To (toMs, exclusive) ends after
        // its last: From 08:32 To 08:32 is that whole minute, not nothing.
        query.push(
          name === 'from' ? ['fromMs', String(ms)] : ['toMs', String(ms - (ms % MINUTE_MS) + MINUTE_MS)],
        );
      }
    } else {
      query.push([name, trimmed]);
    }
  }
  return query;
}

export function TransactionsView(props: { initial: URLSearchParams }) {
  const [pageSize, setPageSize] = useState(pageSizeOf(props.initial.get('limit')));
  // Only the filters this page shows come from the URL, with values it offers: another parameter would reach
  // the operator API unseen.
  const [filters, setFilters] = useState(
    Object.fromEntries(
      Object.keys(NO_FILTERS).map((name) => [
        name,
        filterOf(name as keyof typeof NO_FILTERS, props.initial.get(name)),
      ]),
    ) as typeof NO_FILTERS,
  );
  const [start, setStart] = useState<PageStart | undefined>(pageStartOf(props.initial));
  const query = new URLSearchParams([...pageQuery(pageSize, start), ...filterQuery(filters)]);
  const { data, error } = useLoad(() => api<Summary[]>('GET', `/transactions?${query}`), [query.toString()], {
    live: true,
  });
  useStateInUrl('transactions', [...Object.entries(filters), ...pageInUrl(pageSize, start)]);
  // Other filters make other pages: the one shown belonged to the old filters.
  const field = (name: keyof typeof filters) => (event: Event) => {
    setFilters({ ...filters, [name]: (event.target as HTMLInputElement).value });
    setStart(undefined);
  };
  return html`
    <section aria-labelledby="transactions-title">
      <h2 id="transactions-title">Transactions</h2>
      <form class="filters" onSubmit=${(event: Event) => event.preventDefault()}>
        <label>Product<select value=${filters.product} onChange=${field('product')}>${PRODUCTS.map((p) => html`<option value=${p}>${p || 'all'}</option>`)}</select></label>
        <label>Status<select value=${filters.status} onChange=${field('status')}>${STATUSES.map((s) => html`<option value=${s}>${s || 'all'}</option>`)}</select></label>
        <label>API user<input value=${filters.apiUserId} onInput=${field('apiUserId')} placeholder="API user id" /></label>
        <label>Party<input value=${filters.partyId} onInput=${field('partyId')} placeholder="MSISDN, e-mail…" /></label>
        <label>From<input type="datetime-local" value=${filters.from} onChange=${field('from')} /></label>
        <label>To<input type="datetime-local" value=${filters.to} onChange=${field('to')} /></label>
      </form>
      ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
      <div class="table-wrap">
        <table>
          <thead><tr><th>Created</th><th>Kind</th><th>Product</th><th>Party</th><th>Amount</th><th>Status</th><th>Reference id</th></tr></thead>
          <tbody>
            ${(data ?? []).map(
              (t) => html`<tr data-transaction=${t.id}>
                <td>${time(t.createdAtMs)}</td><td>${t.kind}</td><td>${t.product}</td><td>${t.partyId}</td>
                <td>${money(t.amount, t.currency)}</td>
                <td><span class=${`status status-${t.status}`}>${t.status}</span>${t.reason === null ? '' : ` ${t.reason}`}</td>
                <td><a href=${`#/transactions/${t.id}`}>${t.referenceId}</a></td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        data !== undefined && data.length === 0
          ? html`<p class="muted">${start === undefined ? 'No transactions match.' : 'No older transactions match.'}</p>`
          : null
      }
      <${Pager} what="transactions" rows=${data} pageSize=${pageSize} start=${start} onPage=${setStart} onPageSize=${setPageSize} />
    </section>
  `;
}

interface Detail {
  summary: Summary;
  request: unknown;
  statusBody: unknown;
  events: { status: string; reason: string | null; detail: string | null; atMs: number }[];
  transfers: {
    id: string;
    amountMinor: string;
    amount: string;
    currency: string;
    debitAccountId: string;
    creditAccountId: string;
    createdAtMs: number;
  }[];
  callbacks: {
    id: string;
    url: string;
    method: string;
    state: string;
    attempts: number;
    nextAttemptAtMs: number;
    attemptLog: {
      attempt: number;
      startedAtMs: number;
      durationMs: number;
      responseStatus: number | null;
      error: string | null;
    }[];
  }[];
}

export function TransactionDetailView(props: { id: string }) {
  const { data, error, reload } = useLoad(() => api<Detail>('GET', `/transactions/${props.id}`), [props.id], {
    live: true,
  });
  const outcome = useOutcome();
  // A failed reload (the server restarting) leaves the last data shown, with why it may be out of date.
  const failure =
    error === undefined
      ? null
      : html`<p class="error" role="alert">${data === undefined ? error : `This transaction could not be loaded again: ${error}`}</p>`;
  if (data === undefined) {
    return failure ?? html`<p>Loading…</p>`;
  }
  const t = data.summary;
  const replay = async (callback: { id: string; url: string }) => {
    await outcome.attempt(
      () => api('POST', `/callbacks/${callback.id}/replay`),
      `The callback to ${callback.url} is sent again.`,
      `The callback to ${callback.url} was not sent again`,
    );
    reload();
  };
  return html`
    <section aria-labelledby="detail-title">
      ${failure}
      <h2 id="detail-title">${t.kind} ${money(t.amount, t.currency)} — <span class=${`status status-${t.status}`}>${t.status}</span></h2>
      <p class="muted">Reference ${t.referenceId} · API user ${t.apiUserId} · ${t.partyId} · ${t.product}</p>
      <div class="grid">
        <div><h3>Request as received</h3><pre>${JSON.stringify(data.request, null, 2)}</pre></div>
        <div><h3>Status body (GET and callback)</h3><pre>${JSON.stringify(data.statusBody, null, 2)}</pre></div>
      </div>
      <h3>Status changes</h3>
      <ol class="timeline">
        ${data.events.map((e) => html`<li><span class=${`status status-${e.status}`}>${e.status}</span> ${e.reason ?? ''} — ${time(e.atMs)} <span class="muted">${e.detail ?? ''}</span></li>`)}
      </ol>
      <h3>Ledger postings</h3>
      ${
        data.transfers.length === 0
          ? html`<p class="muted">No money moved.</p>`
          : html`<div class="table-wrap"><table><thead><tr><th>Transfer</th><th>Amount</th><th>Debit account</th><th>Credit account</th><th>At</th></tr></thead><tbody>
            ${data.transfers.map((x) => html`<tr><td>${x.id}</td><td>${money(x.amount, x.currency)}</td><td>${x.debitAccountId}</td><td>${x.creditAccountId}</td><td>${time(x.createdAtMs)}</td></tr>`)}
          </tbody></table></div>`
      }
      <h3>Callbacks</h3>
      ${data.callbacks.length === 0 ? html`<p class="muted">No callback URL was given.</p>` : null}
      ${outcome.view}
      ${data.callbacks.map(
        (c, index) => html`<div data-callback=${c.id}>
          <p><span class=${`status status-${c.state}`}>${c.state}</span> ${c.method} ${c.url} · ${c.attempts} attempt(s)
            ${c.state === 'PENDING' ? html` · next attempt ${time(c.nextAttemptAtMs)}` : null}
            <button type="button" class="secondary" aria-disabled=${busy(outcome.pending)} aria-label=${`Replay callback ${index + 1}, to ${c.url}`} onClick=${() => replay(c)}>Replay</button></p>
          <div class="table-wrap"><table><thead><tr><th>#</th><th>Started</th><th>Latency</th><th>Response</th><th>Error</th></tr></thead><tbody>
            ${c.attemptLog.map((a) => html`<tr><td>${a.attempt}</td><td>${time(a.startedAtMs)}</td><td>${a.durationMs} ms</td><td>${a.responseStatus ?? '—'}</td><td>${a.error ?? ''}</td></tr>`)}
          </tbody></table></div>
        </div>`,
      )}
    </section>
  `;
}
