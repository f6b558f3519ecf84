/** `npm start`: the composition root, and the only file that reads process.env. */
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';

const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers["ocp-apim-subscription-key"]',
  '*.apiKey',
  '*.pin',
  '*.access_token',
];

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer({ config, logger: { level: config.logLevel, redact: LOG_REDACTIONS } });
  const base = `http://localhost:${new URL(server.baseUrl).port}`;
  process.stdout.write(
    [
      '',
      `OpenMoMo is listening on ${base} (${server.store.dialect}, ${config.sandboxMode ? 'sandbox mode' : 'production mode'})`,
      `  API docs:     ${base}/docs   (OpenAPI document: ${base}/openapi.json)`,
      `  Health:       ${base}/health`,
      config.sandboxMode
        ? `  Credentials:  use any 32-hex-digit subscription key, then POST ${base}/v1_0/apiuser and /v1_0/apiuser/{id}/apikey as at MTN's sandbox`
        : `  Credentials:  an operator issues them: POST ${base}/admin/v1/partners, then …/subscription-keys and …/api-users`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    server.app.log.info(`${signal} received, closing`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

await main();
