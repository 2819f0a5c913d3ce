/** Compile-time checks (run by `tsc`): calls that must compile, and `@ts-expect-error` for misuse. */
import { Socket, type SocketState } from '../src/index';

// Type aliases: Channel's `EventMap` constraint has an index signature, which interfaces do not satisfy
// (reported to the channel owner).
type RoomIn = {
  new_msg: { body: string };
};
type RoomOut = {
  send: { body: string };
};

declare const socket: Socket;

const room = socket.channel<RoomIn, RoomOut>('room:1');
room.on('new_msg', (msg) => msg.body.toUpperCase());
room.push('send', { body: 'hi' });
// @ts-expect-error inbound payload is typed
room.on('new_msg', (msg) => msg.missing);

socket.telemetry.on('push:reply', (e) => e.measurements.rtt_ms.toFixed());
// @ts-expect-error unknown telemetry event
socket.telemetry.on('socket:exploded', () => {});
// @ts-expect-error measurements are typed per event
socket.telemetry.on('heartbeat', (e) => e.measurements.bytes);
socket.telemetry.on('*', (name, event) => `${name} ${JSON.stringify(event.measurements)}`);

const state: SocketState = socket.state;
if (state.status === 'reconnecting') state.nextAttemptAt?.toFixed();
// @ts-expect-error connectedAt only exists on the open state
state.connectedAt;

// @ts-expect-error options are typed
new Socket('ws://x/socket', { heartbeatIntervalMs: '30s' });
// @ts-expect-error overflow policy is a closed union
new Socket('ws://x/socket', { overflowPolicy: 'drop-newest' });
new Socket('ws://x/socket', { params: async () => ({ token: 't' }), authToken: () => 'tok', reconnectAfterMs: (tries) => tries * 10 });

// @ts-expect-error state is read-only
socket.state = state;
