/** How the dashboard writes times and money. */

export function time(epochMs: number | null | undefined): string {
  return epochMs === null || epochMs === undefined ? '' : new Date(epochMs).toLocaleString();
}

/** "1,500 UGX": grouped digits, the currency after, as a payer's phone shows it. */
export function money(amount: string, currency: string): string {
  const [whole = '0', fraction] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fraction === undefined ? grouped : `${grouped}.${fraction}`} ${currency}`;
}

/**
 * "14:05:12", in the reader's own way: for times within the hour either side of now, where the date goes
 * without saying.
 */
export function timeOfDay(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString();
}
