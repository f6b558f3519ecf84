/** A node:http server on a free port of 127.0.0.1, for tests that need a peer: a callback receiver, a fake MTN. */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** The URL of `path` on the server. */
  readonly url: (path: string) => string;
  /** Stops listening and ends every connection, even one whose answer is stalled on purpose. */
  readonly close: () => void;
}

export async function listening(handler: RequestListener): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}
