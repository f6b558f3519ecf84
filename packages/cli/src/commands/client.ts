/**
 * Client-side commands, over the SDK, against OpenMoMo or any MTN host (--server): sandbox provisioning,
 * request to pay, transfers, status, balances and account-holder checks. Credentials come from flags or from
 * MOMO_<PRODUCT>_SUBSCRIPTION_KEY, MOMO_<PRODUCT>_API_USER and MOMO_<PRODUCT>_API_KEY.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { MomoClient, MomoError, type ProductCredentials, provisionSandboxUser } from '@openmomo/sdk';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type CommandContext, type CommandInput, type GlobalOptions, runCommand } from '../context.js';
import { EXIT, type Output, spinner } from '../output.js';

type ProductName = 'collection' | 'disbursement' | 'remittance';
const productOption = (fallback: ProductName) =>
  new Option('--product <product>', 'collection | disbursement | remittance')
    .choices(['collection', 'disbursement', 'remittance'])
    .default(fallback);

interface CredentialFlags {
  readonly subscriptionKey?: string;
  readonly apiUser?: string;
  readonly apiKey?: string;
}

const envPrefix = (product: ProductName) => `MOMO_${product.toUpperCase()}`;

function withCredentialOptions(command: Command): Command {
  return command
    .option('--subscription-key <key>', "the product's subscription key (or MOMO_<PRODUCT>_SUBSCRIPTION_KEY)")
    .option('--api-user <id>', 'the API user id (or MOMO_<PRODUCT>_API_USER)')
    .option('--api-key <key>', 'the API key (or MOMO_<PRODUCT>_API_KEY)');
}

const PARTY_ID_TYPES = ['MSISDN', 'EMAIL', 'PARTY_CODE'] as const;

/** A --payer-type in any case, as MoMo spells it; refused as a usage error before the server would refuse it. */
function partyIdType(text: string): (typeof PARTY_ID_TYPES)[number] {
  const type = PARTY_ID_TYPES.find((known) => known === text.toUpperCase());
  if (type === undefined) {
    throw new InvalidArgumentError(`Allowed choices are ${PARTY_ID_TYPES.join(', ')}, in any case.`);
  }
  return type;
}

/** `lines` appended to the file at `path`, on lines of their own even when its last line has no newline. */
function appendLines(path: string, lines: readonly string[]): void {
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  appendFileSync(path, `${separator}${lines.map((line) => `${line}\n`).join('')}`);
}

/** A --timeout: a positive number of seconds, refused as a usage error otherwise (NaN would wait for ever). */
function positiveSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('a positive number of seconds, e.g. 60');
  }
  return seconds;
}

/** Polls until final; 0 SUCCESSFUL, 2 FAILED, 3 still PENDING after the timeout. */
async function waitAndReport(
  output: Output,
  wait: (options: { timeoutMs: number }) => Promise<{ status: string }>,
  referenceId: string,
  timeoutSeconds: number,
): Promise<number> {
  const progress = spinner(output, `waiting for ${referenceId} …`);
  try {
    const final = await wait({ timeoutMs: timeoutSeconds * 1000 });
    progress.stop();
    output.result({ referenceId, ...final });
    return final.status === 'SUCCESSFUL' ? EXIT.OK : EXIT.FAILED;
  } catch (error) {
    progress.stop();
    if (error instanceof MomoError && error.code === 'WAIT_TIMEOUT') {
      output.result({ referenceId, status: 'PENDING', note: `still pending after ${timeoutSeconds} s` });
      return EXIT.PENDING;
    }
    throw error;
  }
}

