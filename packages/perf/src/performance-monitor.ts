import { Histogram, type HistogramSnapshot } from './histogram';

/** Any telemetry emitter with a `'*'` subscription, such as `socket.telemetry`. */
export interface TelemetrySourceLike {
  on(name: '*', handler: (name: string, event: { measurements: object; metadata: object }) => void): (() => void) | void;
}

/** Options of a {@link PerformanceMonitor}. */
export interface PerformanceMonitorOptions {
  /**
   * Latency samples kept per histogram for percentiles (older ones still count in count/min/max/mean).
   * @default 2048
   */
  histogramSize?: number;
  /**
   * Clock in ms, injectable for tests.
   * @default performance.now
   */
  now?: () => number;
}

/** Defaults of {@link PerformanceMonitorOptions}. */
export const DEFAULT_PERFORMANCE_MONITOR_OPTIONS = /* @__PURE__ */ Object.freeze({
  histogramSize: 2048,
  now: (): number => globalThis.performance.now(),
});

/** Everything the monitor knows. Counters are totals since the last reset; rates are per second. */
export interface PerformanceMetrics {
  uptimeMs: number;
  counters: {
    messagesIn: number;
    messagesOut: number;
    bytesIn: number;
    bytesOut: number;
    connects: number;
    reconnects: number;
    disconnects: number;
    joins: number;
    joinFailures: number;
    pushTimeouts: number;
    heartbeatTimeouts: number;
    errors: number;
    /** Channels errored (server crash, or the connection dropped); they rejoin by themselves. */
    channelErrors: number;
    decodeErrors: number;
    handlerErrors: number;
    drops: number;
    overflows: number;
    /** `hibernation`: times the socket hibernated (`socket:hibernated`) and woke (`socket:woke`). */
    hibernations: number;
    wakes: number;
    /** Approximate cache bytes released by hibernation. */
    bytesReleased: number;
  };
  /**
   * `connected`: at least one socket is open; `socketsConnected`: how many (a `SocketPool`'s stream tells
   * its sockets apart by `metadata.socket_index`); `channelsJoined` over all of them.
   */
  gauges: { connected: boolean; socketsConnected: number; channelsJoined: number };
  rates: { messagesInPerSec: number; messagesOutPerSec: number; bytesInPerSec: number; bytesOutPerSec: number };
  histograms: {
    pushRttMs: HistogramSnapshot;
    joinLatencyMs: HistogramSnapshot;
    heartbeatRttMs: HistogramSnapshot;
    connectMs: HistogramSnapshot;
    decodeMs: HistogramSnapshot;
    dispatchMs: HistogramSnapshot;
  };
  /** The inbound pipeline as one stage list: received → decoded → dispatched, and what fell out. */
  pipeline: { received: number; decodeErrors: number; dropped: number; dispatched: number; errorRate: number };
}

/** The headline numbers, for a status line or a dashboard tile. */
export interface PerformanceSummary {
  uptimeMs: number;
  connected: boolean;
  channelsJoined: number;
  messagesInPerSec: number;
  messagesOutPerSec: number;
  pushRttP50Ms: number;
  pushRttP99Ms: number;
  heartbeatRttP50Ms: number;
  reconnects: number;
  errors: number;
  drops: number;
}

type Counters = PerformanceMetrics['counters'];
type Event = { measurements: Record<string, unknown>; metadata: Record<string, unknown> };

/** Which socket an event came from: a pool's stream says `socket_index`; a plain socket's stream has one. */
const socketOf = (event: Event): unknown => event.metadata?.socket_index;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * A telemetry subscriber that turns socket events into counters, gauges and latency percentiles. It
 * adds nothing to the socket: detach it and the socket is as before.
 *
 * @example
 * const monitor = new PerformanceMonitor();
 * monitor.attach(socket.telemetry);
 * setInterval(() => console.log(monitor.report('text')), 10_000);
 */
export class PerformanceMonitor {
  private readonly now: () => number;
  private readonly size: number;
  private startedAt: number;
  private counters!: Counters;
  /** Joined topics per socket (key: `metadata.socket_index`, or one key for a plain socket's stream). */
  private readonly joined = new Map<unknown, Set<string>>();
  private readonly open = new Set<unknown>();
  private readonly everConnected = new Set<unknown>();
  private readonly hist: Record<keyof PerformanceMetrics['histograms'], Histogram>;
  private readonly detachers = new Set<() => void>();

