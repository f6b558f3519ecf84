/** What every command reads: the global options, the environment, and how to write. */
import type { Output } from './output.js';

export interface GlobalOptions {
  readonly server: string;
  readonly operatorToken?: string;
  readonly environment: string;
  readonly json?: boolean;
}

export interface CommandContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly output: (globals: GlobalOptions) => Output;
  /** Sets the process's exit code for the command that ran. */
  readonly exit: (code: number) => void;
}
