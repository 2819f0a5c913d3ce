// A testkit server behind the testkit's fault proxy, with a ledger of what the server executed, so a
// scenario can compare what each client was told (ok, typed error, timeout) with what really ran.
//
// Channels `rel:*`:
//   push 'msg' {id}  → counted in `executed` (and `order` per topic), replied ok {id}
//   push 'boom'      → the server disconnects the pushing socket by its id (Phoenix's
//                      `Endpoint.broadcast(socket_id, "disconnect", %{})`), no reply
//   anything else    → echoed back
import { startFaultProxy, startServer } from '@phx-socket/testkit';

/**
 * @param {{ server?: Parameters<typeof startServer>[0], proxy?: boolean }} [options]
 */
export async function startRig(options = {}) {
  const server = await startServer({
    maxChannels: 10_000,
    id: (params) => (typeof params.user === 'string' ? `user_socket:${params.user}` : null),
    ...options.server,
  });
  /** @type {Map<number, number>} push id → times the server ran it */
  const executed = new Map();
  /** @type {Map<string, number[]>} topic → push ids in the order the server ran them */
  const order = new Map();
  let booms = 0;
  server.channel('rel:*', {
    handleIn(event, payload, channel) {
      if (event === 'msg') {
        const id = payload.id;
        executed.set(id, (executed.get(id) ?? 0) + 1);
        let list = order.get(channel.topic);
        if (list === undefined) order.set(channel.topic, (list = []));
        list.push(id);
        return { reply: 'ok', response: { id } };
      }
      if (event === 'boom') {
        booms++;
        server.disconnectSocket(channel.connection.socketId);
        return { noreply: true };
      }
      return { reply: 'ok', response: payload };
    },
  });
  const proxy = options.proxy === false ? null : await startFaultProxy({ target: server.url });
  return {
    server,
    proxy,
    /** Where clients connect: through the proxy unless it was turned off. */
    url: proxy ? proxy.url : server.url,
    executed,
    order,
    booms: () => booms,
    async close() {
      await proxy?.close();
      await server.close();
    },
  };
}

/**
 * Compares the outcomes a client reported (id → Outcome, or undefined while unresolved) with the
 * server's ledger.
 *
 * @param {Map<number, import('./clients.mjs').Outcome | undefined>} outcomes
 * @param {Map<number, number>} executed
 */
export function audit(outcomes, executed) {
  let acked = 0;
  let ackedLost = 0;
  let unresolved = 0;
  let untyped = 0;
  /** @type {Record<string, number>} */
  const failures = {};
  for (const [id, outcome] of outcomes) {
    if (outcome === undefined) {
      unresolved++;
      continue;
    }
    if (outcome.status === 'ok') {
      acked++;
      if (!executed.get(id)) ackedLost++;
      continue;
    }
    failures[outcome.code] = (failures[outcome.code] ?? 0) + 1;
    if (!outcome.typed) untyped++;
  }
  let executedTwice = 0;
  for (const count of executed.values()) if (count > 1) executedTwice++;
  return { pushes: outcomes.size, acked, ackedLost, executedTwice, unresolved, untyped, failures };
}
