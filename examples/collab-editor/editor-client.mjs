// The client half of OT: local edits apply at once; at most one operation is in flight (`pending`),
// later edits are composed into `buffer` until the server acknowledges the pending one. Remote
// operations are transformed past pending and buffer before they touch the local text.
import { apply, compose, transform } from './ot.mjs';

/** @typedef {import('./ot.mjs').Op} Op */
/** @typedef {{ version: number, op: Op, client_id: string }} RemoteOp */

export class EditorClient {
  /** @type {string} */ doc = '';
  /** Server version the local text is based on (all remote operations up to it are applied). */
  version = 0;
  /** @type {Op | null} sent, not yet acknowledged */ pending = null;
  /** @type {Op | null} local edits made while `pending` was in flight */ buffer = null;
  stats = { sent: 0, composed: 0, transformed: 0 };
  /** @type {string | null} */ clientId = null;
  /** @type {Error | null} set when the client lost track of the server; the text can no longer be trusted */ error = null;
  #channel;
  #onChange;

  /**
   * @param {import('@phx-socket/client').Socket} socket
   * @param {string} topic e.g. `doc:readme`
   * @param {{ onChange?: (doc: string) => void }} [options]
   */
  constructor(socket, topic, { onChange = () => {} } = {}) {
    this.#onChange = onChange;
    this.#channel = socket.channel(topic);
    this.#channel.on('op', (/** @type {RemoteOp} */ msg) => this.#onServerOp(msg));
  }

  /** Joins and loads the current text. */
  async open() {
    const { doc, version, client_id } = /** @type {{ doc: string, version: number, client_id: string }} */ (await this.#channel.join());
    Object.assign(this, { doc, version, clientId: client_id, pending: null, buffer: null });
    this.#onChange(this.doc);
  }

  /** True when every local edit has been acknowledged. */
  get synchronized() {
    return this.pending === null && this.buffer === null;
  }

  /** Applies a local edit (an operation on the current local text). */
  edit(/** @type {Op} */ op) {
    this.doc = apply(this.doc, op);
    if (this.pending === null) this.#send(op);
    else if (this.buffer === null) this.buffer = op;
    else {
      this.buffer = compose(this.buffer, op);
      this.stats.composed++;
    }
    this.#onChange(this.doc);
  }

  /** The server's text, for checking convergence. */
  snapshot() {
    return /** @type {PromiseLike<{ doc: string, version: number, transforms: number }>} */ (this.#channel.push('snapshot', {}));
  }

  #send(/** @type {Op} */ op) {
    this.pending = op;
    this.stats.sent++;
    // The ack is our own operation coming back in the broadcast stream; the reply only reports errors.
    this.#channel.push('op', { version: this.version, op }).receive('error', (e) => this.#fail(`server refused an operation: ${JSON.stringify(e)}`));
  }

  #fail(/** @type {string} */ message) {
    // Handlers run isolated inside the socket, so a throw here would only become telemetry; keep it visible.
    this.error ??= new Error(message);
  }

  #onServerOp(/** @type {RemoteOp} */ { version, op, client_id }) {
    if (version !== this.version + 1) return this.#fail(`out of order: at version ${this.version}, got ${version}`);
    this.version = version;
    if (client_id === this.clientId) {
      const next = this.buffer;
      this.pending = null;
      this.buffer = null;
      if (next !== null) this.#send(next);
      return;
    }
    let remote = op;
    if (this.pending !== null) {
      [this.pending, remote] = transform(this.pending, remote);
      this.stats.transformed++;
    }
    if (this.buffer !== null) {
      [this.buffer, remote] = transform(this.buffer, remote);
      this.stats.transformed++;
    }
    this.doc = apply(this.doc, remote);
    this.#onChange(this.doc);
  }
}
