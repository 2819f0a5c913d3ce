#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { installDemoChannels } from './demo-channels';
import { startServer } from './server';

const USAGE = `Usage: phx-testkit [--port 4000] [--host 127.0.0.1] [--path /socket]

Starts a Phoenix Channels test server with demo channels:
  room:*   join ok; 'new_msg' is broadcast and replied ok; 'ping' replies {pong: true};
           presence is tracked per connection (key: join param "user"), presence_state after join.
Stops on SIGINT/SIGTERM.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      path: { type: 'string', default: '/socket' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`phx-testkit: --port must be an integer from 0 to 65535, got '${values.port}'\n`);
    process.exitCode = 2;
    return;
  }
  const server = await startServer({ port, host: values.host, path: values.path });
  installDemoChannels(server);
  process.stdout.write(`phx-testkit listening on ${server.url}\n`);
  const stop = (): void => {
    process.stdout.write('phx-testkit stopping\n');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`phx-testkit: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
