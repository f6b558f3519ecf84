/**
 * Server-side commands: run, migrate and operate an OpenMoMo server — partners and their keys, API users,
 * account holders, funding, the payer's approvals, the callback log with replay, the ledger audit.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type AdminTarget, adminCall } from '../admin-client.js';
import { type CommandContext, type CommandInput, type GlobalOptions, runCommand } from '../context.js';
import { EXIT } from '../output.js';

const PRODUCTS = ['collection', 'disbursement', 'remittance'];

/**
 * A --before: where the previous page ended, as `createdAtMs:id` of its last row (the next-page hint prints
 * it), or only `createdAtMs`.
 */
function pageCursor(text: string): { beforeMs: string; beforeId?: string } {
  const [createdAtMs = '', id, ...rest] = text.split(':');
  if (!/^\d+$/.test(createdAtMs) || id === '' || rest.length > 0) {
    throw new InvalidArgumentError(
      'the createdAtMs:id of the last row listed, as the next-page hint shows it',
    );
  }
  return id === undefined ? { beforeMs: createdAtMs } : { beforeMs: createdAtMs, beforeId: id };
}

/**
 * The options of `command` (one of its own, or the program's) as they were given on the command line: what
 * came from a default or the environment comes again from there. Never the operator token: the hint is
 * printed, and copied into shells' histories.
 */
function givenOptions(command: Command): string[] {
  const words: string[] = [];
  for (const option of command.options) {
    const name = option.attributeName();
    const value: unknown = command.getOptionValue(name);
    if (
      option.long === undefined ||
      name === 'before' ||
      name === 'operatorToken' ||
      command.getOptionValueSource(name) !== 'cli'
    ) {
      continue;
    }
    if (value === true) {
      words.push(option.long);
    } else if (value !== false && value !== undefined) {
      words.push(option.long, String(value));
    }
  }
  return words;
}

/** The command that lists the page after `rows`, when `rows` filled a page of `limit`; else undefined. */
function nextPageHint(
  command: Command,
  rows: readonly Record<string, unknown>[],
  limit: number,
): string | undefined {
  const last = rows.at(-1);
  if (rows.length < limit || last === undefined) {
    return undefined;
  }
  const group = command.parent;
  const program = group?.parent;
  const words = [
    'openmomo',
    ...(program === null || program === undefined ? [] : givenOptions(program)),
    ...(group === null || group === undefined ? [] : [group.name()]),
    command.name(),
    ...givenOptions(command),
  ];
  return `More: ${[...words, '--before', `${last.createdAtMs}:${last.id}`].join(' ')}`;
}

/** Loaded only by the commands that run a server: it is most of the CLI's start-up time otherwise. */
const serverPackage = () => import('@openmomo/server');

interface ListOptions {
  readonly limit: string;
  readonly before?: { beforeMs: string; beforeId?: string };
  readonly product?: string;
  readonly status?: string;
  readonly apiUser?: string;
  readonly party?: string;
  readonly state?: string;
}

