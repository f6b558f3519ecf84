/** API users: per environment, with the host their callbacks may go to, and revocation of a leaked one. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { time } from '../format.js';
import { useLoad } from '../hooks.js';
import { busy, useOutcome } from '../outcome.js';

interface ApiUser {
  id: string;
  partnerId: string;
  providerCallbackHost: string;
  targetEnvironment: string;
  createdAtMs: number;
  revokedAtMs: number | null;
}

export function ApiUsersView() {
  const { data, error, reload } = useLoad(() => api<ApiUser[]>('GET', '/api-users'), [], { live: true });
  const outcome = useOutcome();
  // The Revoke button gives way to "revoked": the keyboard focus goes there, not back to the top of the page.
  const [revokedJustNow, setRevokedJustNow] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (revokedJustNow === undefined) {
      return;
    }
    // Only a focus that fell to the page with the Revoke button is moved: an operator who went on meanwhile
    // (the reload that shows the revocation failed, and a later one did) keeps theirs.
    const focused = document.activeElement;
    if (
      focused !== null &&
      focused !== document.body &&
      focused.closest(`[data-api-user="${revokedJustNow}"]`) === null
    ) {
      setRevokedJustNow(undefined);
      return;
    }
    const revoked = document.querySelector<HTMLElement>(`[data-api-user="${revokedJustNow}"] .revoked`);
    if (revoked !== null) {
      revoked.focus();
      setRevokedJustNow(undefined);
    }
  }, [data, revokedJustNow]);
  const revoke = async (apiUser: ApiUser) => {
    if (outcome.pending) {
      return;
    }
    // Revocation cannot be undone: the partner needs a new API user.
    if (!window.confirm(`Revoke API user ${apiUser.id}? Its API keys and access tokens stop working.`)) {
      return;
    }
    const revoked = await outcome.attempt(
      () => api('POST', `/api-users/${apiUser.id}/revoke`),
      `API user ${apiUser.id} was revoked: its API keys and access tokens no longer work.`,
      `API user ${apiUser.id} was not revoked`,
    );
    if (revoked) {
      setRevokedJustNow(apiUser.id);
    }
    reload();
  };
  return html`
    <section aria-labelledby="api-users-title">
      <h2 id="api-users-title">API users</h2>
      ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
      ${outcome.view}
      <p class="muted">API keys are stored only as digests: a new key is issued with POST /v1_0/apiuser/{id}/apikey (sandbox) or the CLI. Revoking an API user stops its keys and its access tokens at once on this server, and within a second on the others.</p>
      <div class="table-wrap"><table>
        <thead><tr><th>API user</th><th>Partner</th><th>Environment</th><th>Callback host</th><th>Created</th><th>Transactions</th><th>Access</th></tr></thead>
        <tbody>${(data ?? []).map(
          (
            u,
          ) => html`<tr data-api-user=${u.id}><td>${u.id}</td><td>${u.partnerId}</td><td>${u.targetEnvironment}</td><td>${u.providerCallbackHost}</td><td>${time(u.createdAtMs)}</td>
            <td><a href=${`#/transactions?apiUserId=${encodeURIComponent(u.id)}`} aria-label=${`list the transactions of API user ${u.id}`}>list</a></td>
            <td>${
              u.revokedAtMs === null
                ? html`<button type="button" class="secondary" aria-disabled=${busy(outcome.pending)} aria-label=${`Revoke API user ${u.id}`} onClick=${() => revoke(u)}>Revoke</button>`
                : html`<span class="status status-FAILED revoked" tabindex="-1" title=${`Revoked ${time(u.revokedAtMs)}`}>revoked</span>`
            }</td></tr>`,
        )}</tbody>
      </table></div>
    </section>
  `;
}