  constructor(options: PerformanceMonitorOptions = {}) {
    this.now = options.now ?? DEFAULT_PERFORMANCE_MONITOR_OPTIONS.now;
    this.size = options.histogramSize ?? DEFAULT_PERFORMANCE_MONITOR_OPTIONS.histogramSize;
    this.startedAt = this.now();
    this.hist = {
      pushRttMs: new Histogram(this.size),
      joinLatencyMs: new Histogram(this.size),
      heartbeatRttMs: new Histogram(this.size),
      connectMs: new Histogram(this.size),
      decodeMs: new Histogram(this.size),
      dispatchMs: new Histogram(this.size),
    };
    this.resetCounters();
  }

  /** Subscribes to a telemetry source; returns a function that detaches. */
  attach(source: TelemetrySourceLike): () => void {
    const off = source.on('*', (name, event) => this.observe(name, event as Event));
    const detach = (): void => {
      if (typeof off === 'function') off();
      this.detachers.delete(detach);
    };
    this.detachers.add(detach);
    return detach;
  }

  /** Detaches from every source. */
  detach(): void {
    for (const d of [...this.detachers]) d();
  }

  /** Feeds one telemetry event (what `attach` does for each event). */
  observe(name: string, event: Event): void {
    const m = event.measurements ?? {};
    const c = this.counters;
    switch (name) {
      case 'message:received':
        c.messagesIn++;
        c.bytesIn += num(m.bytes);
        if (m.decode_ms !== undefined) this.hist.decodeMs.record(num(m.decode_ms));
        if (m.dispatch_ms !== undefined) this.hist.dispatchMs.record(num(m.dispatch_ms));
        break;
      case 'message:sent':
        c.messagesOut++;
        c.bytesOut += num(m.bytes);
        break;
      case 'push:reply':
        this.hist.pushRttMs.record(num(m.rtt_ms));
        break;
      case 'push:timeout':
        c.pushTimeouts++;
        break;
      case 'heartbeat':
        this.hist.heartbeatRttMs.record(num(m.rtt_ms));
        break;
      case 'heartbeat:timeout':
        c.heartbeatTimeouts++;
        break;
      case 'socket:connected': {
        const socket = socketOf(event);
        if (this.everConnected.has(socket)) c.reconnects++;
        this.everConnected.add(socket);
        c.connects++;
        this.open.add(socket);
        this.hist.connectMs.record(num(m.duration_ms));
        break;
      }
      case 'socket:disconnected':
        c.disconnects++;
        this.open.delete(socketOf(event));
        this.joined.delete(socketOf(event));
        break;
      case 'channel:joined':
        c.joins++;
        this.joinedOn(event).add(String(event.metadata?.topic));
        this.hist.joinLatencyMs.record(num(m.duration_ms));
        break;
      case 'channel:join_failed':
        c.joinFailures++;
        break;
      case 'channel:left':
      case 'channel:error':
        this.joinedOn(event).delete(String(event.metadata?.topic));
        // A dropped connection errors every channel by design; that is counted, but not as an app error.
        if (name === 'channel:error') c.channelErrors++;
        break;
      case 'socket:error':
        c.errors++;
        break;
      case 'decode:error':
        c.decodeErrors++;
        c.errors++;
        break;
      case 'handler:error':
        c.handlerErrors++;
        c.errors++;
        break;
      case 'message:dropped':
        c.drops++;
        break;
      case 'buffer:overflow':
        c.overflows++;
        c.drops++;
        break;
      case 'socket:hibernated':
        c.hibernations++;
        c.bytesReleased += num(m.bytes_released);
        break;
      case 'socket:woke':
        c.wakes++;
        break;
    }
  }

  metrics(): PerformanceMetrics {
    const uptimeMs = this.now() - this.startedAt;
    const secs = uptimeMs > 0 ? uptimeMs / 1000 : 1;
    const c = { ...this.counters };
    const received = c.messagesIn + c.decodeErrors;
    return {
      uptimeMs,
      counters: c,
      gauges: { connected: this.open.size > 0, socketsConnected: this.open.size, channelsJoined: this.channelsJoined() },
      rates: {
        messagesInPerSec: c.messagesIn / secs,
        messagesOutPerSec: c.messagesOut / secs,
        bytesInPerSec: c.bytesIn / secs,
        bytesOutPerSec: c.bytesOut / secs,
      },
      histograms: {
        pushRttMs: this.hist.pushRttMs.snapshot(),
        joinLatencyMs: this.hist.joinLatencyMs.snapshot(),
        heartbeatRttMs: this.hist.heartbeatRttMs.snapshot(),
        connectMs: this.hist.connectMs.snapshot(),
        decodeMs: this.hist.decodeMs.snapshot(),
        dispatchMs: this.hist.dispatchMs.snapshot(),
      },
      pipeline: {
        received,
        decodeErrors: c.decodeErrors,
        dropped: c.drops - c.overflows,
        dispatched: Math.max(0, c.messagesIn - (c.drops - c.overflows)),
        errorRate: received > 0 ? c.decodeErrors / received : 0,
      },
    };
  }

