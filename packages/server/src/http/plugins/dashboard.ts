/**
 * /dashboard: the dashboard's static files (packages/dashboard), served by this server, with the few
 * browser modules it imports (preact, htm, uplot) served from their packages — no bundler, no second server.
 */
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The only packages the browser may load from node_modules. */
const VENDOR_PACKAGES = ['preact', 'htm', 'uplot'] as const;

function packageRoot(require: NodeRequire, name: string): string {
  const entry = require.resolve(name);
  const marker = `${sep}node_modules${sep}${name}${sep}`;
  return entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
}

export async function installDashboard(app: FastifyInstance): Promise<void> {
  const require = createRequire(import.meta.url);
  let dashboardRoot: string;
  try {
    dashboardRoot = dirname(require.resolve('@openmomo/dashboard/package.json'));
  } catch {
    app.log.warn('@openmomo/dashboard is not installed: /dashboard is not served');
    return;
  }
  const fromDashboard = createRequire(join(dashboardRoot, 'package.json'));
  const publicRoot = join(dashboardRoot, 'public');
  await app.register(fastifyStatic, { root: publicRoot, prefix: '/dashboard/', index: false });
  // The page itself at /dashboard and /dashboard/ (one route: the router ignores trailing slashes).
  app.get('/dashboard', { schema: { hide: true } }, (_request, reply) =>
    reply.sendFile('index.html', publicRoot),
  );
  await app.register(fastifyStatic, {
    root: join(dashboardRoot, 'dist'),
    prefix: '/dashboard/app/',
    decorateReply: false,
  });
  for (const name of VENDOR_PACKAGES) {
    await app.register(fastifyStatic, {
      root: packageRoot(fromDashboard, name),
      prefix: `/dashboard/vendor/${name}/`,
      decorateReply: false,
    });
  }
}
