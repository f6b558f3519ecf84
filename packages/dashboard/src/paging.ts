/**
 * Paging back through the operator API's newest-first lists (transactions, callbacks): an older page starts
 * after the last row of the page before it, by its creation time and id, so that rows created meanwhile
 * neither shift the pages nor show twice.
 */
import { html } from 'htm/preact';
import { time } from './format.js';

/** Where an older page starts: the `createdAtMs` and `id` of the last row of the page before it. */
export interface PageStart {
  readonly beforeMs: number;
  readonly beforeId: string;
}

export const PAGE_SIZE = 100;
/** The page sizes offered under a list; a URL may ask for another (`limit`), which is offered too. */
const PAGE_SIZES = [25, 50, 100, 200, 500];

/** The page size a URL asks for with `limit`, as the operator API names it, within what the API allows. */
export function pageSizeOf(limit: string | null | undefined): number {
  const asked = Number(limit);
  return Number.isInteger(asked) && asked >= 1 && asked <= 500 ? asked : PAGE_SIZE;
}

/** The page start a URL names (`beforeMs`, `beforeId`), if both halves are there and make sense. */
export function pageStartOf(url: URLSearchParams): PageStart | undefined {
  const beforeMs = Number(url.get('beforeMs') ?? '');
  const beforeId = url.get('beforeId') ?? '';
  // An id longer than the operator API takes (64) names no row: the list starts at the newest instead of failing.
  return beforeId === '' ||
    beforeId.length > 64 ||
    url.get('beforeMs') === null ||
    !Number.isInteger(beforeMs)
    ? undefined
    : { beforeMs, beforeId };
}

/** The page as a view's URL keeps it: the page size only when it is not the default. */
export function pageInUrl(pageSize: number, start: PageStart | undefined): [string, string][] {
  return pageQuery(pageSize, start).filter(([name]) => name !== 'limit' || pageSize !== PAGE_SIZE);
}

/** The query parameters that ask the operator API for a page. */
export function pageQuery(pageSize: number, start: PageStart | undefined): [string, string][] {
  const query: [string, string][] = [['limit', String(pageSize)]];
  if (start !== undefined) {
    query.push(['beforeMs', String(start.beforeMs)], ['beforeId', start.beforeId]);
  }
  return query;
}

/**
 * Newest and Older under a list. The buttons are aria-disabled rather than disabled: a disabled button loses
 * the keyboard focus, and Older is unusable for a moment after every click, while the page loads.
 */
export function Pager(props: {
  /** What the list holds, in the plural: "transactions". */
  what: string;
  rows: readonly { createdAtMs: number; id: string }[] | undefined;
  pageSize: number;
  start: PageStart | undefined;
  onPage: (start: PageStart | undefined) => void;
  /** Another page size: the page shown keeps its start and grows or shrinks. */
  onPageSize: (pageSize: number) => void;
}) {
  const { rows, start } = props;
  const last = rows?.at(-1);
  // A full page may have older rows after it; a shorter one was the end of the list.
  const older =
    rows !== undefined && rows.length >= props.pageSize && last !== undefined
      ? { beforeMs: last.createdAtMs, beforeId: last.id }
      : undefined;
  const sizes = PAGE_SIZES.includes(props.pageSize)
    ? PAGE_SIZES
    : [...PAGE_SIZES, props.pageSize].sort((a, b) => a - b);
  return html`<div class="pager" role="group" aria-label=${`Pages of ${props.what}`}>
    <button type="button" class="secondary" aria-disabled=${start === undefined ? 'true' : 'false'}
      onClick=${() => start !== undefined && props.onPage(undefined)}>Newest</button>
    <button type="button" class="secondary" aria-disabled=${older === undefined ? 'true' : 'false'}
      onClick=${() => older !== undefined && props.onPage(older)}>Older</button>
    <label>Rows per page<select value=${props.pageSize} onChange=${(event: Event) =>
      props.onPageSize(Number((event.target as HTMLSelectElement).value))}>
      ${sizes.map((size) => html`<option value=${size}>${size}</option>`)}
    </select></label>
    <p role="status" class="muted">${
      start === undefined
        ? `The newest ${props.what}`
        : `Older ${props.what}: created before ${time(start.beforeMs)}`
    }</p>
  </div>`;
}