export function registerClientCommands(program: Command, context: CommandContext): void {
  const credentials = (product: ProductName, flags: CredentialFlags): ProductCredentials => {
    const prefix = envPrefix(product);
    const subscriptionKey = flags.subscriptionKey ?? context.env[`${prefix}_SUBSCRIPTION_KEY`];
    const apiUserId = flags.apiUser ?? context.env[`${prefix}_API_USER`];
    const apiKey = flags.apiKey ?? context.env[`${prefix}_API_KEY`];
    if (subscriptionKey === undefined || apiUserId === undefined || apiKey === undefined) {
      throw new MomoError({
        status: null,
        code: 'NO_CREDENTIALS',
        message: `${product} credentials are missing: pass --subscription-key, --api-user and --api-key, or set ${prefix}_SUBSCRIPTION_KEY, ${prefix}_API_USER and ${prefix}_API_KEY (openmomo sandbox provision writes them)`,
      });
    }
    return { subscriptionKey, apiUserId, apiKey };
  };
  const clientFor = (globals: GlobalOptions, product: ProductName, flags: CredentialFlags) =>
    new MomoClient({
      baseUrl: globals.server,
      targetEnvironment: globals.environment,
      [product]: credentials(product, flags),
    });
  const run = (command: Command, work: (input: CommandInput) => Promise<number>) =>
    runCommand(command, context, work);

  const sandbox = program.command('sandbox').description("Sandbox provisioning, as with MTN's sandbox");
  run(
    sandbox
      .command('provision')
      .description(
        'Create an API user and API key for a subscription key, and print (or save) the credentials',
      )
      .addOption(productOption('collection'))
      .requiredOption('--subscription-key <key>', 'the subscription key of the product')
      .option('--callback-host <host>', 'the host callbacks may go to', 'localhost')
      .option('--save-env <path>', 'append MOMO_<PRODUCT>_* lines to this file')
      .addHelpText(
        'after',
        '\nExamples:\n  $ openmomo sandbox provision --product collection --subscription-key 0123456789abcdef0123456789abcdef --save-env .env',
      ),
    async ({ globals, output, options }) => {
      const product = options.product as ProductName;
      const created = await provisionSandboxUser({
        baseUrl: globals.server,
        subscriptionKey: options.subscriptionKey as string,
        providerCallbackHost: options.callbackHost as string,
      });
      const prefix = envPrefix(product);
      const variables = {
        [`${prefix}_SUBSCRIPTION_KEY`]: created.subscriptionKey,
        [`${prefix}_API_USER`]: created.apiUserId,
        [`${prefix}_API_KEY`]: created.apiKey,
      };
      if (typeof options.saveEnv === 'string') {
        appendLines(
          options.saveEnv,
          Object.entries(variables).map(([name, value]) => `${name}=${value}`),
        );
      }
      output.result(variables);
      return EXIT.OK;
    },
  );

  run(
    withCredentialOptions(
      program
        .command('pay')
        .description('Request a payment from a payer (Collection request to pay)')
        .requiredOption('--amount <amount>', 'a decimal amount, e.g. 1500 or 12.50')
        .requiredOption('--currency <currency>', 'ISO 4217, e.g. EUR (the sandbox allows EUR only)')
        .requiredOption('--payer <id>', "the payer's MSISDN (or e-mail / party code with --payer-type)")
        .option('--payer-type <type>', 'MSISDN | EMAIL | PARTY_CODE, in any case', partyIdType, 'MSISDN')
        .option('--external-id <id>', 'your reference', '')
        .option('--message <text>', 'shown to the payer')
        .option('--note <text>', "written in the payee's history")
        .option('--callback-url <url>', 'where the final status is sent')
        .option('--wait', 'wait for the final status (exit 0 SUCCESSFUL, 2 FAILED, 3 still PENDING)')
        .option('--timeout <seconds>', 'how long --wait waits', positiveSeconds, 60)
        .addHelpText(
          'after',
          '\nExamples:\n  $ openmomo pay --amount 1500 --currency EUR --payer 46733123454 --wait\n  $ openmomo pay --amount 5 --currency EUR --payer 46733123451 --wait --json',
        ),
    ),
    async ({ globals, output, options }) => {
      const momo = clientFor(globals, 'collection', options as CredentialFlags);
      const { referenceId } = await momo.collection.requestToPay(
        {
          amount: String(options.amount),
          currency: String(options.currency),
          externalId: String(options.externalId),
          payer: {
            partyIdType: options.payerType as (typeof PARTY_ID_TYPES)[number],
            partyId: String(options.payer),
          },
          ...(options.message === undefined ? {} : { payerMessage: String(options.message) }),
          ...(options.note === undefined ? {} : { payeeNote: String(options.note) }),
        },
        options.callbackUrl === undefined ? {} : { callbackUrl: String(options.callbackUrl) },
      );
      if (options.wait !== true) {
        output.result({ referenceId, status: 'PENDING' });
        return EXIT.OK;
      }
      return waitAndReport(
        output,
        (wait) => momo.collection.requestToPay.waitForFinalStatus(referenceId, wait),
        referenceId,
        Number(options.timeout),
      );
    },
  );

  run(
    withCredentialOptions(
      program
        .command('transfer')
        .description('Pay a payee from the partner account (Disbursement or Remittance transfer)')
        .addOption(productOption('disbursement').choices(['disbursement', 'remittance']))
        .requiredOption('--amount <amount>')
        .requiredOption('--currency <currency>')
        .requiredOption('--payee <msisdn>', "the payee's MSISDN")
        .option('--external-id <id>', 'your reference', '')
        .option('--message <text>', "written in the payer's history")
        .option('--note <text>', 'shown to the payee')
        .option('--wait', 'wait for the final status (exit 0 SUCCESSFUL, 2 FAILED, 3 still PENDING)')
        .option('--timeout <seconds>', 'how long --wait waits', positiveSeconds, 60)
        .addHelpText(
          'after',
          '\nExamples:\n  $ openmomo transfer --product disbursement --amount 500 --currency EUR --payee 46733123499 --wait',
        ),
    ),
    async ({ globals, output, options }) => {
      const product = options.product as 'disbursement' | 'remittance';
      const momo = clientFor(globals, product, options as CredentialFlags);
      const resource = product === 'disbursement' ? momo.disbursement.transfer : momo.remittance.transfer;
      const { referenceId } = await resource({
        amount: String(options.amount),
        currency: String(options.currency),
        externalId: String(options.externalId),
        payee: { partyIdType: 'MSISDN', partyId: String(options.payee) },
        ...(options.message === undefined ? {} : { payerMessage: String(options.message) }),
        ...(options.note === undefined ? {} : { payeeNote: String(options.note) }),
      });
      if (options.wait !== true) {
        output.result({ referenceId, status: 'PENDING' });
        return EXIT.OK;
      }
      return waitAndReport(
        output,
        (wait) => resource.waitForFinalStatus(referenceId, wait),
        referenceId,
        Number(options.timeout),
      );
    },
  );

  run(
    withCredentialOptions(
      program
        .command('status <referenceId>')
        .description(
          'The status of a request to pay (default) or a transfer (--product disbursement|remittance)',
        )
        .addOption(productOption('collection'))
        .addHelpText(
          'after',
          '\nExamples:\n  $ openmomo status 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed\n  $ openmomo status 1b9d… --product remittance',
        ),
    ),
    async ({ globals, output, args, options }) => {
      const product = options.product as ProductName;
      const momo = clientFor(globals, product, options as CredentialFlags);
      const referenceId = args[0] as string;
      const result =
        product === 'collection'
          ? await momo.collection.requestToPay.get(referenceId)
          : await (product === 'disbursement' ? momo.disbursement : momo.remittance).transfer.get(
              referenceId,
            );
      output.result({ referenceId, ...result });
      return result.status === 'FAILED' ? EXIT.FAILED : result.status === 'PENDING' ? EXIT.PENDING : EXIT.OK;
    },
  );

  run(
    withCredentialOptions(
      program
        .command('balance')
        .description("The partner account's balance for a product")
        .addOption(productOption('collection'))
        .option('--currency <currency>', 'a currency the environment allows')
        .addHelpText('after', '\nExamples:\n  $ openmomo balance --product disbursement'),
    ),
    async ({ globals, output, options }) => {
      const product = options.product as ProductName;
      const momo = clientFor(globals, product, options as CredentialFlags);
      output.result(await momo[product].balance(options.currency as string | undefined));
      return EXIT.OK;
    },
  );

  run(
    withCredentialOptions(
      program
        .command('account-holder <msisdn>')
        .description('Whether an account holder is active, and its basic user info')
        .addOption(productOption('collection'))
        .addHelpText('after', '\nExamples:\n  $ openmomo account-holder 46733123499'),
    ),
    async ({ globals, output, args, options }) => {
      const product = options.product as ProductName;
      const momo = clientFor(globals, product, options as CredentialFlags);
      const msisdn = args[0] as string;
      const active = await momo[product].isAccountHolderActive('msisdn', msisdn);
      const info = active ? await momo[product].basicUserInfo(msisdn) : undefined;
      output.result({ msisdn, active, ...info });
      return active ? EXIT.OK : EXIT.FAILED;
    },
  );
}
