/**
 * `openmomo`: one command for the whole platform. Server side (serve, migrate, partners, API users, account
 * holders, approvals, callbacks, ledger audit) over the operator API; client side (sandbox, pay, transfer,
 * status, balance, account-holder) over the SDK, against OpenMoMo or MTN.
 */
import { Command, CommanderError } from 'commander';
import { registerClientCommands } from './commands/client.js';
import { registerOperatorCommands } from './commands/operator.js';
import type { CommandContext, GlobalOptions } from './context.js';
import { EXIT, type Io, Output } from './output.js';

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  interactive: process.stdout.isTTY === true,
};

/** Runs the CLI with `argv` (as process.argv); resolves to the exit code. */
export async function run(
  argv: readonly string[],
  io: Io = processIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let exitCode: number = EXIT.OK;
  const context: CommandContext = {
    env,
    output: (globals: GlobalOptions) => new Output(io, globals.json === true),
    exit: (code) => {
      exitCode = code;
    },
  };
  const program = new Command('openmomo')
    .description('Run and operate an OpenMoMo server, and call any MoMo API from a terminal.')
    .option('--server <url>', 'the OpenMoMo (or MTN) base URL', env.OPENMOMO_URL ?? 'http://localhost:8080')
    .option(
      '--operator-token <token>',
      'the operator API token (or OPENMOMO_OPERATOR_TOKEN)',
      env.OPENMOMO_OPERATOR_TOKEN,
    )
    .option(
      '--environment <name>',
      'X-Target-Environment (or MOMO_TARGET_ENVIRONMENT)',
      env.MOMO_TARGET_ENVIRONMENT ?? 'sandbox',
    )
    .option('--json', 'print JSON, for scripts')
    .showHelpAfterError('(run with --help for usage and examples)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  registerOperatorCommands(program, context);
  registerClientCommands(program, context);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors with 1.
      return error.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
    }
    throw error;
  }
  return exitCode;
}
