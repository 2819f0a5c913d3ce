// Several named sockets in one process (one per endpoint: regions, shards, services), each joined to
// the same topic: push to all at once and ask each one how it is doing.
import { Socket } from '@phx-socket/client';

/**
 * @typedef {{
 *   name: string, url: string, status: string, up: boolean,
 *   rttMs: number | null, lastHeartbeatAgoMs: number | null, reconnects: number, lastError: string | null
 * }} EndpointHealth
 */

export class SocketFleet {
  /** @type {Map<string, { url: string, socket: Socket, channel: import('@phx-socket/client').Channel, rttMs: number | null, lastHeartbeatAt: number | null, reconnects: number, lastError: string | null }>} */
  #endpoints = new Map();
  #topic;
  #options;

  /**
   * @param {string} topic joined on every endpoint
   * @param {import('@phx-socket/client').SocketOptions} [options] shared by every socket
   */
  constructor(topic, options = {}) {
    this.#topic = topic;
    this.#options = options;
  }

  /** Connects to `url` under `name` and joins the fleet topic there. */
  add(/** @type {string} */ name, /** @type {string} */ url) {
    if (this.#endpoints.has(name)) throw new Error(`endpoint ${name} already exists`);
    const socket = new Socket(url, this.#options);
    const channel = socket.channel(this.#topic, { user: `fleet-${name}` });
    const entry = { url, socket, channel, rttMs: /** @type {number | null} */ (null), lastHeartbeatAt: /** @type {number | null} */ (null), reconnects: 0, lastError: /** @type {string | null} */ (null) };
    // Health comes from telemetry: the heartbeat's round trip is a free, continuous latency probe.
    socket.telemetry.on('heartbeat', ({ measurements }) => {
      entry.rttMs = measurements.rtt_ms;
      entry.lastHeartbeatAt = Date.now();
    });
    socket.telemetry.on('socket:reconnect_scheduled', () => entry.reconnects++);
    socket.telemetry.on('socket:disconnected', ({ metadata }) => (entry.lastError = `closed ${metadata.code}${metadata.reason ? ` ${metadata.reason}` : ''}`));
    socket.telemetry.on('socket:error', ({ metadata }) => (entry.lastError = String(/** @type {Error} */ (metadata.error)?.message ?? metadata.error)));
    this.#endpoints.set(name, entry);
    socket.connect();
    channel.join().receive('error', (reason) => (entry.lastError = `join refused: ${JSON.stringify(reason)}`));
    return socket;
  }

  /** The socket named `name`. */
  get(/** @type {string} */ name) {
    return this.#endpoints.get(name)?.socket;
  }

  /**
   * Pushes to every endpoint that is up right now and waits for the replies. An endpoint that is down
   * is reported as such instead of buffering: a fan-out should not stall on its slowest member.
   * @returns {Promise<Record<string, { status: 'ok' | 'error' | 'down', ms?: number, reply?: unknown, error?: string }>>}
   */
  async broadcast(/** @type {string} */ event, /** @type {object} */ payload, timeoutMs = 2000) {
    const entries = [...this.#endpoints];
    const results = await Promise.all(
      entries.map(async ([, e]) => {
        if (!e.socket.isConnected() || !e.channel.isJoined()) return { status: /** @type {const} */ ('down') };
        const started = performance.now();
        try {
          const reply = await e.channel.push(event, payload, timeoutMs);
          return { status: /** @type {const} */ ('ok'), ms: performance.now() - started, reply };
        } catch (error) {
          return { status: /** @type {const} */ ('error'), error: /** @type {Error} */ (error).message };
        }
      }),
    );
    return Object.fromEntries(entries.map(([name], i) => [name, /** @type {(typeof results)[number]} */ (results[i])]));
  }

  /** @returns {EndpointHealth[]} */
  health() {
    return [...this.#endpoints].map(([name, e]) => ({
      name,
      url: e.url,
      status: e.socket.state.status,
      up: e.socket.isConnected() && e.channel.isJoined(),
      rttMs: e.rttMs,
      lastHeartbeatAgoMs: e.lastHeartbeatAt === null ? null : Date.now() - e.lastHeartbeatAt,
      reconnects: e.reconnects,
      lastError: e.lastError,
    }));
  }

  /** Disconnects every socket. */
  async close() {
    await Promise.all([...this.#endpoints.values()].map((e) => new Promise((resolve) => e.socket.disconnect(() => resolve(undefined)))));
    this.#endpoints.clear();
  }
}
