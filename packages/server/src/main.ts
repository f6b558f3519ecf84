#!/usr/bin/env node
/** `npm start`: the composition root, and the only file that reads process.env. */
import { serveFromEnvironment } from './serve.js';

const exitCode = await serveFromEnvironment(process.env, (text) => process.stdout.write(text));
if (exitCode !== undefined) {
  process.exit(exitCode);
}
