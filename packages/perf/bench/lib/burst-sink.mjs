// The measured end of a dispatch burst, for the benchmarks that time inbound messages (dispatch,
// socket-pool): channel i's handler is handlerFor(i); CPU and wall time run from the first message of a
// burst to its last, and every message must reach the channel it was sent to.

/** One sink per measured client process. */
export function burstSink() {
  let received = 0;
  let target = 0;
  let mismatched = 0;
  let checksum = 0;
  let cpu0 = null;
  let t0 = 0n;
  let finish = null;

  function sink(i, payload) {
    if (payload.i !== i) mismatched++;
    checksum += payload.id;
    const k = ++received;
    if (k === 1) {
      t0 = process.hrtime.bigint();
      cpu0 = process.cpuUsage();
    } else if (k === target) {
      const cpu = process.cpuUsage(cpu0);
      const wallUs = Number(process.hrtime.bigint() - t0) / 1_000;
      finish({ cpuUs: cpu.user + cpu.system, systemUs: cpu.system, wallUs });
    }
  }

  return {
    /** The handler of channel `i`. */
    handlerFor: (i) => (payload) => sink(i, payload),
    /** Sum of every payload id seen (returned to the parent, so no handler can be optimised away). */
    get checksum() {
      return checksum;
    },
    /** Starts a burst of `count`; the promise resolves at its last message with `{ cpuUs, systemUs, wallUs }`. */
    expect(count) {
      received = 0;
      mismatched = 0;
      target = count;
      return new Promise((resolve) => {
        finish = resolve;
      });
    },
    /**
     * Waits for `done` (120 s at most), then 20 ms for stragglers, and checks that the burst of `count`
     * arrived whole, each message at its own channel; `what` names the burst in errors.
     */
    async judge(done, count, what) {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} of ${count}: only ${received} messages dispatched after 120 s`)), 120_000);
      });
      try {
        return await Promise.race([done, timeout]);
      } finally {
        clearTimeout(timer);
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (received !== count) throw new Error(`${what}: expected ${count} messages, dispatched ${received}`);
        if (mismatched) throw new Error(`${what}: ${mismatched} messages reached the wrong channel`);
      }
    },
  };
}
