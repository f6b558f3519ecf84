/** Wallets and accounts: balances per currency with their postings; fund, block and unblock account holders. */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { money, time } from '../format.js';
import { useLoad } from '../hooks.js';
import { busy, useOutcome } from '../outcome.js';

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

/** The most rows the operator API lists of accounts, account holders and postings: it has no pages for them. */
const LIST_LIMIT = 500;

/** Says that a list came back full: older rows exist that it does not show. */
function fullList(rows: readonly unknown[] | undefined, what: string) {
  return rows !== undefined && rows.length >= LIST_LIMIT
    ? html`<p class="muted" role="note">Showing the newest ${LIST_LIMIT} ${what}: older ones are not listed here.</p>`
    : null;
}

/** What an account is: its product (a partner's), a holder's wallet, or the system's float. */
function accountKind(account: Account): string {
  if (account.product !== '') {
    return account.product;
  }
  return account.ownerType === 'ACCOUNT_HOLDER' ? 'wallet' : account.ownerType.toLowerCase();
}

/** An account in words, for the buttons that act on it: "MSISDN 256772000901 wallet EUR". */
const accountName = (account: Account) => `${account.owner} ${accountKind(account)} ${account.currency}`;

function Postings(props: { accountId: string; actions: number }) {
  // Live, and loaded again after every action of the view: funding the account adds a posting to it.
  const { data, error, reload } = useLoad(
    () =>
      api<{ transferId: string; amount: string; currency: string }[]>(
        'GET',
        `/accounts/${encodeURIComponent(props.accountId)}/postings`,
      ),
    [props.accountId],
    { live: true },
  );
  const actionsShown = useRef(props.actions);
  useEffect(() => {
    if (props.actions !== actionsShown.current) {
      actionsShown.current = props.actions;
      reload();
    }
  }, [props.actions, reload]);
  return html`${error === undefined ? null : html`<p class="error" role="alert">The postings could not be loaded: ${error}</p>`}
    <div class="table-wrap"><table><thead><tr><th>Transfer</th><th>Entry</th></tr></thead><tbody>
    ${(data ?? []).map((p) => html`<tr><td>${p.transferId}</td><td>${money(p.amount, p.currency)}</td></tr>`)}
  </tbody></table></div>
  ${fullList(data, 'postings')}`;
}

export function WalletsView() {
  const accounts = useLoad(() => api<Account[]>('GET', '/accounts'), [], { live: true });
  const holders = useLoad(() => api<Holder[]>('GET', '/account-holders'), [], { live: true });
  const [open, setOpen] = useState<string | null>(null);
  const [fund, setFund] = useState({ msisdn: '', amount: '', currency: 'EUR' });
  // Counts the view's actions: the open postings load again after each.
  const [actions, setActions] = useState(0);
  const outcome = useOutcome();
  const act = async <T>(work: () => Promise<T>, done: string, failed: string) => {
    const worked = await outcome.attempt(work, done, failed);
    if (worked) {
      setActions((count) => count + 1);
    }
    accounts.reload();
    holders.reload();
  };
  return html`
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      ${accounts.error === undefined ? null : html`<p class="error" role="alert">The accounts could not be loaded: ${accounts.error}</p>`}
      ${fullList(accounts.data, 'accounts')}
      <div class="table-wrap"><table>
        <thead><tr><th>Owner</th><th>Type</th><th>Product</th><th>Balance</th><th></th></tr></thead>
        <tbody>${(accounts.data ?? []).map(
          (
            a,
          ) => html`<tr data-account=${a.id}><td>${a.owner}</td><td>${a.ownerType}</td><td>${accountKind(a)}</td><td>${money(a.balance, a.currency)}</td>
            <td><button type="button" class="secondary" aria-expanded=${open === a.id} aria-label=${`Postings of ${accountName(a)}`} onClick=${() => setOpen(open === a.id ? null : a.id)}>Postings</button></td></tr>
            ${open === a.id ? html`<tr><td colspan="5"><${Postings} accountId=${a.id} actions=${actions} /></td></tr>` : null}`,
        )}</tbody>
      </table></div>
    </section>
    <section aria-labelledby="holders-title">
      <h2 id="holders-title">Account holders</h2>
      ${holders.error === undefined ? null : html`<p class="error" role="alert">The account holders could not be loaded: ${holders.error}</p>`}
      <form class="filters" onSubmit=${(event: Event) => {
        event.preventDefault();
        const msisdn = fund.msisdn.trim();
        void act(
          () =>
            api('POST', `/account-holders/MSISDN/${encodeURIComponent(msisdn)}/fund`, {
              amount: fund.amount.trim(),
              currency: fund.currency.trim(),
            }),
          `Funded ${msisdn} with ${fund.amount.trim()} ${fund.currency.trim()}.`,
          `${msisdn} was not funded`,
        );
      }}>
        <label>MSISDN<input required value=${fund.msisdn} onInput=${(e: Event) => setFund({ ...fund, msisdn: (e.target as HTMLInputElement).value })} /></label>
        <label>Amount<input required inputmode="decimal" value=${fund.amount} onInput=${(e: Event) => setFund({ ...fund, amount: (e.target as HTMLInputElement).value })} /></label>
        <label>Currency<input required value=${fund.currency} onInput=${(e: Event) => setFund({ ...fund, currency: (e.target as HTMLInputElement).value })} /></label>
        <button type="submit" aria-disabled=${busy(outcome.pending)}>Fund wallet</button>
      </form>
      ${outcome.view}
      ${fullList(holders.data, 'account holders')}
      <div class="table-wrap"><table>
        <thead><tr><th>Party</th><th>Name</th><th>Status</th><th>Approves</th><th></th></tr></thead>
        <tbody>${(holders.data ?? []).map((h) => {
          const path = `/account-holders/${encodeURIComponent(h.partyIdType)}/${encodeURIComponent(h.partyId)}`;
          const blocked = h.status === 'BLOCKED';
          const verb = blocked ? 'Unblock' : 'Block';
          return html`<tr><td>${h.partyIdType} ${h.partyId}</td><td>${h.givenName} ${h.familyName}</td>
            <td><span class=${blocked ? 'status status-FAILED' : 'status status-SUCCESSFUL'}>${h.status}</span></td><td>${h.approvalMode}</td>
            <td><button type="button" class=${blocked ? 'secondary' : 'danger'} aria-disabled=${busy(outcome.pending)}
              aria-label=${`${verb} ${h.partyIdType} ${h.partyId}`} onClick=${() =>
                act(
                  () => api('PUT', path, { status: blocked ? 'ACTIVE' : 'BLOCKED' }),
                  `${h.partyIdType} ${h.partyId} ${blocked ? 'unblocked' : 'blocked'}.`,
                  `${h.partyIdType} ${h.partyId} was not ${blocked ? 'unblocked' : 'blocked'}`,
                )}>
              ${verb}</button></td></tr>`;
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