export function registerOperatorCommands(program: Command, context: CommandContext): void {
  const target = (globals: GlobalOptions): AdminTarget => ({
    serverUrl: globals.server,
    operatorToken: globals.operatorToken,
  });
  /** Runs an admin call with the command's positional arguments and options, and prints its result. */
  const act = (command: Command, work: (input: CommandInput & { target: AdminTarget }) => Promise<unknown>) =>
    runCommand(command, context, async (input) => {
      input.output.result(await work({ ...input, target: target(input.globals) }));
      return EXIT.OK;
    });

  program
    .command('serve')
    .description('Start an OpenMoMo server (as npm start): PORT, DATABASE_URL, SANDBOX_MODE, … configure it')
    .addHelpText(
      'after',
      '\nExamples:\n  $ openmomo serve\n  $ PORT=9090 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test openmomo serve',
    )
    .action(async () => {
      const { serveFromEnvironment } = await serverPackage();
      const code = await serveFromEnvironment(context.env, (text) => process.stdout.write(text));
      if (code !== undefined) {
        context.exit(code);
      }
    });

  program
    .command('migrate')
    .description('Bring the database DATABASE_URL names up to date (the server also does it when it starts)')
    .addHelpText('after', '\nExamples:\n  $ DATABASE_URL=./data/openmomo.db openmomo migrate')
    .action(async (_options: unknown, command: Command) => {
      const output = context.output(command.optsWithGlobals<GlobalOptions>());
      try {
        const { migrateFromEnvironment } = await serverPackage();
        output.result({ migrated: await migrateFromEnvironment(context.env) });
      } catch (error) {
        context.exit(output.failure(error));
      }
    });

  const partner = program
    .command('partner')
    .description('Partners (the businesses using the API) and their subscription keys');
  act(
    partner
      .command('create <name>')
      .description('Create a partner')
      .addHelpText('after', '\nExamples:\n  $ openmomo partner create "ACME Shop"'),
    ({ target: t, args }) => adminCall(t, 'POST', '/partners', { name: args[0] }),
  );
  act(
    partner
      .command('key <partnerId>')
      .description("Issue a subscription key for one of the partner's products")
      .requiredOption('--product <product>', PRODUCTS.join(' | '))
      .addHelpText('after', '\nExamples:\n  $ openmomo partner key 7d0c… --product collection'),
    ({ target: t, args, options }) =>
      adminCall(t, 'POST', `/partners/${args[0]}/subscription-keys`, { product: options.product }),
  );
  act(
    partner
      .command('revoke-key <subscriptionKey>')
      .description('Revoke a subscription key: every call made with it is refused')
      .addHelpText('after', '\nExamples:\n  $ openmomo partner revoke-key 0f3c…'),
    ({ target: t, args }) => adminCall(t, 'POST', '/subscription-keys/revoke', { subscriptionKey: args[0] }),
  );
  act(
    partner
      .command('fund <partnerId>')
      .description("Credit a partner's product account from the float")
      .requiredOption('--product <product>', PRODUCTS.join(' | '))
      .requiredOption('--amount <amount>', 'a decimal amount, e.g. 1500 or 12.50')
      .requiredOption('--currency <currency>', 'ISO 4217, e.g. EUR, UGX')
      .addHelpText(
        'after',
        '\nExamples:\n  $ openmomo partner fund 7d0c… --product disbursement --amount 100000 --currency EUR',
      ),
    ({ target: t, args, options }) =>
      adminCall(t, 'POST', `/partners/${args[0]}/fund`, {
        product: options.product,
        amount: options.amount,
        currency: options.currency,
      }),
  );

  const apiUser = program
    .command('api-user')
    .description('API users of a partner (outside the sandbox, where /v1_0/apiuser is not served)');
  act(
    apiUser
      .command('create <partnerId>')
      .description('Create an API user with its first API key')
      .requiredOption('--callback-host <host>', 'the host its callbacks may go to')
      .option('--target <environment>', 'its target environment (default: --environment)')
      .addHelpText(
        'after',
        '\nExamples:\n  $ openmomo api-user create 7d0c… --callback-host webhook.example.com --target mtnuganda',
      ),
    ({ target: t, globals, args, options }) =>
      adminCall(t, 'POST', `/partners/${args[0]}/api-users`, {
        providerCallbackHost: options.callbackHost,
        targetEnvironment: options.target ?? globals.environment,
      }),
  );

  act(
    apiUser
      .command('revoke <apiUserId>')
      .description('Revoke an API user: its API keys no longer log in and its access tokens are refused')
      .addHelpText('after', '\nExamples:\n  $ openmomo api-user revoke 2f1e…'),
    ({ target: t, args }) => adminCall(t, 'POST', `/api-users/${encodeURIComponent(String(args[0]))}/revoke`),
  );

  const holder = program
    .command('holder')
    .description('Account holders (payers and payees) and their wallets');
  act(
    holder
      .command('set <msisdn>')
      .description('Create or change an account holder')
      .option('--given-name <name>')
      .option('--family-name <name>')
      .option('--block', 'block the holder: its payments fail')
      .option('--unblock', 'unblock the holder')
      .option('--pin <pin>', '4 to 6 digits the holder approves with')
      .option('--interactive', 'the holder answers requests itself (openmomo approvals …)')
      .option('--auto', 'the holder approves requests automatically')
      .addHelpText(
        'after',
        '\nExamples:\n  $ openmomo holder set 46733123499 --interactive --pin 2468\n  $ openmomo holder set 46733123499 --block',
      ),
    ({ target: t, args, options: o }) =>
      adminCall(t, 'PUT', `/account-holders/MSISDN/${args[0]}`, {
        ...(o.givenName === undefined ? {} : { givenName: o.givenName }),
        ...(o.familyName === undefined ? {} : { familyName: o.familyName }),
        ...(o.block === true ? { status: 'BLOCKED' } : o.unblock === true ? { status: 'ACTIVE' } : {}),
        ...(o.pin === undefined ? {} : { pin: o.pin }),
        ...(o.interactive === true
          ? { approvalMode: 'INTERACTIVE' }
          : o.auto === true
            ? { approvalMode: 'AUTO' }
            : {}),
      }),
  );
  act(
    holder
      .command('show <msisdn>')
      .description('Show an account holder')
      .addHelpText('after', '\nExamples:\n  $ openmomo holder show 46733123499'),
    ({ target: t, args }) => adminCall(t, 'GET', `/account-holders/MSISDN/${args[0]}`),
  );
  act(
    holder
      .command('fund <msisdn>')
      .description("Credit an account holder's wallet from the float")
      .requiredOption('--amount <amount>')
      .requiredOption('--currency <currency>')
      .addHelpText('after', '\nExamples:\n  $ openmomo holder fund 46733123499 --amount 500 --currency EUR'),
    ({ target: t, args, options }) =>
      adminCall(t, 'POST', `/account-holders/MSISDN/${args[0]}/fund`, {
        amount: options.amount,
        currency: options.currency,
      }),
  );

  const approvals = program
    .command('approvals')
    .description("Requests waiting for an interactive payer's answer");
  approvals
    .command('list <msisdn>')
    .description('List the requests waiting for this payer')
    .addHelpText('after', '\nExamples:\n  $ openmomo approvals list 46733123499')
    .action(async (msisdn: string, _options: unknown, command: Command) => {
      const output = context.output(command.optsWithGlobals<GlobalOptions>());
      try {
        const pending = (await adminCall(
          target(command.optsWithGlobals()),
          'GET',
          `/account-holders/MSISDN/${msisdn}/pending`,
        )) as Record<string, unknown>[];
        output.table(pending, ['transactionId', 'kind', 'amount', 'currency', 'scope', 'payerMessage']);
      } catch (error) {
        context.exit(output.failure(error));
      }
    });
  for (const answer of ['approve', 'reject'] as const) {
    approvals
      .command(`${answer} <transactionId>`)
      .description(`The payer ${answer}s the request`)
      .option('--pin <pin>', "the payer's PIN, when it has one")
      .addHelpText(
        'after',
        `\nExamples:\n  $ openmomo approvals ${answer} 3f1e… ${answer === 'approve' ? '--pin 2468' : ''}`,
      )
      .action(async (transactionId: string, options: { pin?: string }, command: Command) => {
        const output = context.output(command.optsWithGlobals<GlobalOptions>());
        try {
          output.result(
            await adminCall(
              target(command.optsWithGlobals()),
              'POST',
              `/transactions/${transactionId}/${answer}`,
              options.pin === undefined ? {} : { pin: options.pin },
            ),
          );
        } catch (error) {
          context.exit(output.failure(error));
        }
      });
  }

  /** A newest-first list: --limit and --before, a table, and on stderr the command for the next page. */
  const pagedList = (
    command: Command,
    list: {
      readonly path: string;
      readonly filters: (options: ListOptions) => Record<string, string>;
      readonly columns: readonly string[];
      readonly view?: (row: Record<string, unknown>) => Record<string, unknown>;
    },
  ) =>
    command
      .option('--limit <n>', 'how many', '20')
      .option(
        '--before <createdAtMs:id>',
        'the page after the row listed last (see the next-page hint)',
        pageCursor,
      )
      .action(async (options: ListOptions, self: Command) => {
        const output = context.output(self.optsWithGlobals<GlobalOptions>());
        try {
          const query = new URLSearchParams({
            limit: options.limit,
            ...list.filters(options),
            ...options.before,
          });
          const rows = (await adminCall(
            target(self.optsWithGlobals()),
            'GET',
            `${list.path}?${query}`,
          )) as Record<string, unknown>[];
          output.table(list.view === undefined ? rows : rows.map(list.view), list.columns);
          const hint = nextPageHint(self, rows, Number(options.limit));
          if (hint !== undefined) {
            output.note(hint);
          }
        } catch (error) {
          context.exit(output.failure(error));
        }
      });

  const transactions = program.command('transactions').description('Every transaction, of every API user');
  pagedList(
    transactions
      .command('list')
      .description('Transactions, newest first, filtered')
      .option('--product <product>', PRODUCTS.join(' | '))
      .option('--status <status>', 'PENDING | SUCCESSFUL | FAILED | CANCELLED')
      .option('--api-user <id>', "one API user's")
      .option('--party <partyId>', "one payer's or payee's (MSISDN, e-mail, party code)")
      .addHelpText(
        'after',
        '\nExamples:\n  $ openmomo transactions list --status PENDING\n  $ openmomo transactions list --party 46733123499 --limit 50',
      ),
    {
      path: '/transactions',
      filters: (options) => ({
        ...(options.product === undefined ? {} : { product: options.product.toLowerCase() }),
        ...(options.status === undefined ? {} : { status: options.status.toUpperCase() }),
        ...(options.apiUser === undefined ? {} : { apiUserId: options.apiUser }),
        ...(options.party === undefined ? {} : { partyId: options.party }),
      }),
      columns: [
        'id',
        'created',
        'kind',
        'product',
        'status',
        'reason',
        'amount',
        'currency',
        'partyId',
        'referenceId',
      ],
      view: (row) => ({ ...row, created: new Date(Number(row.createdAtMs)).toISOString() }),
    },
  );
  act(
    transactions
      .command('show <transactionId>')
      .description('A transaction in full: its request, status history, ledger postings and callbacks')
      .addHelpText('after', '\nExamples:\n  $ openmomo transactions show 0193a1c2-…'),
    ({ target: t, args }) => adminCall(t, 'GET', `/transactions/${encodeURIComponent(String(args[0]))}`),
  );

  const callbacks = program.command('callbacks').description('The callback delivery log');
  pagedList(
    callbacks
      .command('list')
      .description('Recent callbacks with their delivery state and attempts')
      .option('--state <state>', 'PENDING | DELIVERED | DEAD')
      .addHelpText('after', '\nExamples:\n  $ openmomo callbacks list --state DEAD'),
    {
      path: '/callbacks',
      filters: (options): Record<string, string> =>
        options.state === undefined ? {} : { state: options.state.toUpperCase() },
      columns: ['id', 'state', 'referenceId', 'attempts', 'method', 'url', 'lastError'],
    },
  );
  act(
    callbacks
      .command('replay <callbackId>')
      .description('Send a callback again now')
      .addHelpText('after', '\nExamples:\n  $ openmomo callbacks replay 5b2c…'),
    ({ target: t, args }) => adminCall(t, 'POST', `/callbacks/${args[0]}/replay`),
  );

  const faults = program
    .command('faults')
    .description(
      'Failures on demand, in sandbox mode: calls answered with errors, late or never; callbacks late, twice or never',
    );
  act(
    faults
      .command('add <path>')
      .description(
        'Make calls to <path> (or a prefix ending in *) fail, or with --on callback callbacks to it',
      )
      .requiredOption(
        '--fault <fault>',
        'calls: error | delay | drop-request | drop-response; callbacks: delay | drop | duplicate',
      )
      .option('--on <target>', 'request (default) | callback')
      .option('--method <method>', 'only calls with this method')
      .option('--status <status>', 'error: the HTTP status (default 500)')
      .option('--code <code>', 'error: the MoMo code (default by status)')
      .option('--delay-ms <ms>', 'delay: how long to hold the answer')
      .option('--times <n>', 'remove the rule after this many hits')
      .option('--probability <p>', 'the chance a matching call is hit, 0 to 1')
      .addHelpText(
        'after',
        "\nExamples:\n  $ openmomo faults add '/collection/v1_0/requesttopay' --method POST --fault error --status 503 --times 1\n  $ openmomo faults add '/disbursement/*' --fault delay --delay-ms 3000\n  $ openmomo faults add '*' --on callback --fault duplicate --times 1",
      ),
    ({ target: t, args, options: o }) =>
      adminCall(t, 'POST', '/faults', {
        path: args[0],
        fault: o.fault,
        ...(o.on === undefined ? {} : { on: o.on }),
        ...(o.method === undefined ? {} : { method: String(o.method).toUpperCase() }),
        ...(o.status === undefined ? {} : { status: Number(o.status) }),
        ...(o.code === undefined ? {} : { code: o.code }),
        ...(o.delayMs === undefined ? {} : { delayMs: Number(o.delayMs) }),
        ...(o.times === undefined ? {} : { times: Number(o.times) }),
        ...(o.probability === undefined ? {} : { probability: Number(o.probability) }),
      }),
  );
  act(
    faults
      .command('list')
      .description('The fault rules, in the order they are matched')
      .addHelpText('after', '\nExamples:\n  $ openmomo faults list\n  $ openmomo faults list --json'),
    ({ target: t }) => adminCall(t, 'GET', '/faults'),
  );
  act(
    faults
      .command('clear')
      .description('Remove every fault rule')
      .addHelpText('after', '\nExamples:\n  $ openmomo faults clear'),
    async ({ target: t }) => {
      await adminCall(t, 'DELETE', '/faults');
      return { cleared: true };
    },
  );

  program
    .command('ledger-audit')
    .description('Check every ledger invariant; exits 1 when one does not hold')
    .addHelpText(
      'after',
      '\nExamples:\n  $ openmomo ledger-audit\n  $ openmomo ledger-audit --json --server http://localhost:9090',
    )
    .action(async (_options: unknown, command: Command) => {
      const output = context.output(command.optsWithGlobals<GlobalOptions>());
      try {
        const audit = (await adminCall(target(command.optsWithGlobals()), 'GET', '/ledger/audit')) as {
          balanced: boolean;
        };
        output.result(audit);
        context.exit(audit.balanced ? EXIT.OK : EXIT.ERROR);
      } catch (error) {
        context.exit(output.failure(error));
      }
    });
}
