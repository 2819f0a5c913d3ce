import type { TestServer } from './server';

/**
 * Installs the demo channels the `phx-testkit` CLI serves:
 *
 * - `room:*`: every join succeeds; `presence_state` is pushed after join and the connection is
 *   tracked with the join param `user` as key (default: the connection id).
 * - `new_msg`: broadcast to the room, replied ok.
 * - `ping`: replied ok `{pong: true}`.
 *
 * Returns a function that removes the routes.
 *
 * @example
 * const server = await startServer();
 * installDemoChannels(server);
 */
export function installDemoChannels(server: TestServer): () => void {
  return server.channel('room:*', {
    presence: true,
    join(_topic, params, socket) {
      const user = typeof params['user'] === 'string' && params['user'] !== '' ? params['user'] : socket.connection.id;
      socket.assigns['user'] = user;
      return { ok: {} };
    },
    afterJoin(socket) {
      // presence_state was pushed already (presence: true); tracking broadcasts the diff.
      server.track(socket, socket.topic, String(socket.assigns['user']), { online_at: String(Date.now()) });
    },
    handleIn(event, payload, socket) {
      if (event === 'new_msg') {
        socket.broadcast('new_msg', payload);
        return { reply: 'ok' };
      }
      if (event === 'ping') return { reply: 'ok', response: { pong: true } };
      return { reply: 'error', response: { reason: `unknown event ${event}` } };
    },
  });
}
