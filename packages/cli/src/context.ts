/** What every command reads: the global options, the environment, and how to write. */
import type { Command } from 'commander';
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

/** What a command's work receives: parsed once, the same way for every command. */
export interface CommandInput {
  readonly globals: GlobalOptions;
  readonly output: Output;
  readonly args: string[];
  readonly options: Record<string, string | boolean | undefined>;
}

/** Makes `work` the action of `command`: its result is the exit code, and a thrown error prints as a failure. */
export function runCommand(
  command: Command,
  context: CommandContext,
  work: (input: CommandInput) => Promise<number>,
): Command {
  return command.action(async (...received: unknown[]) => {
    const self = received.at(-1) as Command;
    const globals = self.optsWithGlobals<GlobalOptions>();
    const output = context.output(globals);
    try {
      context.exit(await work({ globals, output, args: self.args, options: self.opts() }));
    } catch (error) {
      context.exit(output.failure(error));
    }
  });
}
