/** Wallets and accounts: balances per currency with their postings; fund, block and unblock account holders. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { money, time } from '../format.js';
import { useLoad } from '../hooks.js';

interface Account {
  id: string;
  ownerType: string;
  owner: string;
  product: string;
  currency: string;
  balance: string;
}
interface Holder {
  partyIdType: string;
  partyId: string;
  givenName: string;
  familyName: string;
  status: string;
  approvalMode: string;
}

function Postings(props: { accountId: string }) {
  const { data } = useLoad(
    () =>
      api<{ transferId: string; amount: string; currency: string }[]>(
        'GET',
        `/accounts/${props.accountId}/postings`,
      ),
    [props.accountId],
  );
  return html`<div class="table-wrap"><table><thead><tr><th>Transfer</th><th>Entry</th></tr></thead><tbody>
    ${(data ?? []).map((p) => html`<tr><td>${p.transferId}</td><td>${money(p.amount, p.currency)}</td></tr>`)}
  </tbody></table></div>`;
}

export function WalletsView() {
  const accounts = useLoad(() => api<Account[]>('GET', '/accounts'), [], { live: true });
  const holders = useLoad(() => api<Holder[]>('GET', '/account-holders'), [], { live: true });
  const [open, setOpen] = useState<string | null>(null);
  const [fund, setFund] = useState({ msisdn: '', amount: '', currency: 'EUR' });
  const [message, setMessage] = useState('');
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage(done);
      accounts.reload();
      holders.reload();
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };
  return html`
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      ${accounts.error === undefined ? null : html`<p class="error" role="alert">The accounts could not be loaded: ${accounts.error}</p>`}
      <div class="table-wrap"><table>
        <thead><tr><th>Owner</th><th>Type</th><th>Product</th><th>Balance</th><th></th></tr></thead>
        <tbody>${(accounts.data ?? []).map(
          (
            a,
          ) => html`<tr data-account=${a.id}><td>${a.owner}</td><td>${a.ownerType}</td><td>${a.product || 'wallet'}</td><td>${money(a.balance, a.currency)}</td>
            <td><button type="button" class="secondary" aria-expanded=${open === a.id} onClick=${() => setOpen(open === a.id ? null : a.id)}>Postings</button></td></tr>
            ${open === a.id ? html`<tr><td colspan="5"><${Postings} accountId=${a.id} /></td></tr>` : null}`,
        )}</tbody>
      </table></div>
    </section>
    <section aria-labelledby="holders-title">
      <h2 id="holders-title">Account holders</h2>
      ${holders.error === undefined ? null : html`<p class="error" role="alert">The account holders could not be loaded: ${holders.error}</p>`}
      <form class="filters" onSubmit=${(event: Event) => {
        event.preventDefault();
        act(
          () =>
            api('POST', `/account-holders/MSISDN/${fund.msisdn}/fund`, {
              amount: fund.amount,
              currency: fund.currency,
            }),
          `Funded ${fund.msisdn}.`,
        );
      }}>
        <label>MSISDN<input required value=${fund.msisdn} onInput=${(e: Event) => setFund({ ...fund, msisdn: (e.target as HTMLInputElement).value })} /></label>
        <label>Amount<input required inputmode="decimal" value=${fund.amount} onInput=${(e: Event) => setFund({ ...fund, amount: (e.target as HTMLInputElement).value })} /></label>
        <label>Currency<input required value=${fund.currency} onInput=${(e: Event) => setFund({ ...fund, currency: (e.target as HTMLInputElement).value })} /></label>
        <button type="submit">Fund wallet</button>
      </form>
      <p role="status" aria-live="polite">${message}</p>
      <div class="table-wrap"><table>
        <thead><tr><th>Party</th><th>Name</th><th>Status</th><th>Approves</th><th></th></tr></thead>
        <tbody>${(holders.data ?? []).map((h) => {
          const path = `/account-holders/${h.partyIdType}/${encodeURIComponent(h.partyId)}`;
          const blocked = h.status === 'BLOCKED';
          return html`<tr><td>${h.partyIdType} ${h.partyId}</td><td>${h.givenName} ${h.familyName}</td>
            <td><span class=${blocked ? 'status status-FAILED' : 'status status-SUCCESSFUL'}>${h.status}</span></td><td>${h.approvalMode}</td>
            <td><button type="button" class=${blocked ? 'secondary' : 'danger'} onClick=${() =>
              act(
                () => api('PUT', path, { status: blocked ? 'ACTIVE' : 'BLOCKED' }),
                `${h.partyId} ${blocked ? 'unblocked' : 'blocked'}.`,
              )}>
              ${blocked ? 'Unblock' : 'Block'}</button></td></tr>`;
        })}</tbody>
      </table></div>
      ${
        accounts.loadedAtMs === undefined || holders.loadedAtMs === undefined
          ? null
          : html`<p class="muted">Updated ${time(Math.min(accounts.loadedAtMs, holders.loadedAtMs))}</p>`
      }
    </section>
  `;
}
