/**
 * Fault rules (sandbox mode): make MoMo calls fail on demand — an error answer, a delay, a connection dropped
 * before or after the call is handled — or callbacks go wrong (late, twice, never), and see how often each rule
 * hit (decision 0025).
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useLoad } from '../hooks.js';
import { busy, useOutcome } from '../outcome.js';

type Target = 'request' | 'callback';

interface FaultRule {
  id: string;
  on?: Target;
  method?: string;
  path: string;
  fault: string;
  status?: number;
  code?: string;
  delayMs?: number;
  times?: number;
  probability?: number;
  hits: number;
}

const FAULTS: Record<Target, readonly (readonly [string, string])[]> = {
  request: [
    ['error', 'Error answer (nothing is handled)'],
    ['delay', 'Slow answer'],
    ['drop-request', 'Connection dropped before handling'],
    ['drop-response', 'Answer lost after handling'],
  ],
  callback: [
    ['duplicate', 'Sent twice'],
    ['delay', 'Sent late'],
    ['drop', 'Never sent'],
  ],
};

function describe(rule: Omit<FaultRule, 'id' | 'hits'>): string {
  switch (rule.fault) {
    case 'error':
      return `${rule.status ?? 500}${rule.code === undefined ? '' : ` ${rule.code}`}`;
    case 'delay':
      return `${rule.delayMs} ms`;
    default:
      return '';
  }
}

/** A rule in words, for the buttons and messages that name it: "error 503 on POST /collection/v1_0/requesttopay". */
function describeRule(rule: Omit<FaultRule, 'id' | 'hits'>): string {
  const detail = describe(rule);
  const callbacks = rule.on === 'callback' ? 'callbacks of ' : '';
  return `${rule.fault}${detail === '' ? '' : ` ${detail}`} on ${callbacks}${rule.method ?? 'any method'} ${rule.path}`;
}

export function FaultsView() {
  const { data, error, reload } = useLoad(() => api<FaultRule[]>('GET', '/faults'), [], { live: true });
  const [path, setPath] = useState('/collection/v1_0/requesttopay');
  const [method, setMethod] = useState('POST');
  const [target, setTarget] = useState<Target>('request');
  const [fault, setFault] = useState('error');
  const [status, setStatus] = useState('500');
  const [delayMs, setDelayMs] = useState('3000');
  const [times, setTimes] = useState('1');
  const outcome = useOutcome();
  const act = async <T>(work: () => Promise<T>, done: string | ((answer: T) => string), failed: string) => {
    await outcome.attempt(work, done, failed);
    reload();
  };
  const add = () => {
    const rule = {
      on: target,
      path,
      fault,
      ...(method === '' ? {} : { method }),
      ...(fault === 'error' ? { status: Number(status) } : {}),
      ...(fault === 'delay' ? { delayMs: Number(delayMs) } : {}),
      ...(times === '' ? {} : { times: Number(times) }),
    };
    return act(
      () => api<FaultRule>('POST', '/faults', rule),
      // As the server completed it: an error rule's code, for one.
      (added) => `Rule added: ${describeRule(added)}.`,
      `The rule (${describeRule(rule)}) was not added`,
    );
  };
  const field = (setter: (value: string) => void) => (event: Event) =>
    setter((event.target as HTMLInputElement | HTMLSelectElement).value);
  return html`
    <section aria-labelledby="faults-title">
      <h2 id="faults-title">Fault rules</h2>
      <p class="muted">Make MoMo calls fail as MTN's gateway does on a bad day, or callbacks arrive late, twice or never, to test a client's handling of it. The first matching rule applies; a path ending in * is a prefix. Sandbox mode only; the rules live in this server's memory.</p>
      ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
      ${outcome.view}
      <form class="filters" onSubmit=${(event: Event) => {
        event.preventDefault();
        void add();
      }}>
        <label for="fault-target">Applies to<select id="fault-target" value=${target} onChange=${field(
          (value) => {
            setTarget(value as Target);
            setFault(FAULTS[value as Target][0]?.[0] ?? '');
            setPath(value === 'callback' ? '*' : '/collection/v1_0/requesttopay');
            // Sandbox callbacks are PUT, production ones POST: a method left from a call rule would miss them.
            setMethod(value === 'callback' ? '' : 'POST');
          },
        )}>
          <option value="request">Calls to the API</option><option value="callback">Callbacks</option>
        </select></label>
        <label for="fault-path">Path<input id="fault-path" required value=${path} onInput=${field(setPath)} /></label>
        <label for="fault-method">Method<select id="fault-method" value=${method} onChange=${field(setMethod)}>
          ${['', 'GET', 'POST', 'PUT', 'DELETE'].map((m) => html`<option value=${m}>${m || 'any'}</option>`)}
        </select></label>
        <label for="fault-kind">Fault<select id="fault-kind" value=${fault} onChange=${field(setFault)}>
          ${FAULTS[target].map(([value, label]) => html`<option value=${value}>${label}</option>`)}
        </select></label>
        ${
          fault === 'error'
            ? // Required: an empty number field reads as 0, a status the operator did not ask for.
              html`<label for="fault-status">Status<input id="fault-status" type="number" required min="400" max="599" value=${status} onInput=${field(setStatus)} /></label>`
            : null
        }
        ${
          fault === 'delay'
            ? // Required: an empty number field reads as 0, a delay of nothing.
              html`<label for="fault-delay">Delay (ms)<input id="fault-delay" type="number" required min="0" max="120000" value=${delayMs} onInput=${field(setDelayMs)} /></label>`
            : null
        }
        <label for="fault-times">Times (empty: every call)<input id="fault-times" type="number" min="1" value=${times} onInput=${field(setTimes)} /></label>
        <button type="submit" aria-disabled=${busy(outcome.pending)}>Add rule</button>
      </form>
      <div class="table-wrap"><table>
        <thead><tr><th>On</th><th>Method</th><th>Path</th><th>Fault</th><th>Detail</th><th>Hits</th><th>Times</th><th></th></tr></thead>
        <tbody>${(data ?? []).map(
          (
            rule,
            index,
          ) => html`<tr data-fault=${rule.id}><td>${rule.on ?? 'request'}</td><td>${rule.method ?? 'any'}</td><td>${rule.path}</td><td>${rule.fault}</td><td>${describe(rule)}</td>
            <td>${rule.hits}</td><td>${rule.times ?? 'every call'}</td>
            <td><button type="button" class="secondary" aria-disabled=${busy(outcome.pending)} aria-label=${`Remove rule ${index + 1}: ${describeRule(rule)}`} onClick=${() =>
              act(
                () => api('DELETE', `/faults/${rule.id}`),
                `Rule ${index + 1} removed: ${describeRule(rule)}.`,
                `Rule ${index + 1} (${describeRule(rule)}) was not removed`,
              )}>Remove</button></td></tr>`,
        )}</tbody>
      </table></div>
      ${(data ?? []).length === 0 ? html`<p class="muted">No rule: every call is handled normally.</p>` : html`<button type="button" class="danger" aria-disabled=${busy(outcome.pending)} onClick=${() => act(() => api('DELETE', '/faults'), 'Every rule was removed.', 'The rules were not removed')}>Remove all</button>`}
    </section>
  `;
}
