/** API users: per environment, with the host their callbacks may go to. */
import { html } from 'htm/preact';
import { api } from '../api.js';
import { time } from '../format.js';
import { useLoad } from '../hooks.js';

interface ApiUser {
  id: string;
  partnerId: string;
  providerCallbackHost: string;
  targetEnvironment: string;
  createdAtMs: number;
}

export function ApiUsersView() {
  const { data, error } = useLoad(() => api<ApiUser[]>('GET', '/api-users'), []);
  return html`
    <section aria-labelledby="api-users-title">
      <h2 id="api-users-title">API users</h2>
      ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
      <p class="muted">API keys are stored only as digests: a new key is issued with POST /v1_0/apiuser/{id}/apikey (sandbox) or the CLI.</p>
      <div class="table-wrap"><table>
        <thead><tr><th>API user</th><th>Partner</th><th>Environment</th><th>Callback host</th><th>Created</th><th>Transactions</th></tr></thead>
        <tbody>${(data ?? []).map(
          (
            u,
          ) => html`<tr><td>${u.id}</td><td>${u.partnerId}</td><td>${u.targetEnvironment}</td><td>${u.providerCallbackHost}</td><td>${time(u.createdAtMs)}</td>
            <td><a href=${`#/transactions?apiUserId=${u.id}`}>list</a></td></tr>`,
        )}</tbody>
      </table></div>
    </section>
  `;
}
