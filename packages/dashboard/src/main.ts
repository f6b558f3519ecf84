/** The OpenMoMo dashboard: hash routes, the sandbox banner, the operator login, and the views. */
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  forgetOperatorToken,
  type Health,
  health,
  OperatorApiError,
  operatorToken,
  saveOperatorToken,
  UnauthorizedError,
} from './api.js';
import { ApiUsersView } from './views/api-users.js';
import { CallbacksView } from './views/callbacks.js';
import { ChartsView } from './views/charts.js';
import { FaultsView } from './views/faults.js';
import { PhoneView } from './views/phone.js';
import { TransactionDetailView, TransactionsView } from './views/transactions.js';
import { WalletsView } from './views/wallets.js';

const ROUTES = [
  { path: 'transactions', label: 'Transactions' },
  { path: 'callbacks', label: 'Callbacks' },
  { path: 'wallets', label: 'Wallets & accounts' },
  { path: 'api-users', label: 'API users' },
  { path: 'phone', label: 'Payer phone' },
  { path: 'charts', label: 'Charts' },
  { path: 'faults', label: 'Faults' },
] as const;

let navigations = 0;

/**
 * The page the hash names. `navigation` counts hash changes: a view keyed by it starts afresh from the URL
 * whenever the operator navigates (a nav link, Back), and keeps its state while it only rewrites its own URL.
 */
function currentRoute(): {
  path: string;
  id: string | undefined;
  query: URLSearchParams;
  navigation: number;
} {
  const [location = '', search = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  const [path = 'transactions', id] = location.split('/');
  navigations += 1;
  return {
    path: path === '' ? 'transactions' : path,
    id,
    query: new URLSearchParams(search),
    navigation: navigations,
  };
}

function Login(props: { onDone: () => void }) {
  // A token kept from before that still needs a login was refused: this form came back after it.
  const refused = operatorToken() !== null;
  const [token, setToken] = useState(operatorToken() ?? '');
  return html`<section aria-labelledby="login-title">
    <h2 id="login-title">Operator login</h2>
    <p>This server needs its operator token (OPERATOR_TOKEN) for the dashboard.</p>
    ${refused ? html`<p class="error" role="alert">The server refused that operator token.</p>` : null}
    <form onSubmit=${(event: Event) => {
      event.preventDefault();
      saveOperatorToken(token);
      props.onDone();
    }}>
      <label for="operator-token">Operator token<input id="operator-token" type="password" required value=${token} onInput=${(e: Event) => setToken((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">Sign in</button>
    </form>
  </section>`;
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  const [server, setServer] = useState<Health | undefined>(undefined);
  const [needsLogin, setNeedsLogin] = useState(false);
  // Whether the operator API answered without any token: only then is the dashboard open to anyone.
  const [openWithoutLogin, setOpenWithoutLogin] = useState(false);
  // Why the operator API refused the dashboard for another reason than a token (a host it does not answer,
  // 403): said once, at the top, rather than as the same error on every page. A failure that may pass (the
  // server restarting) is left to each page, which says it while it lasts.
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  useEffect(() => {
    const onHashChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHashChange);
    health().then(setServer, () => undefined);
    // One cheap call tells whether the operator API wants a token.
    import('./api.js').then(({ api }) =>
      api('GET', '/api-users').then(
        () => setOpenWithoutLogin(operatorToken() === null),
        (error: unknown) => {
          setNeedsLogin(error instanceof UnauthorizedError);
          if (error instanceof OperatorApiError && error.status === 403) {
            setRefusal(error.message);
          }
        },
      ),
    );
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  // The tab, the history list and a screen reader on a page change name the page, not just the dashboard.
  const page = needsLogin
    ? 'Operator login'
    : route.path === 'transactions' && route.id !== undefined
      ? 'Transaction'
      : (ROUTES.find((r) => r.path === route.path)?.label ?? 'Unknown page');
  useEffect(() => {
    document.title = `${page} · OpenMoMo dashboard`;
  }, [page]);
  const view = () => {
    if (needsLogin) {
      return html`<${Login} onDone=${() => {
        setNeedsLogin(false);
        window.location.reload();
      }} />`;
    }
    switch (route.path) {
      case 'transactions':
        return route.id === undefined
          ? html`<${TransactionsView} key=${route.navigation} initial=${route.query} />`
          : html`<${TransactionDetailView} id=${route.id} />`;
      case 'callbacks':
        return html`<${CallbacksView} key=${route.navigation} initial=${route.query} />`;
      case 'wallets':
        return html`<${WalletsView} />`;
      case 'api-users':
        return html`<${ApiUsersView} />`;
      case 'phone':
        return html`<${PhoneView} />`;
      case 'charts':
        return html`<${ChartsView} />`;
      case 'faults':
        return html`<${FaultsView} />`;
      default:
        return html`<p>Unknown page. <a href="#/transactions">Transactions</a></p>`;
    }
  };
  return html`
    <a class="skip-link" href="#main" onClick=${(event: Event) => {
      // The hash names the page: following the link's own #main would open an unknown page.
      event.preventDefault();
      document.getElementById('main')?.focus();
    }}>Skip to content</a>
    <header>
      <h1>OpenMoMo</h1>
      <nav aria-label="Dashboard">
        <ul>${ROUTES.map(
          (r) =>
            html`<li><a href=${`#/${r.path}`} aria-current=${!needsLogin && route.path === r.path ? 'page' : undefined}>${r.label}</a></li>`,
        )}</ul>
      </nav>
      ${
        operatorToken() !== null && !needsLogin
          ? html`<button type="button" class="secondary" onClick=${() => {
              forgetOperatorToken();
              window.location.reload();
            }}>Sign out</button>`
          : null
      }
    </header>
    ${
      server?.sandboxMode === true
        ? html`<div class="banner" role="note">Sandbox mode: test data only${openWithoutLogin ? '; the dashboard is open without an operator login' : ''}. Database: ${server.engine}.</div>`
        : null
    }
    ${
      refusal === undefined
        ? null
        : html`<div class="banner error" role="alert">The dashboard cannot use the operator API: ${refusal}</div>`
    }
    <main id="main" tabindex="-1">${view()}</main>
  `;
}

const root = document.getElementById('app');
if (root !== null) {
  root.replaceChildren();
  render(html`<${App} />`, root);
}