  summary(): PerformanceSummary {
    const m = this.metrics();
    return {
      uptimeMs: m.uptimeMs,
      connected: m.gauges.connected,
      channelsJoined: m.gauges.channelsJoined,
      messagesInPerSec: m.rates.messagesInPerSec,
      messagesOutPerSec: m.rates.messagesOutPerSec,
      pushRttP50Ms: m.histograms.pushRttMs.p50,
      pushRttP99Ms: m.histograms.pushRttMs.p99,
      heartbeatRttP50Ms: m.histograms.heartbeatRttMs.p50,
      reconnects: m.counters.reconnects,
      errors: m.counters.errors,
      drops: m.counters.drops,
    };
  }

  /** A report for a person (`'text'`) or a machine (`'json'`). */
  report(format: 'text' | 'json' = 'text'): string {
    const m = this.metrics();
    if (format === 'json') return JSON.stringify(m, null, 2);
    return formatReport(m);
  }

  /** Zeroes counters and histograms; gauges keep their current value. */
  reset(): void {
    this.startedAt = this.now();
    this.resetCounters();
    for (const h of Object.values(this.hist)) h.reset();
  }

  private joinedOn(event: Event): Set<string> {
    const socket = socketOf(event);
    let topics = this.joined.get(socket);
    if (topics === undefined) this.joined.set(socket, (topics = new Set()));
    return topics;
  }

  private channelsJoined(): number {
    let n = 0;
    for (const topics of this.joined.values()) n += topics.size;
    return n;
  }

  private resetCounters(): void {
    this.counters = {
      messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, connects: 0, reconnects: 0, disconnects: 0,
      joins: 0, joinFailures: 0, pushTimeouts: 0, heartbeatTimeouts: 0, errors: 0, channelErrors: 0, decodeErrors: 0,
      handlerErrors: 0, drops: 0, overflows: 0, hibernations: 0, wakes: 0, bytesReleased: 0,
    };
  }
}

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function formatReport(m: PerformanceMetrics): string {
  const c = m.counters;
  const rows: [string, HistogramSnapshot][] = [
    ['push rtt', m.histograms.pushRttMs],
    ['join latency', m.histograms.joinLatencyMs],
    ['heartbeat rtt', m.histograms.heartbeatRttMs],
    ['connect', m.histograms.connectMs],
    ['decode', m.histograms.decodeMs],
    ['dispatch', m.histograms.dispatchMs],
  ];
  const pad = (s: string, n: number): string => s.padStart(n);
  const lines = [
    `phx-socket performance report (uptime ${fmt(m.uptimeMs / 1000)} s, ${m.gauges.connected ? 'connected' : 'disconnected'})`,
    `  messages   in ${c.messagesIn.toLocaleString('en-US')} (${fmt(m.rates.messagesInPerSec)}/s, ${fmtBytes(c.bytesIn)})   out ${c.messagesOut.toLocaleString('en-US')} (${fmt(m.rates.messagesOutPerSec)}/s, ${fmtBytes(c.bytesOut)})`,
    `  channels   joined now ${m.gauges.channelsJoined}   joins ${c.joins}   join failures ${c.joinFailures}`,
    `  socket     connects ${c.connects}   reconnects ${c.reconnects}   disconnects ${c.disconnects}   heartbeat timeouts ${c.heartbeatTimeouts}` +
      (c.hibernations > 0 ? `   hibernations ${c.hibernations} (woke ${c.wakes}, released ${fmtBytes(c.bytesReleased)})` : ''),
    `  problems   errors ${c.errors} (decode ${c.decodeErrors}, handler ${c.handlerErrors})   channel errors ${c.channelErrors}   push timeouts ${c.pushTimeouts}   drops ${c.drops} (overflow ${c.overflows})`,
    `  latency (ms)        count      p50      p95      p99      max`,
  ];
  for (const [label, h] of rows) {
    if (h.count === 0) continue;
    lines.push(`    ${label.padEnd(14)}${pad(String(h.count), 8)}${pad(fmt(h.p50, 2), 9)}${pad(fmt(h.p95, 2), 9)}${pad(fmt(h.p99, 2), 9)}${pad(fmt(h.max, 2), 9)}`);
  }
  return lines.join('\n');
}
