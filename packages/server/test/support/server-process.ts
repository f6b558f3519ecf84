/**
 * The built server (`dist/main.js`) as a child process on a free port, for tests that must kill it or run
 * two of it: what an in-process server cannot show.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestDatabase } from './engines.js';

const SERVER = join(import.meta.dirname, '..', '..', 'dist', 'main.js');

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
}

/** Starts a sandbox server on `database`; `env` sets its timings (AUTO_APPROVAL_DELAY_MS and the like). */
export async function startServerProcess(
  database: TestDatabase,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [SERVER], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.databaseUrl,
      ...(database.postgresSchema === undefined ? {} : { DATABASE_SCHEMA: database.postgresSchema }),
      SANDBOX_MODE: 'true',
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening on http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port !== undefined) {
        resolve(`http://127.0.0.1:${port}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, baseUrl };
}
