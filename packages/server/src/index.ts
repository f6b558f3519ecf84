/** @openmomo/server — start an OpenMoMo server from code (tests, the CLI). */
export { type Config, ConfigError, DEFAULT_CONFIG, loadConfig } from './config.js';
export { migrateFromEnvironment, serveFromEnvironment } from './serve.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
