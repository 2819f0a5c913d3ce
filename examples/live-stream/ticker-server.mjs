// The Phoenix side, played by the testkit: `ticker:*` streams market ticks to a subscriber at the
// requested rate, each tick its own message, like a market-data feed. Every tick carries a sequence
// number (to detect loss) and the server's send time (to measure delivery latency).

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'NFLX'];
/** Wall clock in ms with sub-ms precision, comparable across processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();

/** @param {import('@phx-socket/testkit').TestServer} server */
export function installTickerChannel(server) {
  return server.channel('ticker:*', {
    handleIn(event, payload, socket) {
      if (event !== 'subscribe') return { reply: 'error', response: { reason: `unknown event ${event}` } };
      const { rate = 5000, count = 10_000 } = /** @type {{ rate?: number, count?: number }} */ (payload ?? {});
      const prices = SYMBOLS.map((_, i) => 100 + i * 50);
      const started = now();
      let seq = 0;
      // A 5 ms tick sends whatever is due, so the rate holds even when a timer fires late.
      const timer = setInterval(() => {
        const due = Math.min(count, Math.floor(((now() - started) * rate) / 1000));
        for (; seq < due; seq++) {
          const i = seq % SYMBOLS.length;
          prices[i] = Math.max(1, /** @type {number} */ (prices[i]) * (1 + (Math.sin(seq * 12.9898) * 43758.5453 % 1) * 0.001));
          socket.push('tick', { seq, sym: SYMBOLS[i], px: Math.round(/** @type {number} */ (prices[i]) * 100) / 100, ts: now() });
        }
        if (seq >= count) {
          clearInterval(timer);
          socket.push('end', { count });
        }
      }, 5);
      clearInterval(/** @type {ReturnType<typeof setInterval> | undefined} */ (socket.assigns.timer));
      socket.assigns.timer = timer;
      return { reply: 'ok', response: { rate, count } };
    },
    handleLeave(socket) {
      // The subscriber is gone: its stream stops with it.
      clearInterval(/** @type {ReturnType<typeof setInterval> | undefined} */ (socket.assigns.timer));
    },
  });
}
