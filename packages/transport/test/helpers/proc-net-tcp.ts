/**
 * Reads the kernel's view of a TCP connection from `/proc/net/tcp` (Linux), to check socket options by
 * their effect rather than by which method was called.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of the timer column (USER_HZ, 100 on every mainstream Linux). */
const USER_HZ = 100;

export interface TcpTimer {
  /** 0 none, 1 retransmit, 2 keep-alive, 3 TIME_WAIT, 4 zero-window probe. */
  kind: number;
  /** Time until the timer fires, in milliseconds. */
  remainingMs: number;
}

/** True when `/proc/net/tcp` can be read here. */
export function hasProcNetTcp(): boolean {
  try {
    readFileSync('/proc/net/tcp', 'utf8');
    return true;
  } catch {
    return false;
  }
}

/** The timer of the IPv4 connection whose local port is `localPort`, or `null` when it is not listed. */
export function tcpTimer(localPort: number): TcpTimer | null {
  const port = localPort.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // fields: sl, local_address, rem_address, st, tx_queue:rx_queue, tr:tm->when, ...
    if (fields[1]?.endsWith(`:${port}`) !== true) continue;
    const [kind, when] = (fields[5] ?? '0:0').split(':');
    return { kind: Number.parseInt(kind ?? '0', 16), remainingMs: (Number.parseInt(when ?? '0', 16) * 1000) / USER_HZ };
  }
  return null;
}

/**
 * Polls until the connection shows a keep-alive timer (a retransmit timer may briefly hide it while the
 * handshake's last bytes are unacknowledged), or gives the last timer seen after `waitMs`.
 */
export async function keepAliveTimer(localPort: number, waitMs = 500): Promise<TcpTimer | null> {
  const deadline = Date.now() + waitMs;
  let timer = tcpTimer(localPort);
  while (timer?.kind !== 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    timer = tcpTimer(localPort);
  }
  return timer;
}
