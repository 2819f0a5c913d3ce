// A measured client process driven step by step from the parent: the child asks `{ op: 'next', report }`
// and waits; the parent reads that report (`nextReport()`) and answers with the next action (`step()`),
// so clients can be interleaved one burst at a time. The child's other asks (`{ op: 'send', ... }`: the
// server should produce a burst now) go to `send`.
import { runClient } from './run-client.mjs';

export class DrivenClient {
  /**
   * @param benchFile the benchmark module whose `child()` runs in the process
   * @param config its config (must hold `client`)
   * @param options `{ name, execArgv, send(ask) => Promise<answer> }`
   */
  constructor(benchFile, config, { name, execArgv, send }) {
    this.client = config.client;
    this.reports = [];
    this.waiting = null;
    this.answer = null;
    this.failure = null;
    this.finished = runClient(benchFile, config, {
      execArgv,
      name,
      onAsk: (m) => {
        if (m.op === 'send') return send(m);
        this.#deliver(m.report);
        return new Promise((resolve) => {
          this.answer = resolve;
        });
      },
    });
    this.finished.catch((err) => {
      this.failure = err;
      this.waiting?.reject(err);
    });
  }

  #deliver(report) {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w.resolve(report);
    } else this.reports.push(report);
  }

  /** Resolves with the child's next report (its first, after setup, then one per step). */
  nextReport() {
    if (this.reports.length) return Promise.resolve(this.reports.shift());
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** Hands the child its next action and resolves with the report it sends back. */
  step(action) {
    const report = this.nextReport();
    const answer = this.answer;
    this.answer = null;
    answer(action);
    return report;
  }

  /** Tells the child it is done and resolves with its result. */
  async finish() {
    this.answer?.({ done: true });
    this.answer = null;
    return this.finished;
  }
}
