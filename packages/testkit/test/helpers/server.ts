import { afterEach } from 'vitest';
import { startServer, type ServerOptions, type TestServer } from '../../src/index';
import type { RawClient } from './raw-client';

const servers: TestServer[] = [];
const clients: RawClient[] = [];

/** Starts a server that is closed after the current test. */
export async function useServer(options: ServerOptions = {}): Promise<TestServer> {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

/** Registers a raw client to be closed after the current test. */
export function track<T extends RawClient>(client: T): T {
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
