/** How the CLI speaks: JSON for scripts (--json), aligned text for people, and exit codes that mean something. */
import { MomoError } from '@openmomo/sdk';

/** 0 done; 1 refused or broken; 2 the transaction FAILED; 3 still PENDING when --wait gave up. */
export const EXIT = { OK: 0, ERROR: 1, FAILED: 2, PENDING: 3 } as const;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stdout is a terminal: spinners and colours only then. */
  readonly interactive: boolean;
}

export class Output {
  readonly #io: Io;
  readonly json: boolean;

  constructor(io: Io, json: boolean) {
    this.#io = io;
    this.json = json;
  }

  /** A result: JSON with --json, otherwise `key  value` lines. */
  result(value: unknown): void {
    if (this.json) {
      this.#io.out(`${JSON.stringify(value, null, 2)}\n`);
      return;
    }
    if (typeof value !== 'object' || value === null) {
      this.#io.out(`${String(value)}\n`);
      return;
    }
    if (Array.isArray(value)) {
      // A list: a table of every field its rows have, in the order they first appear.
      const rows = value.map((row) => (typeof row === 'object' && row !== null ? row : { value: row }));
      this.table(rows, [...new Set(rows.flatMap((row) => Object.keys(row)))]);
      return;
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, field]) => field !== undefined,
    );
    const width = Math.max(...entries.map(([key]) => key.length));
    for (const [key, field] of entries) {
      this.#io.out(
        `${key.padEnd(width)}  ${typeof field === 'object' ? JSON.stringify(field) : String(field)}\n`,
      );
    }
  }

  /** Rows as an aligned table (or a JSON array). */
  table(rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
    if (this.json) {
      this.#io.out(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      this.#io.out('(none)\n');
      return;
    }
    const cell = (row: Record<string, unknown>, column: string) => {
      const value = row[column];
      return value === undefined || value === null
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    };
    const widths = columns.map((column) =>
      Math.max(column.length, ...rows.map((row) => cell(row, column).length)),
    );
    const line = (values: string[]) =>
      `${values
        .map((value, i) => value.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`;
    this.#io.out(line([...columns]));
    for (const row of rows) {
      this.#io.out(line(columns.map((column) => cell(row, column))));
    }
  }

  /** A hint for people, on stderr so that stdout stays the result; silent with --json. */
  note(text: string): void {
    if (!this.json) {
      this.#io.err(`${text}\n`);
    }
  }

  /** Progress for people; silent with --json and when stdout is not a terminal. */
  progress(text: string): void {
    if (!this.json && this.#io.interactive) {
      this.#io.err(`\r${text}`);
    }
  }

  /** An error in plain words with its MoMo code; returns the exit code. */
  failure(error: unknown): number {
    const text =
      error instanceof MomoError
        ? `${error.code}${error.status === null ? '' : ` (HTTP ${error.status})`}: ${error.message}${error.referenceId === undefined ? '' : ` [reference ${error.referenceId}]`}`
        : error instanceof Error
          ? error.message
          : String(error);
    if (this.json) {
      this.#io.out(
        `${JSON.stringify({ error: error instanceof MomoError ? { status: error.status, code: error.code, message: error.message, referenceId: error.referenceId } : { message: text } })}\n`,
      );
    } else {
      this.#io.err(`Error: ${text}\n`);
    }
    return EXIT.ERROR;
  }
}

/** A spinner on stderr while waiting, when a person watches. */
export function spinner(output: Output, label: string): { stop(): void } {
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  const timer = setInterval(() => output.progress(`${frames[frame++ % frames.length]} ${label}`), 100);
  return {
    stop() {
      clearInterval(timer);
      output.progress(`${' '.repeat(label.length + 2)}\r`);
    },
  };
}
