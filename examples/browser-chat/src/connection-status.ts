import type { SocketState } from '@phx-socket/client';

/** What the person sees: four words, so the UI never has to know the socket's full state machine. */
export type StatusKind = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface StatusView {
  kind: StatusKind;
  text: string;
}

/**
 * Turns a socket snapshot into the status pill. A `connecting` that follows a lost connection is still
 * "reconnecting" to the person: they care that the chat went away, not which attempt is in flight.
 */
export function describeStatus(state: SocketState, wasConnected: boolean, now: number): StatusView {
  switch (state.status) {
    case 'open':
      return { kind: 'connected', text: 'Connected' };
    case 'connecting':
      return wasConnected
        ? { kind: 'reconnecting', text: `Reconnecting… (attempt ${state.attempt})` }
        : { kind: 'connecting', text: 'Connecting…' };
    case 'reconnecting': {
      if (state.nextAttemptAt === null) return { kind: 'reconnecting', text: 'Reconnecting when the tab is visible…' };
      const seconds = Math.max(0, (state.nextAttemptAt - now) / 1000);
      return { kind: 'reconnecting', text: `Connection lost, retrying in ${seconds.toFixed(1)} s` };
    }
    case 'closed':
      return { kind: 'offline', text: state.reason === 'disconnected' ? 'Offline' : 'Offline: gave up reconnecting' };
    default:
      return { kind: 'offline', text: 'Offline' };
  }
}
