/** API users: per environment, with the host their callbacks may go to, and revocation of a leaked one. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { time } from '../format.js';
import { useLoad } from '../hooks.js';

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
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const revoke = async (apiUser: ApiUser) => {
    // Revocation cannot be undone: the partner needs a new API user.
    if (!window.confirm(`Revoke API user ${apiUser.id}? Its API keys and access tokens stop working.`)) {
      return;
    }
    try {
      await api('POST', `/api-users/${apiUser.id}/revoke`);
      setProblem(undefined);
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      setProblem(`API user ${apiUser.id} was not revoked: ${reason}`);
    }
    reload();
  };
  return html`
    <section aria-labelledby="api-users-title">
      <h2 id="api-users-title">API users</h2>
      ${[error, problem].filter((text) => text !== undefined).map((text) => html`<p class="error" role="alert">${text}</p>`)}
      <p class="muted">API keys are stored only as digests: a new key is issued with POST /v1_0/apiuser/{id}/apikey (sandbox) or the CLI. Revoking an API user stops its keys and its access tokens at once on this server, and within a second on the others.</p>
      <div class="table-wrap"><table>
        <thead><tr><th>API user</th><th>Partner</th><th>Environment</th><th>Callback host</th><th>Created</th><th>Transactions</th><th>Access</th></tr></thead>
        <tbody>${(data ?? []).map(
          (
            u,
          ) => html`<tr data-api-user=${u.id}><td>${u.id}</td><td>${u.partnerId}</td><td>${u.targetEnvironment}</td><td>${u.providerCallbackHost}</td><td>${time(u.createdAtMs)}</td>
            <td><a href=${`#/transactions?apiUserId=${u.id}`}>list</a></td>
            <td>${
              u.revokedAtMs === null
                ? html`<button type="button" class="secondary" aria-label=${`Revoke API user ${u.id}`} onClick=${() => revoke(u)}>Revoke</button>`
                : html`<span class="status status-FAILED" title=${`Revoked ${time(u.revokedAtMs)}`}>revoked</span>`
            }</td></tr>`,
        )}</tbody>
      </table></div>
    </section>
  `;
}
