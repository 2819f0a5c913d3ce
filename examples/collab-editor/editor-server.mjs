// The Phoenix side, played by the testkit: `doc:*` holds the text, its version and every operation
// applied so far. An incoming operation names the version it was made on; the server transforms it
// past everything applied since, applies it and broadcasts the result to every editor, the author
// included (that echo is the author's acknowledgement, ordered with everyone else's operations).
import { apply, transform } from './ot.mjs';

/** @typedef {import('./ot.mjs').Op} Op */

/**
 * @param {import('@phx-socket/testkit').TestServer} server
 * @param {{ initial?: string }} [options]
 */
export function installEditorChannel(server, { initial = '' } = {}) {
  /** @type {Map<string, { doc: string, history: Op[], transforms: number }>} */
  const docs = new Map();
  const docOf = (/** @type {string} */ topic) => {
    let d = docs.get(topic);
    if (d === undefined) docs.set(topic, (d = { doc: initial, history: [], transforms: 0 }));
    return d;
  };
  let clients = 0;

  const remove = server.channel('doc:*', {
    join(topic, _params, socket) {
      const d = docOf(topic);
      socket.assigns.clientId = `c${++clients}`;
      return { ok: { doc: d.doc, version: d.history.length, client_id: socket.assigns.clientId } };
    },
    handleIn(event, payload, socket) {
      const d = docOf(socket.topic);
      if (event === 'snapshot') return { reply: 'ok', response: { doc: d.doc, version: d.history.length, transforms: d.transforms } };
      if (event !== 'op') return { reply: 'error', response: { reason: `unknown event ${event}` } };

      const { version, op } = /** @type {{ version: number, op: Op }} */ (payload);
      if (!Number.isInteger(version) || version < 0 || version > d.history.length) {
        return { reply: 'error', response: { reason: `unknown version ${version}` } };
      }
      let incoming = op;
      for (const concurrent of d.history.slice(version)) {
        incoming = transform(incoming, concurrent)[0];
        d.transforms++;
      }
      try {
        d.doc = apply(d.doc, incoming);
      } catch (error) {
        return { reply: 'error', response: { reason: /** @type {Error} */ (error).message } };
      }
      d.history.push(incoming);
      socket.broadcast('op', { version: d.history.length, op: incoming, client_id: socket.assigns.clientId });
      return { reply: 'ok', response: { version: d.history.length } };
    },
  });
  return { remove, document: (/** @type {string} */ topic) => docOf(topic) };
}
