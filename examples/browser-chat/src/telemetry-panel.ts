import type { PerformanceMonitor, Telemetry } from '@phx-socket/client';

const LOG_LINES = 12;

/**
 * The live telemetry panel: a count per event name, the monitor's headline numbers and the last few
 * events. It is a plain `'*'` subscriber, which is all an app needs to observe the socket. Rendering
 * waits for the next animation frame so a burst of messages costs one repaint, not one per event.
 */
export function mountTelemetryPanel(
  telemetry: Telemetry,
  monitor: PerformanceMonitor,
  els: { counts: HTMLElement; summary: HTMLElement; log: HTMLElement },
): () => void {
  const counts = new Map<string, number>();
  const log: string[] = [];
  let frame: number | null = null;

  const render = (): void => {
    frame = null;
    els.counts.replaceChildren(
      ...[...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => row(name, String(n), 'event')),
    );
    const s = monitor.summary();
    const { histograms } = monitor.metrics();
    const ms = (value: number, samples: number): string => (samples === 0 ? '—' : `${value.toFixed(1)} ms`);
    els.summary.replaceChildren(
      ...pair('messages in/s', s.messagesInPerSec.toFixed(1)),
      ...pair('messages out/s', s.messagesOutPerSec.toFixed(1)),
      ...pair('push rtt p50', ms(s.pushRttP50Ms, histograms.pushRttMs.count)),
      ...pair('heartbeat rtt p50', ms(s.heartbeatRttP50Ms, histograms.heartbeatRttMs.count)),
      ...pair('reconnects', String(s.reconnects)),
      ...pair('channels joined', String(s.channelsJoined)),
    );
    els.log.replaceChildren(...log.map((line) => Object.assign(document.createElement('li'), { textContent: line })));
  };

  const off = telemetry.on('*', (name, event) => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const topic = 'topic' in event.metadata ? ` ${String(event.metadata.topic)}` : '';
    log.unshift(`${new Date().toLocaleTimeString()} ${name}${topic}`);
    log.length = Math.min(log.length, LOG_LINES);
    frame ??= requestAnimationFrame(render);
  });
  // Rates decay while idle, so refresh them even when nothing happens.
  const timer = setInterval(render, 1000);
  render();

  return () => {
    off();
    clearInterval(timer);
    if (frame !== null) cancelAnimationFrame(frame);
  };
}

function row(name: string, value: string, key: string): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset[key] = name;
  tr.append(cell(name), cell(value));
  return tr;
}

function cell(text: string): HTMLTableCellElement {
  return Object.assign(document.createElement('td'), { textContent: text });
}

function pair(label: string, value: string): HTMLElement[] {
  return [Object.assign(document.createElement('dt'), { textContent: label }), Object.assign(document.createElement('dd'), { textContent: value })];
}
