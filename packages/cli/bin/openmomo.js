#!/usr/bin/env node
// The installed command: runs the compiled CLI (npm run build compiles it).
import { run } from '../dist/main.js';

process.exitCode = await run(process.argv);
